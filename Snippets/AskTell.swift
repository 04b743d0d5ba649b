// Ask and tell with the Bayesian sampler: the study proposes a configuration, your code
// evaluates it and tells the study the value.
import Foundation
import Optimizer

// snippet.hide
/// A stand-in for training a model: validation accuracy for a learning rate and a layer count
/// (best near lr = 0.01 and 3 layers).
func trainAndValidate(lr: Double, layers: Int) -> Double {
    let decades = log10(lr) + 2
    return 0.95 - 0.15 * decades * decades - 0.02 * Double((layers - 3) * (layers - 3))
}

// snippet.show
let space = try SearchSpace([
    "lr": .logUniform(-9, -1),  // natural-log bounds, as in Azure: e^-9 … e^-1
    "layers": .choice([1, 2, 3, 4]),
])
var study = try Study(space: space, goal: .maximize, sampler: .bayesian(seed: 7))

for _ in 0..<30 {
    let trial = try study.ask()  // 10 random trials first, then the Gaussian-process surrogate
    let accuracy = trainAndValidate(lr: trial.double("lr")!, layers: trial.int("layers")!)
    study.tell(trial, value: accuracy)  // or study.tell(trial, failure: "diverged")
}

if let best = study.bestRecord {
    print("best \(best.rankingValue(goal: .maximize)!) at \(best.trial.configuration.jsonText)")
}
