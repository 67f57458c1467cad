-- A scenario table whose fields raise errors: must be a message, not a crash.
return setmetatable({}, { __index = function(t, k) error("no field " .. k) end })
