// The ten HyperDrive parameter expressions, a conditional (nested) choice, and what a draw and
// the unit-cube encoding give.
import Optimizer

// snippet.show
let space = try SearchSpace([
    "optimizer": .choice(["adam", "sgd"]),
    "layers": .randint(upper: 5),  // 0 … 4
    "dropout": .uniform(0, 0.5),
    "batch": .quniform(16, 256, q: 16),  // round-half-to-even(x/16)·16, an integer
    "lr": .logUniform(-9, -1),  // exp(uniform(-9, -1)): e^-9 … e^-1
    "decay": .qLogUniform(0, 5, q: 10),  // round(exp(uniform(0, 5))/10)·10
    "shift": .normal(mu: 0, sigma: 1),
    "offset": .qNormal(mu: 10, sigma: 3, q: 1),
    "scale": .logNormal(mu: 0, sigma: 0.5),
    "width": .qLogNormal(mu: 4, sigma: 0.5, q: 8),
    "model": .choice([
        .mapping(["kind": "svm", "C": .expression(.logUniform(-3, 3))]),
        .mapping(["kind": "tree", "depth": .expression(.randint(upper: 12))]),
    ]),
])

var generator = SplitMix64(seed: 42)
let configuration = space.sample(using: &generator)
print(configuration.jsonText)

// The Bayesian sampler's view: one point of [0, 1]^D per configuration (here D = 15: one-hot
// blocks for the string choices, nested coordinates after them). Decoding a point gives exactly
// the configuration that would run.
let encoding = SearchSpaceEncoding(space)
let x = encoding.encode(configuration)
print("D = \(encoding.dimension), discrete coordinates: \(encoding.isDiscrete.filter { $0 }.count)")
print(encoding.decode(x).jsonText)
