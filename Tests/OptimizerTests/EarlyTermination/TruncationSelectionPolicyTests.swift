import Testing
import Optimizer
import TestSupport

extension EarlyTerminationTests {
    @Suite("Truncation selection policy")
    struct TruncationSelectionPolicyTests {
        /// One report per trial with these values, maximised.
        static func single(_ values: [Double], goal: PrimaryMetricGoal = .maximize) -> MetricHistorySnapshot {
            makeSnapshot(goal, values.map { [$0] })
        }

        @Test("cut = ⌊c·p/100⌋")
        func cutRounding() {
            #expect(TruncationSelectionPolicy(truncationPercentage: 20).cut(trialCount: 4) == 0)
            #expect(TruncationSelectionPolicy(truncationPercentage: 20).cut(trialCount: 5) == 1)
            #expect(TruncationSelectionPolicy(truncationPercentage: 25).cut(trialCount: 10) == 2)
            #expect(TruncationSelectionPolicy(truncationPercentage: 99).cut(trialCount: 3) == 2)
            #expect(TruncationSelectionPolicy(truncationPercentage: 1).cut(trialCount: 99) == 0)
            #expect(TruncationSelectionPolicy(truncationPercentage: 1).cut(trialCount: 100) == 1)
        }

        @Test("cut 0 never stops, not even the worst trial")
        func cutZero() {
            let policy = TruncationSelectionPolicy(truncationPercentage: 20)
            let decision = policy.evaluate(trial: 0, in: Self.single([0.1, 0.5, 0.6, 0.7]))
            #expect(decision.action == .continue)
            #expect(decision.reason == "n=1: cut = ⌊4·20/100⌋ = 0, nothing to truncate (truncation selection)")
            for c in 1...19 {
                let values = (0..<c).map(Double.init)
                #expect(TruncationSelectionPolicy(truncationPercentage: 5).evaluate(trial: 0, in: Self.single(values)).action == .continue)
            }
        }

        @Test("c = 5, p = 20: only the worst stops")
        func worstOfFive() {
            let policy = TruncationSelectionPolicy(truncationPercentage: 20)
            let snapshot = Self.single([0.1, 0.2, 0.3, 0.4, 0.5])
            #expect((0..<5).map { policy.evaluate(trial: $0, in: snapshot).action } == [.stop, .continue, .continue, .continue, .continue])
            #expect(policy.evaluate(trial: 0, in: snapshot).reason
                == "n=1: best-so-far 0.1; 4 of 5 trials strictly better ≥ c − cut = 4 (truncation 20%, cut = ⌊5·20/100⌋ = 1)")
        }

        @Test("c = 10, p = 25: cut 2 (2.5 floored); the third worst continues")
        func floorOfCut() {
            let policy = TruncationSelectionPolicy(truncationPercentage: 25)
            let snapshot = Self.single((1...10).map { Double($0) / 10 })
            let stopped = (0..<10).filter { policy.evaluate(trial: $0, in: snapshot).action == .stop }
            #expect(stopped == [0, 1])
        }

        @Test("ties are in the trial's favour")
        func ties() {
            let policy = TruncationSelectionPolicy(truncationPercentage: 20)
            let snapshot = Self.single([0.1, 0.1, 0.3, 0.4, 0.5])
            #expect(policy.evaluate(trial: 0, in: snapshot).action == .continue)
            #expect(policy.evaluate(trial: 1, in: snapshot).action == .continue)
        }

        @Test("p = 99 of 3: cut 2, the best trial still continues")
        func highPercentage() {
            let policy = TruncationSelectionPolicy(truncationPercentage: 99)
            let snapshot = Self.single([0.1, 0.2, 0.3])
            #expect((0..<3).map { policy.evaluate(trial: $0, in: snapshot).action } == [.stop, .stop, .continue])
        }

        @Test("each peer's best within its first n reports; only peers with ≥ n reports; minimise")
        func bestWithinFirstN() {
            let policy = TruncationSelectionPolicy(truncationPercentage: 50)
            // Minimise, n = 2. Peer 0's best within 2 is 0.4 (its 0.1 comes later); peer 1 has too few reports.
            let snapshot = makeSnapshot(.minimize, [[0.5, 0.4, 0.1], [0.01], [0.3, 0.45]])
            // c = 2, cut = 1: trial 2 (best 0.3) beats peer 0 (0.4) → peer 0 is the one cut.
            #expect(policy.evaluate(trial: 2, in: snapshot).action == .continue)
            var atTwo = snapshot
            atTwo.curves[0].values = [0.5, 0.4]
            #expect(policy.evaluate(trial: 0, in: atTwo).action == .stop)
        }

        @Test("a trial without a finite value counts as worse than every finite one")
        func nonFinite() {
            let policy = TruncationSelectionPolicy(truncationPercentage: 20)
            let snapshot = Self.single([.nan, 0.1, 0.2, 0.3, .infinity])
            // c = 5, cut = 1: the NaN trial has 3 trials strictly better (the +inf one has no finite value either).
            #expect(policy.evaluate(trial: 0, in: snapshot).action == .continue)
            #expect(policy.evaluate(trial: 0, in: Self.single([.nan, 0.1, 0.2, 0.3, 0.4])).action == .stop)
            #expect(policy.evaluate(trial: 1, in: Self.single([.nan, 0.1, 0.2, 0.3, 0.4])).action == .continue)
        }
    }
}
