local function helper(t)
  return t.missing.field
end
return {
  name = "runtime",
  run = function(p)
    helper({})
  end,
}
