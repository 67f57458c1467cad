-- For the --jobs tests: a first experiment that succeeds, then one whose every run fails
-- inside the model (a capture that cannot be read), on the worker processes.
return {
  name = "later-fails",
  about = "a good experiment, then one whose runs fail",
  runs = 4,
  params = {},
  run = function(p)
    vmitn.experiment("good", { duration = 2, worm = { local_bits = 8, near_bits = 10 } })
    vmitn.experiment("bad", { duration = 2, legit = { trace = "no-such-capture.pcap" } })
  end,
}
