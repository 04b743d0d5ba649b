// The concurrent loop: at most four objectives run at a time, the sampler is told which trials
// are still running (pending), and a median stopping policy prunes poor learning curves.
import Foundation
import Optimizer

// snippet.hide
/// A stand-in for one epoch of training: validation accuracy after `epoch` epochs.
func accuracy(lr: Double, layers: Int, epoch: Int) -> Double {
    let decades = log10(lr) + 2
    let ceiling = 0.95 - 0.15 * decades * decades - 0.02 * Double((layers - 3) * (layers - 3))
    return ceiling * (1 - 1 / Double(epoch + 1))
}

// snippet.show
let space = try SearchSpace([
    "lr": .logUniform(-9, -1),
    "layers": .choice([1, 2, 3, 4]),
])
let study = try Study(
    space: space, goal: .maximize, sampler: .bayesian(seed: 7),
    policy: MedianStoppingPolicy(evaluationInterval: 1, delayEvaluation: 3))

let finished = try await study.optimizing(trials: 24, concurrency: 4) { context in
    let lr = context.trial.double("lr")!, layers = context.trial.int("layers")!
    var last = 0.0
    for epoch in 1...10 {
        last = accuracy(lr: lr, layers: layers, epoch: epoch)
        // Each report is one interval; the policy answers at its evaluation points.
        if await context.report(last).shouldStop { throw TrialPruned() }
    }
    return last
}

let pruned = finished.records.filter { $0.state == .pruned }
print("best \(finished.bestValue!), \(pruned.count) of \(finished.records.count) trials pruned")
for record in pruned.prefix(3) {
    print(record.stopDecision!.reason)
}
