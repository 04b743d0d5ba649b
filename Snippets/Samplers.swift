// Samplers are deterministic in (seed, trial index): the same seed proposes the same
// configuration for trial i, whether trials run one at a time or in parallel.
import Optimizer

// snippet.hide
/// The configuration a sampler proposes for trial `index` of an empty history.
func proposal(_ sampler: some Sampler, trial index: Int) throws -> String {
    var sampler = sampler
    return try sampler.suggest(history: SamplerHistory(goal: .maximize), trialIndex: index)!.jsonText
}

// snippet.show
let space = try SearchSpace([
    "lr": .logUniform(-6, -1),
    "layers": .choice([1, 2, 3]),
])

// Random sampling: trial i draws from its own stream (seed, i).
let random = RandomSampler(space: space, seed: 42)
let again = RandomSampler(space: space, seed: 42)
print(try proposal(random, trial: 3), try proposal(again, trial: 3))  // the same configuration

// Scrambled Sobol points (`rule: sobol`): point i of a sequence scrambled from the seed.
let sobol = try SobolSampler(space: space, seed: 42)
for i in 0..<4 { print(try proposal(sobol, trial: i)) }

// Grid: the Cartesian product of choices in odometer order, the last parameter fastest.
let grid = try GridSampler(space: SearchSpace(["a": .choice([1, 2]), "b": .choice(["x", "y", "z"])]))
print(try (0..<grid.count).map { try proposal(grid, trial: $0) }.joined(separator: " "))

// The sampler a YAML `sampling_algorithm:` describes; the first Bayesian trials are random draws.
let bayesian = try makeSampler(.bayesian(seed: 7), space: space)
print(try proposal(bayesian, trial: 0))
