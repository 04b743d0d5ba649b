import Testing
import Optimizer
import TestSupport

extension EarlyTerminationTests {
    @Suite("Bandit policy")
    struct BanditPolicyTests {
        @Test("SPEC example: best 0.8, slack_factor 0.2 stops below 0.6667; exactly at the threshold continues")
        func specExample() {
            let policy = BanditPolicy(slackFactor: 0.2)
            let threshold = policy.threshold(best: 0.8, goal: .maximize)
            #expect(threshold == 0.8 / 1.2)
            #expect(abs(threshold - 0.666_666_666_666_666_7) < 1e-15)  // 1e-15: one ulp-scale slack for the division
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.8], [0.66]])).action == .stop)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.8], [threshold]])).action == .continue)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.8], [threshold.nextDown]])).action == .stop)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.8], [0.67]])).action == .continue)
        }

        @Test("reason names the trial's best, the formula and the threshold")
        func reasonText() {
            let decision = BanditPolicy(slackFactor: 0.1).evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.8], [0.71]]))
            #expect(decision.action == .stop)
            #expect(decision.reportCount == 1)
            #expect(decision.reason == "n=1: best-so-far 0.71 < 0.8/(1+0.1) = 0.7273, best of 2 trials with ≥ 1 reports (bandit)")
        }

        @Test("minimise mirrors: stop above best·(1+f)")
        func minimiseFactor() {
            let policy = BanditPolicy(slackFactor: 0.2)
            let threshold = 0.5 * (1 + 0.2)
            #expect(policy.threshold(best: 0.5, goal: .minimize) == threshold)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.minimize, [[0.5], [threshold]])).action == .continue)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.minimize, [[0.5], [threshold.nextUp]])).action == .stop)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.minimize, [[0.5], [0.55]])).action == .continue)
        }

        @Test("slack_amount: stop below best − a (maximise) or above best + a (minimise); the boundary continues")
        func slackAmount() {
            let policy = BanditPolicy(slackAmount: 0.1)
            let maxThreshold = 0.8 - 0.1
            #expect(policy.threshold(best: 0.8, goal: .maximize) == maxThreshold)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.8], [maxThreshold]])).action == .continue)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.8], [maxThreshold.nextDown]])).action == .stop)
            let minThreshold = 0.3 + 0.1
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.minimize, [[0.3], [minThreshold]])).action == .continue)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.minimize, [[0.3], [minThreshold.nextUp]])).action == .stop)
            // Negative values behave the same for an absolute slack.
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[-1], [-1.2]])).action == .stop)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[-1], [-1.05]])).action == .continue)
        }

        @Test("each peer's best is taken within its first n reports only; peers with fewer than n reports are ignored")
        func peersAtN() {
            let policy = BanditPolicy(slackFactor: 0)
            // Trial 0 reached 0.9 only at report 3; at n = 2 its best is 0.5, so 0.6 leads.
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.5, 0.4, 0.9], [0.6, 0.55]])).action == .continue)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.5, 0.7, 0.9], [0.6, 0.55]])).action == .stop)
            // Trial 0 has only one report: it is no peer at n = 2, however good.
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.99], [0.1, 0.2]])).action == .continue)
        }

        @Test("the trial's best-so-far counts, not its last value; finished peers count")
        func bestSoFarAndFinishedPeers() {
            let policy = BanditPolicy(slackFactor: 0.1)
            var snapshot = makeSnapshot(.maximize, [[0.9, 0.9], [0.88, 0.1]])
            snapshot.curves[0].isRunning = false
            #expect(policy.evaluate(trial: 1, in: snapshot).action == .continue)
            snapshot.curves[1].values = [0.7, 0.1]
            #expect(policy.evaluate(trial: 1, in: snapshot).action == .stop)
        }

        @Test("negative best with a slack factor: the threshold is never better than the best")
        func negativeBest() {
            let policy = BanditPolicy(slackFactor: 0.2)
            #expect(policy.threshold(best: -1, goal: .maximize) == -1.2)
            #expect(policy.threshold(best: -1, goal: .minimize) == -1 / 1.2)
            #expect(policy.evaluate(trial: 0, in: makeSnapshot(.maximize, [[-1], [-1.1]])).action == .continue)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[-1], [-1.1]])).action == .continue)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[-1], [-1.3]])).action == .stop)
        }

        @Test("negating every value and flipping the goal gives the same decisions", arguments: 0..<16)
        func mirrorSymmetry(seed: UInt64) {
            var rng = EarlyTerminationTestRNG(seed: seed)
            let curves = randomCurves(using: &rng)
            for policy in [BanditPolicy(slackFactor: 0.15), BanditPolicy(slackAmount: 0.3)] {
                for trial in curves.indices {
                    let up = policy.evaluate(trial: trial, in: makeSnapshot(.maximize, curves))
                    let down = policy.evaluate(trial: trial, in: makeSnapshot(.minimize, curves.map { $0.map { -$0 } }))
                    #expect(up.action == down.action, "seed \(seed), trial \(trial), \(policy)")
                }
            }
        }

        @Test("non-finite reports count as reports but are never best; a trial without a finite value is stopped when a peer has one")
        func nonFinite() {
            let policy = BanditPolicy(slackFactor: 0.1)
            // Trial 0's +inf and NaN are ignored: the best is 0.5, so 0.46 is within the slack.
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[.infinity, .nan], [0.46, 0.2]])).action == .continue)
            // Trial 1's NaN counts as its second report (n = 2), its best is 0.3.
            let decision = policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.5, 0.5], [0.3, .nan]]))
            #expect(decision.reportCount == 2)
            #expect(decision.action == .stop)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[0.5], [.nan]])).action == .stop)
            #expect(policy.evaluate(trial: 1, in: makeSnapshot(.maximize, [[.nan], [.nan]])).action == .continue)
        }

        @Test("the current best trial is never stopped", arguments: 0..<64)
        func bestNeverStopped(seed: UInt64) {
            var rng = EarlyTerminationTestRNG(seed: seed)
            let goal: PrimaryMetricGoal = Bool.random(using: &rng) ? .maximize : .minimize
            let curves = randomCurves(using: &rng)
            let policy = Bool.random(using: &rng)
                ? BanditPolicy(slackFactor: Double.random(in: 0...1, using: &rng))
                : BanditPolicy(slackAmount: Double.random(in: 0...1, using: &rng))
            var checked = 0
            for trial in curves.indices {
                for n in 1...curves[trial].count {
                    var truncated = curves
                    truncated[trial] = Array(curves[trial].prefix(n))
                    let snapshot = makeSnapshot(goal, truncated)
                    let peerBests = snapshot.curves(withAtLeast: n).compactMap { $0.best(withinFirst: n, goal: goal)?.value }
                    let best = peerBests.min { goal.isBetter($0, than: $1) }!
                    guard snapshot.curves[trial].best(withinFirst: n, goal: goal)?.value == best else { continue }
                    checked += 1
                    let decision = policy.evaluate(trial: trial, in: snapshot)
                    #expect(decision.action == .continue, "seed \(seed): \(policy), \(goal), trial \(trial) at n=\(n): \(decision.reason)")
                }
            }
            #expect(checked > 0, "seed \(seed): no best trial examined")
        }
    }
}
