import Testing
import Optimizer
import TestSupport

extension EarlyTerminationTests {
    @Suite("Median stopping policy")
    struct MedianStoppingPolicyTests {
        let policy = MedianStoppingPolicy()

        @Test("a single trial is never stopped, however its curve falls")
        func singleTrial() {
            for goal in PrimaryMetricGoal.allCases {
                for n in 1...4 {
                    let curve = Array([0.9, 0.1, 0.05, 0.0].prefix(n))
                    #expect(policy.evaluate(trial: 0, in: makeSnapshot(goal, [curve])).action == .continue)
                }
            }
        }

        @Test("odd count: the middle mean; equal to the median continues, strictly worse stops")
        func oddCount() {
            // Means over the first 2 reports: 0.75, 0.5 and the trial's own.
            let peers: [[Double]] = [[0.5, 1.0], [0.25, 0.75]]
            let atMedian = policy.evaluate(trial: 2, in: makeSnapshot(.maximize, peers + [[0.5, 0.0]]))  // own mean 0.25 → median 0.5
            #expect(atMedian.action == .continue)
            #expect(atMedian.reason == "n=2: best-so-far 0.5 ≥ median 0.5 of 3 trials' means over their first 2 reports (median stopping)")
            let below = policy.evaluate(trial: 2, in: makeSnapshot(.maximize, peers + [[0.375, 0.125]]))
            #expect(below.action == .stop)
            #expect(below.reason == "n=2: best-so-far 0.375 < median 0.5 of 3 trials' means over their first 2 reports (median stopping)")
        }

        @Test("even count: the mean of the two middle means (neither the lower nor the upper one)")
        func evenCount() {
            // Means 1.0, 0.5, 0.75 and own 0.375 → sorted 0.375, 0.5, 0.75, 1.0 → median 0.625.
            let peers: [[Double]] = [[1, 1], [0.5, 0.5], [0.75, 0.75]]
            #expect(policy.evaluate(trial: 3, in: makeSnapshot(.maximize, peers + [[0.625, 0.125]])).action == .continue)
            #expect(policy.evaluate(trial: 3, in: makeSnapshot(.maximize, peers + [[0.7, 0.05]])).action == .continue)  // upper middle 0.75 would stop it
            #expect(policy.evaluate(trial: 3, in: makeSnapshot(.maximize, peers + [[0.55, 0.2]])).action == .stop)  // lower middle 0.5 would keep it
            #expect(MedianStoppingPolicy.median(of: [1, 0.5, 0.75, 0.375]) == 0.625)
            #expect(MedianStoppingPolicy.median(of: [3, 1, 2]) == 2)
            #expect(MedianStoppingPolicy.median(of: []) == nil)
        }

        @Test("means use only each peer's first n values; peers with fewer than n values are left out")
        func firstNValues() {
            // At n = 2: peer 0's mean is 1.0 (its later zeros do not count); peer 1 has one value only.
            // Means 1.0 and own 0.85 → median 0.925 > own best 0.9 → stop. Had peer 0's four values
            // counted (mean 0.5), or peer 1 (mean 0), the median would be below 0.9 and it would continue.
            let snapshot = makeSnapshot(.maximize, [[1, 1, 0, 0], [0], [0.9, 0.8]])
            #expect(policy.evaluate(trial: 2, in: snapshot).action == .stop)
        }

        @Test("minimise mirrors: stop when the best-so-far is strictly above the median")
        func minimise() {
            let peers: [[Double]] = [[0.5, 0.0], [0.75, 0.25]]  // means 0.25, 0.5
            #expect(policy.evaluate(trial: 2, in: makeSnapshot(.minimize, peers + [[0.5, 1.0]])).action == .continue)  // own mean 0.75 → median 0.5
            #expect(policy.evaluate(trial: 2, in: makeSnapshot(.minimize, peers + [[0.625, 0.875]])).action == .stop)
        }

        @Test("non-finite values are left out of means and bests")
        func nonFinite() {
            // Peer 0's mean over finite values is 1.0 (not NaN); peer 1 has no finite value and no mean.
            let snapshot = makeSnapshot(.maximize, [[1, .nan], [.nan, .infinity], [0.5, 0.5], [0.75, 0.75]])
            // Means 1.0, 0.5, 0.75 → median 0.75.
            #expect(policy.evaluate(trial: 2, in: snapshot).action == .stop)
            #expect(policy.evaluate(trial: 3, in: snapshot).action == .continue)
            #expect(policy.evaluate(trial: 1, in: snapshot).action == .stop)
            #expect(policy.evaluate(trial: 0, in: makeSnapshot(.maximize, [[.nan]])).action == .continue)
        }
    }
}
