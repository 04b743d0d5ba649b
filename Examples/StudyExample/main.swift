// A runnable example of hdbench's Swift API: ask/tell, then the concurrent `optimize` loop with
// an early-termination policy. Run: `swift run study-example`.
import Foundation
import Optimizer

/// A stand-in for training a model: validation accuracy after `epoch` epochs for a learning
/// rate, a layer count and an optimiser name (peaks near lr = 0.01, 3 layers, "adam").
func accuracy(lr: Double, layers: Int, optimizer: String, epoch: Int) -> Double {
    let lrTerm = -0.15 * pow2(log10(lr) + 2)
    let layerTerm = -0.02 * pow2(Double(layers - 3))
    let optimizerTerm = optimizer == "adam" ? 0.0 : -0.03
    let ceiling = 0.95 + lrTerm + layerTerm + optimizerTerm
    return ceiling * (1 - 1 / Double(epoch + 1))
}

func pow2(_ x: Double) -> Double { x * x }

let space = try SearchSpace([
    "lr": .logUniform(-9, -1),          // natural-log bounds, as in Azure: e^-9 … e^-1
    "layers": .choice([1, 2, 3, 4, 5]),
    "optimizer": .choice(["sgd", "adam"]),
])

// 1. Ask and tell, one trial at a time.
var study = try Study(space: space, goal: .maximize, sampler: .bayesian(seed: 7))
for _ in 0..<25 {
    let trial = try study.ask()
    let value = accuracy(lr: trial.double("lr")!, layers: trial.int("layers")!, optimizer: trial.string("optimizer")!, epoch: 10)
    study.tell(trial, value: value)
}
if let best = study.bestRecord {
    print("ask/tell: best accuracy \(best.rankingValue(goal: .maximize)!) with \(best.trial.configuration.jsonText)")
}

// 2. Four trials at a time, with intermediate reports pruned by median stopping.
let fresh = try Study(space: space, goal: .maximize, sampler: .bayesian(seed: 7),
                      policy: MedianStoppingPolicy(evaluationInterval: 1, delayEvaluation: 3))
let pruned = try await fresh.optimizing(trials: 24, concurrency: 4) { context in
    let t = context.trial
    var last = 0.0
    for epoch in 1...10 {
        last = accuracy(lr: t.double("lr")!, layers: t.int("layers")!, optimizer: t.string("optimizer")!, epoch: epoch)
        if await context.report(last).shouldStop { throw TrialPruned() }
    }
    return last
}
let stopped = pruned.records.filter { $0.state == .pruned }.count
print("optimize: best accuracy \(pruned.bestValue!) — \(stopped) of \(pruned.records.count) trials pruned early")
