return {
  name = "syntax",
  run = function(p)
    local x = = 1
  end,
}
