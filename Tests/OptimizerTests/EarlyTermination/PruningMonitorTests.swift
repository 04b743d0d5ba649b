import Testing
import Optimizer
import TestSupport

extension EarlyTerminationTests {
    @Suite("Pruning monitor")
    struct PruningMonitorTests {
        @Test("gives the same decisions as evaluating the policy on the same reports", arguments: 0..<32)
        func matchesDirectEvaluation(seed: UInt64) {
            var rng = EarlyTerminationTestRNG(seed: seed)
            let goal: PrimaryMetricGoal = Bool.random(using: &rng) ? .maximize : .minimize
            let policy = randomPolicy(using: &rng)
            let curves = randomCurves(using: &rng)
            var monitor = PruningMonitor(goal: goal, policy: policy)
            // Reference bookkeeping, independent of the monitor: curves in first-report order.
            var reference = MetricHistorySnapshot(goal: goal)
            var stopped: Set<Int> = []
            var next = Array(repeating: 0, count: curves.count)
            while let trial = curves.indices.filter({ next[$0] < curves[$0].count }).randomElement(using: &rng) {
                let value = curves[trial][next[trial]]
                next[trial] += 1
                let decision = monitor.report(trial: trial, value: value)
                if stopped.contains(trial) {
                    #expect(decision.action == .stop)
                    continue
                }
                if let index = reference.curves.firstIndex(where: { $0.trial == trial }) {
                    reference.curves[index].values.append(value)
                } else {
                    reference.curves.append(TrialCurve(trial: trial, values: [value]))
                }
                let expected = policy.evaluate(trial: trial, in: reference)
                #expect(decision == expected, "seed \(seed): \(policy)")
                if expected.shouldStop {
                    stopped.insert(trial)
                    reference.curves[reference.curves.firstIndex { $0.trial == trial }!].isRunning = false
                }
                #expect(monitor.shouldPrune(trial: trial) == stopped.contains(trial))
            }
            #expect(monitor.snapshot == reference)
        }

        @Test("reports after a stop are not recorded and return the stop again; finished trials keep counting")
        func afterStop() {
            var monitor = PruningMonitor(goal: .maximize, policy: BanditPolicy(slackAmount: 0.1))
            #expect(monitor.report(trial: 0, value: 0.9).action == .continue)
            monitor.finish(trial: 0)
            #expect(monitor.curve(for: 0)?.isRunning == false)
            let stop = monitor.report(trial: 1, value: 0.5)
            #expect(stop.action == .stop)
            #expect(stop.reason.contains("0.9 − 0.1"))
            #expect(monitor.report(trial: 1, value: 0.95) == stop)
            #expect(monitor.curve(for: 1)?.values == [0.5])
            #expect(monitor.stopDecisions == [1: stop])
            #expect(monitor.shouldPrune(trial: 1))
            #expect(!monitor.shouldPrune(trial: 0))
            #expect(monitor.curve(for: 7) == nil)
        }
    }
}
