-- Replayed background traffic for the CLI tests (tests/cli/replay.sh): the capture given
-- as -p trace=FILE as legitimate traffic, with learning, on the Fig 8 testbed or a
-- generated network.
return {
  name = "replay-test",
  about = "one capture replayed, for tests",
  runs = 3,
  params = {
    trace = { default = "", doc = "the capture" },
    topology = { default = "topologies/vmitn-fig8.graphml", doc = "the topology" },
    worm = { default = false, doc = "Code Red too" },
    duration = { default = 4, unit = "s", min = 0.5, max = 100, doc = "simulated time" },
  },
  run = function(p)
    local r = vmitn.experiment("x", { topology = p.topology, duration = p.duration, worm = { enabled = p.worm },
                                      smc = { learning = true }, legit = { trace = p.trace } })
    vmitn.table("replay", { "sent", "blocked", "bytes" },
                { { sent = r.replay.sent.mean, blocked = r.replay.blocked.mean, bytes = r.replay.bytes.mean } })
  end,
}
