import Foundation
import Testing
@testable import Optimizer
import OptimizerBenchmarks
import TestSupport

/// The exact large-history model (``LargeHistoryModel/exact``, ``RefitSchedule``): its
/// decisions, its agreement with a refit on the same θ, and its state round trip. The threshold
/// is lowered so that the path runs at test sizes. (The default subset model: LocalSubsetTests.)
@Suite struct LargeHistoryTests {
    static let options = LargeHistoryOptions()

    @Test("the schedule refits on growth, on count and when the history shrinks; otherwise extends or re-anchors")
    func scheduleDecisions() {
        let s = RefitSchedule(refitCount: 1000, suggestionsSinceRefit: 3, anchorCount: 1000, factorCount: 1010, fingerprint: 42)
        #expect(s.decision(n: 1011, prefixFingerprint: 42, options: Self.options) == .extend)
        #expect(s.decision(n: 1011, prefixFingerprint: 41, options: Self.options) == .reanchor)
        #expect(s.decision(n: 1005, prefixFingerprint: nil, options: Self.options) == .reanchor)
        #expect(s.decision(n: 1199, prefixFingerprint: 42, options: Self.options) == .extend)
        #expect(s.decision(n: 1200, prefixFingerprint: 42, options: Self.options) == .refit)  // 1.2 × 1000
        #expect(s.decision(n: 999, prefixFingerprint: nil, options: Self.options) == .refit)
        var due = s
        due.suggestionsSinceRefit = Self.options.refitEvery
        #expect(due.decision(n: 1011, prefixFingerprint: 42, options: Self.options) == .refit)
    }

