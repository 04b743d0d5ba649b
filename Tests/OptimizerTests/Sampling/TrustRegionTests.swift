import Foundation
import Testing
@testable import Optimizer
import OptimizerBenchmarks
import TestSupport

/// The trust region (``TrustRegion``, ``TrustRegionOptions``): its state machine (TuRBO-1's
/// success/failure counters), its box, that it changes nothing below its threshold, and that
/// a sampler restored from a saved state continues exactly.
@Suite struct TrustRegionTests {
    static let options = TrustRegionOptions()

    /// Three successes in a row double L; a failure in between resets the count.
    @Test("three improvements in a row double the side, capped at the maximum")
    func expands() {
        var r = TrustRegion(side: 0.8, bestValue: 1)
        for (k, best) in [2.0, 3, 4].enumerated() {
            r = r.updated(best: best, dimension: 6, options: Self.options)
            #expect(r.side == (k < 2 ? 0.8 : 1.6), "after \(k + 1) successes: \(r)")
        }
        #expect(r.successes == 0 && r.failures == 0 && r.bestValue == 4)
        for best in [5.0, 6, 7] { r = r.updated(best: best, dimension: 6, options: Self.options) }
        #expect(r.side == 1.6, "capped at maximumSide")
        // Success, success, failure, success: no doubling.
        var s = TrustRegion(side: 0.4, bestValue: 0)
        for best in [1.0, 2, 2, 3] { s = s.updated(best: best, dimension: 6, options: Self.options) }
        #expect(s.side == 0.4 && s.successes == 1 && s.failures == 0)
    }

    /// τ_fail = max(4, d) failures halve L; an improvement below 10⁻³·|y*| is a failure.
    @Test("max(4, d) failures in a row halve the side", arguments: [2, 4, 10, 20])
    func shrinks(d: Int) {
        var r = TrustRegion(side: 0.8, bestValue: -100)
        let tau = max(4, d)
        for k in 1...tau {
            // −99.95 improves by 0.05 < 10⁻³·100: not a success.
            r = r.updated(best: k == 1 ? -99.95 : -100, dimension: d, options: Self.options)
            #expect(r.side == (k < tau ? 0.8 : 0.4), "d = \(d), after \(k) failures: \(r)")
        }
        #expect(r.failures == 0 && r.bestValue == -99.95)
    }

    /// Halving below 2⁻⁷ restarts the region at its initial side and counts the restart.
    @Test("a side below the minimum restarts at the initial side")
    func restarts() {
        var r = TrustRegion(side: 1.0 / 64, bestValue: 0)
        for _ in 0..<4 { r = r.updated(best: 0, dimension: 3, options: Self.options) }
        #expect(r.side == 1.0 / 128 && r.restarts == 0, "2⁻⁷ itself is not below the minimum")
        for _ in 0..<4 { r = r.updated(best: 0, dimension: 3, options: Self.options) }
        #expect(r.side == 0.8 && r.restarts == 1 && r.failures == 0 && r.successes == 0)
    }

    /// Over random centres, sides and length scales: the box lies in [0, 1]^d, contains the
    /// centre, and where it is not clipped its widths are L·wⱼ with ∏ wⱼ = 1.
    @Test("the box contains the incumbent and stays in the unit cube", arguments: 0..<32)
    func box(seed: UInt64) {
        var rng = SplitMix64(seed: seed, stream: 7)
        let d = Int.random(in: 1...20, using: &rng)
        let center = (0..<d).map { _ in Double.random(in: 0...1, using: &rng) }
        let logScales = (0..<d).map { _ in Double.random(in: -4...2, using: &rng) }
        let side = Double.random(in: 0.001...1.6, using: &rng)
        let box = TrustRegion(side: side, bestValue: 0).box(center: center, logLengthScales: logScales)
        #expect(box.contains(center), "seed \(seed)")
        let meanLog = logScales.reduce(0, +) / Double(d)
        for j in 0..<d {
            #expect(0 <= box.lower[j] && box.lower[j] <= box.upper[j] && box.upper[j] <= 1, "seed \(seed), j \(j)")
            let half = side * min(max(exp(logScales[j] - meanLog), 1e-3), 1e3) / 2
            if center[j] - half > 0 && center[j] + half < 1 {
                #expect(abs((box.upper[j] - box.lower[j]) - 2 * half) <= 1e-12, "seed \(seed), j \(j)")
            }
        }
        // Equal length scales: a cube of side L around an interior centre.
        let cube = TrustRegion(side: 0.2, bestValue: 0).box(center: [0.5, 0.5], logLengthScales: [-1, -1])
        #expect(cube.lower == [0.4, 0.4] && cube.upper == [0.6, 0.6])
    }

    @Test("the state survives its vector and bad vectors are refused")
    func vector() {
        let r = TrustRegion(side: 0.1, successes: 2, failures: 0, bestValue: -3.25, restarts: 4)
        #expect(TrustRegion(vector: r.vector) == r)
        #expect(TrustRegion(vector: [0, 0, 0, 0, 0]) == nil, "side 0")
        #expect(TrustRegion(vector: [0.1, 1.5, 0, 0, 0]) == nil, "fractional count")
        #expect(TrustRegion(vector: [0.1, 0, 0, .nan, 0]) == nil, "NaN best value")
        #expect(TrustRegion(vector: [0.1, 0, 0, 0]) == nil, "four values")
    }

