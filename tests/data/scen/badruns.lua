return { name = "badruns", runs = 2.5, run = function(p) end }