    /// Hartmann-6 history of 60 Sobol points, threshold 50: the first suggestion refits, the
    /// next ones (one new observation each) extend the kept factor and do not fit, and each
    /// suggestion's posterior mean at the incumbent… is checked through the suggestion: a fresh
    /// optimizer given the same θ and forced to refactorise (a re-anchor, by swapping the
    /// history's first two rows, which leaves the GP unchanged) suggests the same point to
    /// 1e-6 (the two factors differ by rounding only, see IncrementalFactorTests; the
    /// acquisition maximiser is continuous in them except at ties).
    @Test("sequential suggestions extend the kept factor and agree with a refactorisation")
    func extensionsAgreeWithARefactorisation() throws {
        var options = BayesianOptimizerOptions()
        options.largeHistory.threshold = 50
        options.largeHistory.model = .exact
        let f = TestFunction.hartmann6
        var x = QuasiRandom.unitCube(count: 60, dimension: 6, seed: 5)
        var y = (0..<60).map { -f.evaluate(unitCube: x.row($0)) }
        var optimizer = BayesianOptimizer(options: options)
        var decisions: [RefitSchedule.Decision?] = []
        for step in 0..<6 {
            var rng = SplitMix64(seed: 1, stream: UInt64(step))
            let candidates = QuasiRandom.unitCube(count: 256, dimension: 6, seed: 77 &+ UInt64(step))
            let before = optimizer
            let s = try optimizer.suggest(observed: x, values: y, candidates: candidates, using: &rng)
            decisions.append(s.decision)
            if s.decision == .extend {
                #expect(s.fit.runs.isEmpty && s.hyperparameters == before.lastHyperparameters)
                // Reference: the same rows with the first two swapped, so the kept rows are no
                // longer a prefix and the factor is rebuilt by one dpotrf on the same θ.
                var swapped = x
                for j in 0..<6 { (swapped[0, j], swapped[1, j]) = (x[1, j], x[0, j]) }
                var reference = before
                var yy = y
                yy.swapAt(0, 1)
                var rng2 = SplitMix64(seed: 1, stream: UInt64(step))
                let r = try reference.suggest(observed: swapped, values: yy, candidates: candidates, using: &rng2)
                #expect(r.decision == .reanchor)
                #expect(abs(r.acquisitionValue - s.acquisitionValue) < 1e-6 * max(1, abs(s.acquisitionValue)))
                for j in 0..<6 { #expect(abs(r.point[j] - s.point[j]) < 1e-6, "step \(step) coordinate \(j)") }
            }
            x = x.appendingRows(Matrix(rowVectors: [s.point]))
            y.append(-f.evaluate(unitCube: s.point))
        }
        #expect(decisions == [.refit, .extend, .extend, .extend, .extend, .extend])
        #expect(optimizer.schedule?.factorCount == 65 && optimizer.schedule?.anchorCount == 60)
    }

    /// At or below the threshold nothing changes: no schedule is kept and the state has the
    /// warm start only (the suggestions are those of before; `bench quality` checks that too).
    @Test("below the threshold there is no schedule")
    func belowTheThresholdNothingIsKept() throws {
        let space = try SearchSpace(["x": .uniform(-5, 10), "y": .uniform(0, 15)])
        var sampler = BayesianSampler(space: space, seed: 3, initialDesignSize: 5)
        var history = SamplerHistory(goal: .minimize)
        let suggestions = try SamplerStateTests.run(count: 12, sampler: &sampler, history: &history)
        #expect(sampler.optimizer.schedule == nil)
        #expect(suggestions.last?.state?.vectors.keys.sorted() == [SamplerState.warmStartKey])
    }

    /// With the threshold at 15, the state after each suggestion from 16 to 29 observations,
    /// JSON-encoded and decoded, restored into a new sampler (which has no kept factor and
    /// rebuilds it from the anchor), gives bit for bit the next suggestion and state of the
    /// sampler that never stopped — across extensions and one refit (15 → 18 → …).
    @Test("a restored schedule continues exactly")
    func restoredScheduleContinuesExactly() throws {
        let space = try SearchSpace(["x": .uniform(-5, 10), "y": .uniform(0, 15)])
        var options = BayesianOptimizerOptions()
        options.largeHistory.threshold = 15
        options.largeHistory.model = .exact
        var original = BayesianSampler(space: space, seed: 4, initialDesignSize: 5, options: options)
        var history = SamplerHistory(goal: .minimize)
        _ = try SamplerStateTests.run(count: 16, sampler: &original, history: &history)
        var decisions: [RefitSchedule.Decision] = []
        for t in 16..<30 {
            let saved = try #require(original.state)
            #expect(saved.vectors[SamplerState.refitScheduleKey] != nil || t == 16)
            let next = try #require(try original.suggestion(history: history, trialIndex: t))
            decisions.append(original.optimizer.schedule.map { $0.suggestionsSinceRefit == 0 ? .refit : .extend } ?? .refit)
            let json = try JSONEncoder().encode(saved)
            var resumed = BayesianSampler(space: space, seed: 4, initialDesignSize: 5, options: options)
            try resumed.restore(try JSONDecoder().decode(SamplerState.self, from: json))
            let again = try #require(try resumed.suggestion(history: history, trialIndex: t))
            #expect(again.configuration == next.configuration, "trial \(t)")
            #expect(again.state == next.state, "trial \(t)")
            let c = next.configuration
            let value = TestFunction.branin.evaluate([c["x"]!.numericValue!, c["y"]!.numericValue!])
            history.observations.append(SamplerObservation(trial: t, configuration: c, value: value, isPending: false))
        }
        #expect(decisions.contains(.extend) && decisions.dropFirst().contains(.refit), "\(decisions)")
    }

    @Test("a schedule of the wrong shape is refused")
    func wrongShapeIsRefused() {
        let space = try! SearchSpace(["x": .uniform(-5, 10), "y": .uniform(0, 15)])
        var sampler = BayesianSampler(space: space, seed: 1)
        for bad: [Double] in [[1, 2, 3], [1, 0, 1, -1, 0], [1.5, 0, 1, 1, 0], [1, 0, 1, 1, .nan]] {
            #expect(throws: ConfigurationError.self) {
                try sampler.restore(SamplerState(vectors: [SamplerState.warmStartKey: [0, 0, 0, 0], SamplerState.refitScheduleKey: bad]))
            }
        }
    }
}
