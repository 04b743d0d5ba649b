import Testing
import Optimizer
import TestSupport

extension EarlyTerminationTests {
    @Suite("Evaluation schedule (all policies)")
    struct EvaluationScheduleTests {
        /// Trial 0 leads by far; trial 1 is hopeless. Every policy stops trial 1 whenever it looks.
        static func hopeless(_ n: Int) -> MetricHistorySnapshot {
            makeSnapshot(.maximize, [Array(repeating: 1.0, count: 12), Array(repeating: 0.0, count: n)]
                + [Array(repeating: 0.9, count: 12), Array(repeating: 0.95, count: 12)])
        }

        static let stoppingPolicies: [any EarlyTerminationPolicy] = [
            BanditPolicy(slackFactor: 0.1, evaluationInterval: 2, delayEvaluation: 5),
            BanditPolicy(slackAmount: 0.1, evaluationInterval: 2, delayEvaluation: 5),
            MedianStoppingPolicy(evaluationInterval: 2, delayEvaluation: 5),
            TruncationSelectionPolicy(truncationPercentage: 25, evaluationInterval: 2, delayEvaluation: 5),
        ]

        @Test("interval 2, delay 5: looked at only when n is even and ≥ 5 (first at 6)", arguments: 0..<4)
        func intervalAndDelay(index: Int) {
            let policy = Self.stoppingPolicies[index]
            let stops = (1...12).filter { policy.evaluate(trial: 1, in: Self.hopeless($0)).action == .stop }
            #expect(stops == [6, 8, 10, 12], "\(policy)")
        }

        @Test("the first evaluation is exactly at report = delay_evaluation", arguments: 0..<4)
        func firstEvaluationAtDelay(index: Int) {
            let base = Self.stoppingPolicies[index]
            let policy: any EarlyTerminationPolicy = switch base {
            case let bandit as BanditPolicy:
                switch bandit.slack {
                case .factor(let f): BanditPolicy(slackFactor: f, evaluationInterval: 1, delayEvaluation: 5)
                case .amount(let a): BanditPolicy(slackAmount: a, evaluationInterval: 1, delayEvaluation: 5)
                }
            case is MedianStoppingPolicy: MedianStoppingPolicy(evaluationInterval: 1, delayEvaluation: 5)
            default: TruncationSelectionPolicy(truncationPercentage: 25, evaluationInterval: 1, delayEvaluation: 5)
            }
            let stops = (1...8).filter { policy.evaluate(trial: 1, in: Self.hopeless($0)).action == .stop }
            #expect(stops == [5, 6, 7, 8], "\(policy)")
        }

        @Test("reasons for skipped reports")
        func skipReasons() {
            let policy = BanditPolicy(slackFactor: 0.1, evaluationInterval: 2, delayEvaluation: 5)
            #expect(policy.evaluate(trial: 1, in: Self.hopeless(7)).reason == "not an evaluation point (n=7, interval 2)")
            #expect(policy.evaluate(trial: 1, in: Self.hopeless(4)).reason == "before delay_evaluation (n=4 < 5)")
            #expect(policy.evaluate(trial: 1, in: Self.hopeless(0)).reason == "no reports yet (n=0)")
        }

        @Test("evaluation_interval 0 means 1; delay 0 looks from the first report")
        func intervalZero() {
            let schedule = EvaluationSchedule(evaluationInterval: 0)
            #expect(schedule.evaluationInterval == 1)
            #expect((0...4).map(schedule.isEvaluationPoint) == [false, true, true, true, true])
            let policy = MedianStoppingPolicy(evaluationInterval: 0)
            #expect(policy.evaluationInterval == 1)
            #expect((1...3).allSatisfy { policy.evaluate(trial: 1, in: Self.hopeless($0)).action == .stop })
        }

        @Test("no policy decides off its schedule; every decision has a reason and the right n", arguments: 0..<64)
        func neverOffSchedule(seed: UInt64) {
            var rng = EarlyTerminationTestRNG(seed: seed)
            let curves = randomCurves(using: &rng)
            let goal: PrimaryMetricGoal = Bool.random(using: &rng) ? .maximize : .minimize
            for _ in 0..<4 {
                let policy = randomPolicy(using: &rng)
                let schedule = (policy as? BanditPolicy)?.schedule ?? (policy as? MedianStoppingPolicy)?.schedule
                    ?? (policy as? TruncationSelectionPolicy)?.schedule
                for trial in curves.indices {
                    for n in 0...curves[trial].count {
                        var truncated = curves
                        truncated[trial] = Array(curves[trial].prefix(n))
                        let decision = policy.evaluate(trial: trial, in: makeSnapshot(goal, truncated))
                        #expect(!decision.reason.isEmpty)
                        #expect(decision.reportCount == n && decision.trial == trial)
                        if decision.action == .stop {
                            guard let schedule else {
                                Issue.record("seed \(seed): \(policy) stopped trial \(trial)")
                                continue
                            }
                            #expect(n >= schedule.delayEvaluation && n >= 1 && n % schedule.evaluationInterval == 0,
                                    "seed \(seed): \(policy) stopped trial \(trial) at n=\(n): \(decision.reason)")
                        }
                    }
                }
            }
        }

        @Test("no early termination never stops")
        func none() {
            let decision = NoTerminationPolicy().evaluate(trial: 1, in: Self.hopeless(6))
            #expect(decision.action == .continue)
            #expect(decision.reportCount == 6)
            #expect(!decision.reason.isEmpty)
        }
    }
}
