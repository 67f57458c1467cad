-- model tables with mistakes, chosen by the parameter `case`
return {
  name = "badmodel",
  params = { case = { default = "typo", doc = "which mistake" } },
  run = function(p)
    local cases = {
      typo = { worm = { rtae = 5 } },
      section = { wrom = {} },
      type = { worm = { rate = "fast" } },
      range = { worm = { rate = -5 } },
      sum = { worm = { p_local = 0.5, p_near = 0.5, p_any = 0.5 } },
      lambda = { smc = { lambda = 0 } },
      theta = { smc = { theta = 0.5 } },
      lru = { smc = { lru_size = 0 } },
      table = { smc = { table_size = 0 } },
      latency = { oob = { latency = -0.1 } },
      tap = { smc = { tap = "sideways" } },
      host = { worm = { start_host = "L9-9" } },
      topology = { topology = "tests/data/topo/no-such-file.graphml" },
      inject = { inject = { { host = "L1-1", t = 0 / 0 } } },
    }
    if p.case == "clash" then
      vmitn.experiment("x", { duration = 1 }, 1)
      vmitn.table("x.summary", { "a" }, {})
      return
    end
    if p.case == "ode" then
      vmitn.si_ode(1, 100, 1, 0, { 0, 2, 1 })
      return
    end
    if p.case == "meta" then
      vmitn.text("meta", "hello")
      return
    end
    vmitn.experiment("x", cases[p.case] or error("no case " .. p.case, 0))
  end,
}
