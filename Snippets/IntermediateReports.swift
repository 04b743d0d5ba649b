// Early termination in an ask/tell loop: report intermediate values and stop when the policy
// says so (Optuna's trial.report and should_prune). Stopped trials keep their values and can
// still be the best trial.
import Optimizer

// snippet.hide
/// A stand-in learning curve: trials with larger `rate` learn faster and plateau higher.
func validationLoss(rate: Double, epoch: Int) -> Double {
    1 / (1 + rate * Double(epoch))
}

// snippet.show
let space = try SearchSpace(["rate": .uniform(0.1, 2)])
let bandit = BanditPolicy(slackFactor: 0.2, evaluationInterval: 1, delayEvaluation: 2)
var study = try Study(space: space, goal: .minimize, sampler: .random(seed: 1), policy: bandit)

for _ in 0..<12 {
    let trial = try study.ask()
    var last = Double.nan
    for epoch in 1...8 {
        last = validationLoss(rate: trial.double("rate")!, epoch: epoch)
        let decision = study.report(trial, value: last)
        if decision.shouldStop {
            print("trial \(trial.id) stopped: \(decision.reason)")
            break
        }
    }
    if !study.shouldPrune(trial) { study.tell(trial, value: last) }
}
print("best loss \(study.bestValue!) from trial \(study.bestRecord!.trial.id)")
