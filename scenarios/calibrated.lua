-- placeholder until make calibrate runs
return {
  model = { worm = { local_bits = 8, near_bits = 16, any_bits = 24, activation = 1.2, activation_cv = 0.3,
                     launch_startup = 1.5, launch_detect = "scan" }, fes = { backup = "always" } },
  view = "true", point = 0, probabilities = {}, alternatives = {}, readings = {},
}
