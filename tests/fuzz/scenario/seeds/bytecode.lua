-- Issue 13, item 1: a forged binary chunk (LOADK with an index far past the constants).
-- Lua 5.4 does not verify bytecode: the sandbox must refuse to make or load any.
local d = string.dump(function() return "x" end)
d = d:gsub("\3\0\0\0", "\3\128\255\255", 1)   -- LOADK Bx=0 -> 131071
local v = assert(load(d, "=evil", "b"))()
return { name = "bytecode", run = function(p) vmitn.text("out.txt", tostring(v)) end }