    /// The maximiser's L-BFGS-B runs stay in the box (candidates and starts inside it).
    @Test("the acquisition maximiser respects the search box")
    func maximiserInBox() throws {
        let (x, y) = LocalSubsetTests.history(n: 40)
        let model = try GaussianProcess(inputs: x, targets: y.map { $0 - (y.max() ?? 0) },
                                        hyperparameters: GaussianProcessHyperparameters(logLengthScales: [Double](repeating: log(0.3), count: 6),
                                                                                        logSignalVariance: 0, logNoiseVariance: log(1e-6)))
        let box = SearchBox(lower: [Double](repeating: 0.6, count: 6), upper: [Double](repeating: 0.7, count: 6))
        var options = AcquisitionMaximizerOptions()
        options.searchBox = box
        let candidates = BayesianOptimizer.mapped(QuasiRandom.unitCube(count: 64, dimension: 6, seed: 1), into: box)
        let maximum = AcquisitionMaximizer.maximize(ExpectedImprovement(incumbent: 0, isLogarithmic: true), posterior: model,
                                                    candidates: candidates, options: options)
        #expect(box.contains(maximum.point), "\(maximum.point)")
        #expect(maximum.runs.allSatisfy { box.contains($0.x) })
    }

    /// Branin-with-noise histories of n trials (minimised).
    static func history(_ space: SearchSpace, n: Int) -> SamplerHistory {
        var history = SamplerHistory(goal: .minimize)
        var rng = SplitMix64(seed: 5, stream: 0)
        for t in 0..<n {
            let c = space.sample(using: &rng)
            let v = TestFunction.branin.evaluate([c["x"]!.numericValue!, c["y"]!.numericValue!])
            history.observations.append(SamplerObservation(trial: t, configuration: c, value: v, isPending: false))
        }
        return history
    }

    static func samplerOptions(threshold: Int, enabled: Bool) -> BayesianOptimizerOptions {
        var options = BayesianOptimizerOptions()
        options.trustRegion.isEnabled = enabled
        options.trustRegion.threshold = threshold
        options.acquisition.candidateCount = 128
        return options
    }

    /// Below the threshold the option changes nothing: the same configuration, diagnostics and
    /// state, bit for bit, and no trust region in the state.
    @Test("below the threshold suggestions are those without a trust region")
    func belowThreshold() throws {
        let space = try SearchSpace(["x": .uniform(-5, 10), "y": .uniform(0, 15)])
        let history = Self.history(space, n: 29)
        var on = BayesianSampler(space: space, seed: 2, options: Self.samplerOptions(threshold: 30, enabled: true))
        var off = BayesianSampler(space: space, seed: 2, options: Self.samplerOptions(threshold: 30, enabled: false))
        let a = try #require(try on.suggestion(history: history, trialIndex: 29))
        let b = try #require(try off.suggestion(history: history, trialIndex: 29))
        #expect(a.configuration == b.configuration && a.state == b.state && a.diagnostics == b.diagnostics)
        #expect(a.state?.vectors[SamplerState.trustRegionKey] == nil)
        // At the threshold the region starts and the suggestion lies in its box.
        let at = Self.history(space, n: 30)
        let c = try #require(try on.suggestion(history: at, trialIndex: 30))
        let region = try #require(on.optimizer.trustRegion)
        #expect(region.side == 0.8 && region.failures == 0 && c.state?.vectors[SamplerState.trustRegionKey] == region.vector)
        let point = try #require(on.lastModelSuggestion?.point)
        let encoding = SearchSpaceEncoding(space)
        let finished = at.observations.map { encoding.encode($0.configuration) }
        let best = at.observations.indices.min { at.observations[$0].value! < at.observations[$1].value! }!
        let box = region.box(center: finished[best], logLengthScales: try #require(on.lastModelSuggestion?.hyperparameters.logLengthScales))
        #expect(box.contains(point), "\(point) not in \(box)")
    }

    /// Ten suggestions above the threshold with the region on, each evaluated; a sampler
    /// restored from any step's saved state makes the next suggestion exactly as the original.
    @Test("a restored sampler continues exactly")
    func exactResume() throws {
        let space = try SearchSpace(["x": .uniform(-5, 10), "y": .uniform(0, 15)])
        let options = Self.samplerOptions(threshold: 20, enabled: true)
        var history = Self.history(space, n: 25)
        var sampler = BayesianSampler(space: space, seed: 4, options: options)
        var sides: Set<Double> = []
        for t in 25..<35 {
            let saved = sampler.state
            let next = try #require(try sampler.suggestion(history: history, trialIndex: t))
            var resumed = BayesianSampler(space: space, seed: 4, options: options)
            if let saved { try resumed.restore(saved) }
            let again = try #require(try resumed.suggestion(history: history, trialIndex: t))
            #expect(again.configuration == next.configuration && again.state == next.state, "trial \(t)")
            let region = try #require(sampler.optimizer.trustRegion)
            sides.insert(region.side)
            let c = next.configuration
            let v = TestFunction.branin.evaluate([c["x"]!.numericValue!, c["y"]!.numericValue!])
            history.observations.append(SamplerObservation(trial: t, configuration: c, value: v, isPending: false))
        }
        #expect(!sides.isEmpty)
        var bad = BayesianSampler(space: space, seed: 4, options: options)
        var state = try #require(sampler.state)
        state.vectors[SamplerState.trustRegionKey] = [-1, 0, 0, 0, 0]
        #expect(throws: ConfigurationError.self) { try bad.restore(state) }
    }
}
