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
            r = r.updated(best: best, rows: 0, dimension: 6, options: Self.options)
            #expect(r.side == (k < 2 ? 0.8 : 1.6), "after \(k + 1) successes: \(r)")
        }
        #expect(r.successes == 0 && r.failures == 0 && r.bestValue == 4)
        for best in [5.0, 6, 7] { r = r.updated(best: best, rows: 0, dimension: 6, options: Self.options) }
        #expect(r.side == 1.6, "capped at maximumSide")
        // Success, success, failure, success: no doubling.
        var s = TrustRegion(side: 0.4, bestValue: 0)
        for best in [1.0, 2, 2, 3] { s = s.updated(best: best, rows: 0, dimension: 6, options: Self.options) }
        #expect(s.side == 0.4 && s.successes == 1 && s.failures == 0)
    }

    /// τ_fail = max(4, d) failures halve L; an improvement below 10⁻³·|y*| is a failure.
    @Test("max(4, d) failures in a row halve the side", arguments: [2, 4, 10, 20])
    func shrinks(d: Int) {
        var r = TrustRegion(side: 0.8, bestValue: -100)
        let tau = max(4, d)
        for k in 1...tau {
            // −99.95 improves by 0.05 < 10⁻³·100: not a success.
            r = r.updated(best: k == 1 ? -99.95 : -100, rows: 0, dimension: d, options: Self.options)
            #expect(r.side == (k < tau ? 0.8 : 0.4), "d = \(d), after \(k) failures: \(r)")
        }
        #expect(r.failures == 0 && r.bestValue == -99.95)
    }

    /// Halving below 2⁻⁷ restarts the region at its initial side and counts the restart.
    @Test("a side below the minimum restarts at the initial side")
    func restarts() {
        var r = TrustRegion(side: 1.0 / 64, bestValue: 0)
        for _ in 0..<4 { r = r.updated(best: 0, rows: 0, dimension: 3, options: Self.options) }
        #expect(r.side == 1.0 / 128 && r.restarts == 0, "2⁻⁷ itself is not below the minimum")
        for _ in 0..<4 { r = r.updated(best: 0, rows: 0, dimension: 3, options: Self.options) }
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
        let moved = TrustRegion(side: 0.8, bestValue: 2, restarts: 1, restartRow: 340, awaitsFirstValue: true)
        #expect(moved.vector.count == 7 && TrustRegion(vector: moved.vector) == moved)
        #expect(TrustRegion(vector: [0.1, 0, 0, 0, 0, 2.5, 0]) == nil, "fractional restart row")
        #expect(TrustRegion(vector: [0.1, 0, 0, 0, 0, 2, 0.5]) == nil, "flag neither 0 nor 1")
        #expect(TrustRegion(vector: [0.1, 0, 0, 1, 2])?.restartRow == 0, "a five-value state saved before new-region restarts")
    }

    /// A collapse with ``TrustRegionOptions/Restart/newRegion``: the restart row is the
    /// history's length, the next `restartDesignSize` suggestions are random points, and the
    /// first update after them takes the best value since the restart as y* without counting
    /// a success or a failure.
    @Test("a restart in a new region draws its design, then counts from the new best")
    func restartsInNewRegion() {
        var options = TrustRegionOptions()
        options.restart = .newRegion
        options.restartDesignSize = 3
        var r = TrustRegion(side: 1.0 / 128, bestValue: 5)
        #expect(!r.isDrawingRestartDesign(rows: 400, options: options), "no restart yet")
        for k in 0..<4 { r = r.updated(best: 5, rows: 400 + k, dimension: 3, options: options) }
        #expect(r.side == 0.8 && r.restarts == 1 && r.restartRow == 403 && r.awaitsFirstValue)
        #expect((403..<406).allSatisfy { r.isDrawingRestartDesign(rows: $0, options: options) })
        #expect(!r.isDrawingRestartDesign(rows: 406, options: options))
        // The design's best is far below the old incumbent's 5: it becomes y*, no failure.
        r = r.updated(best: -7, rows: 406, dimension: 3, options: options)
        #expect(r.bestValue == -7 && !r.awaitsFirstValue && r.failures == 0 && r.successes == 0 && r.side == 0.8)
        r = r.updated(best: -6, rows: 407, dimension: 3, options: options)
        #expect(r.successes == 1, "an improvement on the new region's best is a success")
        // The default restart keeps the row at 0 and never draws.
        var i = TrustRegion(side: 1.0 / 128, bestValue: 5)
        for k in 0..<4 { i = i.updated(best: 5, rows: 400 + k, dimension: 3, options: Self.options) }
        #expect(i.restarts == 1 && i.restartRow == 0 && !i.awaitsFirstValue && !i.isDrawingRestartDesign(rows: 403, options: Self.options))
        // Alternating: the 1st restart stays at the incumbent, the 2nd moves, the 3rd returns
        // to the whole history's incumbent (row 0, y* reset from it at the next update).
        var alternating = TrustRegionOptions()
        alternating.restart = .alternating
        var a = TrustRegion(side: 1.0 / 128, bestValue: 5)
        for k in 0..<4 { a = a.updated(best: 5, rows: 400 + k, dimension: 3, options: alternating) }
        #expect(a.restarts == 1 && a.restartRow == 0 && !a.awaitsFirstValue && !a.isDrawingRestartDesign(rows: 403, options: alternating))
        a.side = 1.0 / 128
        for k in 0..<4 { a = a.updated(best: 5, rows: 500 + k, dimension: 3, options: alternating) }
        #expect(a.restarts == 2 && a.restartRow == 503 && a.awaitsFirstValue && a.isDrawingRestartDesign(rows: 503, options: alternating))
        a = a.updated(best: 1, rows: 504, dimension: 3, options: alternating)
        #expect(a.bestValue == 1 && !a.awaitsFirstValue)
        a.side = 1.0 / 128
        for k in 0..<4 { a = a.updated(best: 1, rows: 600 + k, dimension: 3, options: alternating) }
        #expect(a.restarts == 3 && a.restartRow == 0 && a.awaitsFirstValue && !a.isDrawingRestartDesign(rows: 603, options: alternating))
        a = a.updated(best: 5, rows: 604, dimension: 3, options: alternating)
        #expect(a.bestValue == 5 && a.successes == 0 && a.failures == 0, "y* is the incumbent's again, no success counted")
    }

    /// ``LocalSubset/nearest(observed:to:count:logLengthScales:)`` against a brute-force sort:
    /// the k rows nearest the centre in the ARD metric, the centre among them.
    @Test("the local model's rows are the k nearest the centre in the length-scale metric", arguments: 0..<8)
    func nearestRows(seed: UInt64) {
        var rng = SplitMix64(seed: seed, stream: 3)
        let n = Int.random(in: 30...200, using: &rng), d = Int.random(in: 1...8, using: &rng)
        var x = Matrix(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { x[i, j] = Double.random(in: 0...1, using: &rng) } }
        let logScales = (0..<d).map { _ in Double.random(in: -3...1, using: &rng) }
        let centre = Int.random(in: 0..<n, using: &rng), k = Int.random(in: 1...n, using: &rng)
        let rows = LocalSubset.nearest(observed: x, to: centre, count: k, logLengthScales: logScales)
        func distance(_ i: Int) -> Double {
            (0..<d).map { j in pow((x[i, j] - x[centre, j]) / exp(logScales[j]), 2) }.reduce(0, +)
        }
        let expected = (0..<n).sorted { distance($0) < distance($1) }.prefix(k).sorted()
        #expect(rows == expected, "seed \(seed): n \(n), d \(d), k \(k)")
        #expect(rows.contains(centre))
        // Asking for more rows than there are: all of them.
        #expect(LocalSubset.nearest(observed: x, to: centre, count: n + 5, logLengthScales: nil) == Array(0..<n))
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
        for t in 0..<n { record(space.sample(using: &rng), trial: t, in: &history) }
        return history
    }

    /// Appends Branin's value at `configuration` to `history` as trial `trial`.
    static func record(_ configuration: Configuration, trial: Int, in history: inout SamplerHistory) {
        let v = TestFunction.branin.evaluate([configuration["x"]!.numericValue!, configuration["y"]!.numericValue!])
        history.observations.append(SamplerObservation(trial: trial, configuration: configuration, value: v, isPending: false))
    }

    /// The sampler's suggestion for `trial`, checked against a sampler of the same seed and
    /// options restored from the state saved before it: the same configuration and state.
    static func suggestAndResume(_ sampler: inout BayesianSampler, space: SearchSpace, seed: UInt64, options: BayesianOptimizerOptions,
                                 history: SamplerHistory, trial: Int, label: String) throws -> Suggestion {
        let saved = sampler.state
        let next = try #require(try sampler.suggestion(history: history, trialIndex: trial))
        var resumed = BayesianSampler(space: space, seed: seed, options: options)
        if let saved { try resumed.restore(saved) }
        let again = try #require(try resumed.suggestion(history: history, trialIndex: trial))
        #expect(again.configuration == next.configuration && again.state == next.state, "\(label)")
        return next
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
            let next = try Self.suggestAndResume(&sampler, space: space, seed: 4, options: options, history: history, trial: t, label: "trial \(t)")
            let region = try #require(sampler.optimizer.trustRegion)
            sides.insert(region.side)
            Self.record(next.configuration, trial: t, in: &history)
        }
        #expect(!sides.isEmpty)
        try Self.exactResumeWithRestarts(restart: .newRegion)
        try Self.exactResumeWithRestarts(restart: .fresh)
        try Self.exactResumeWithRestarts(restart: .globalModel)
        try Self.exactResumeWithRestarts(restart: .alternating)
        var bad = BayesianSampler(space: space, seed: 4, options: options)
        var state = try #require(sampler.state)
        state.vectors[SamplerState.trustRegionKey] = [-1, 0, 0, 0, 0]
        #expect(throws: ConfigurationError.self) { try bad.restore(state) }
    }

    /// With a local model (``TrustRegionOptions/localModelSize``) and restarts in a new region
    /// forced quickly (one failure halves L, L < 0.5 restarts): the GP is fitted on k rows,
    /// restart points are random and labelled, the region is then centred on the best row since
    /// the restart, and a restored sampler continues exactly at every step. A fresh restart's
    /// model sees only the rows since the restart once its design is drawn; a global-model
    /// restart point comes from the GP on every row, searched over the whole cube.
    static func exactResumeWithRestarts(restart: TrustRegionOptions.Restart) throws {
        let space = try SearchSpace(["x": .uniform(-5, 10), "y": .uniform(0, 15)])
        var options = Self.samplerOptions(threshold: 20, enabled: true)
        options.trustRegion.localModelSize = 12
        options.trustRegion.restart = restart
        options.trustRegion.restartDesignSize = 2
        options.trustRegion.failureTolerance = 1
        options.trustRegion.minimumSide = 0.5
        var history = Self.history(space, n: 25)
        var sampler = BayesianSampler(space: space, seed: 9, options: options)
        var restartPoints = 0, centredSinceRestart = 0
        let encoding = SearchSpaceEncoding(space)
        for t in 25..<39 {
            let next = try Self.suggestAndResume(&sampler, space: space, seed: 9, options: options, history: history, trial: t,
                                                 label: "\(restart) trial \(t)")
            let message = next.diagnostics.map(\.message).joined()
            let region = try #require(sampler.optimizer.trustRegion)
            let sinceRestart = t - region.restartRow
            let global = restart == .globalModel && region.isDrawingRestartDesign(rows: t, options: options.trustRegion)
            if global {
                #expect(message.contains("GP on \(t) observations") && message.contains("the whole history's model"), "trial \(t): \(message)")
            } else if restart == .fresh, region.restartRow > 0, sinceRestart >= 2 {
                #expect(message.contains("GP on a local subset of \(min(12, sinceRestart)) of \(t) observations"), "trial \(t): \(message)")
            } else {
                #expect(message.contains("GP on a local subset of 12 of \(t) observations"), "trial \(t): \(message)")
            }
            if message.contains("a uniformly random point") || global {
                restartPoints += 1
                #expect(region.isDrawingRestartDesign(rows: t, options: options.trustRegion))
            } else if region.restartRow > 0 {
                // Centred on the best row since the restart: the suggestion is in that box.
                let rows = history.observations[region.restartRow...]
                let best = try #require(rows.min { $0.value! < $1.value! })
                let box = region.box(center: encoding.encode(best.configuration),
                                     logLengthScales: try #require(sampler.lastModelSuggestion?.hyperparameters.logLengthScales))
                #expect(box.contains(try #require(sampler.lastModelSuggestion?.point)), "trial \(t)")
                centredSinceRestart += 1
            }
            Self.record(next.configuration, trial: t, in: &history)
        }
        #expect(restartPoints >= 2 && centredSinceRestart >= 1, "restart points \(restartPoints), centred \(centredSinceRestart)")
    }
}
