import Foundation
import Testing
@testable import Optimizer
import OptimizerBenchmarks
import TestSupport

@Suite struct BayesianOptimizerTests {
    private func history(seed: UInt64) -> (Matrix, [Double]) {
        let x = QuasiRandom.unitCube(count: 20, dimension: 3, seed: seed)
        return (x, (0..<20).map { -TestFunction.hartmann3.evaluate(unitCube: x.row($0)) })
    }

    @Test func sameSeedSameSuggestion() throws {
        let (x, y) = history(seed: 3)
        let c = QuasiRandom.unitCube(count: 256, dimension: 3, seed: 4)
        var a = BayesianOptimizer(), b = BayesianOptimizer()
        var ra = SplitMix64(seed: 11), rb = SplitMix64(seed: 11)
        let sa = try a.suggest(observed: x, values: y, candidates: c, using: &ra)
        let sb = try b.suggest(observed: x, values: y, candidates: c, using: &rb)
        #expect(sa.point == sb.point)
        #expect(sa.point.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(a.lastHyperparameters == sa.hyperparameters)
    }

    /// Kriging believer: with the previous suggestion pending, the next one goes elsewhere.
    @Test func pendingPointsPushTheNextSuggestionAway() throws {
        let (x, y) = history(seed: 5)
        let c = QuasiRandom.unitCube(count: 512, dimension: 3, seed: 6)
        var optimizer = BayesianOptimizer()
        var rng = SplitMix64(seed: 1)
        let first = try optimizer.suggest(observed: x, values: y, candidates: c, using: &rng)
        let pending = Matrix(rowVectors: [first.point])
        var rng2 = SplitMix64(seed: 1)
        let second = try optimizer.suggest(observed: x, values: y, pending: pending, candidates: c, using: &rng2)
        let distance = zip(first.point, second.point).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        #expect(distance > 1e-3, "second suggestion \(second.point) repeats the pending \(first.point)")
    }

    /// Incumbent shrinkage: f* moves linearly from the best standardised observation (s = 0)
    /// to the largest posterior mean at an observed point (s = 1, computed here through
    /// `predict`, independently of `meanAtInputs`); on noisy data the latter is lower. The noise
    /// prior is pinned near σ²ₙ = 0.1 so that the fit smooths the data whatever the default prior.
    @Test func incumbentShrinksFromTheBestObservationToTheModelsBest() throws {
        var noise = SplitMix64(seed: 21)
        let x = QuasiRandom.unitCube(count: 30, dimension: 2, seed: 22)
        let y = (0..<30).map { sin(6 * x[$0, 0]) + cos(5 * x[$0, 1]) + 0.4 * standardNormal(using: &noise) }
        let c = QuasiRandom.unitCube(count: 256, dimension: 2, seed: 23)
        let mean = y.reduce(0, +) / 30
        let sd = (y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 29).squareRoot()
        let bestObserved = (y.max()! - mean) / sd
        var incumbents: [Double] = []
        var modelBest = 0.0, fittedNoise = 0.0
        for s in [0, 0.5, 1] {
            var options = BayesianOptimizerOptions()
            options.outputWarping = .none
            options.priorMean = .average      // f* then stays in plain standardised units
            options.fit.prior.logNoiseLocation = log(0.1)
            options.fit.prior.logNoiseScale = 0.25
            options.incumbentShrinkage = s
            var optimizer = BayesianOptimizer(options: options)
            var rng = SplitMix64(seed: 24)
            let suggestion = try optimizer.suggest(observed: x, values: y, candidates: c, using: &rng)
            incumbents.append(suggestion.incumbent)
            modelBest = suggestion.fit.model.predict(x).mean.max()!
            fittedNoise = exp(suggestion.hyperparameters.logNoiseVariance)
        }
        #expect(abs(incumbents[0] - bestObserved) < 1e-12)
        #expect(abs(incumbents[2] - modelBest) < 1e-9)
        #expect(abs(incumbents[1] - (incumbents[0] + incumbents[2]) / 2) < 1e-9)
        #expect(fittedNoise > 0.01, "the fit should attribute part of the data to noise (σ²ₙ = \(fittedNoise))")
        #expect(incumbents[2] < incumbents[0] - 0.05, "\(incumbents)")
    }

    @Test func nonFiniteValuesAreRejectedByIndex() {
        let (x, y0) = history(seed: 7)
        var y = y0
        y[4] = .nan
        var optimizer = BayesianOptimizer()
        var rng = SplitMix64(seed: 1)
        #expect(throws: GaussianProcessError.self) {
            _ = try optimizer.suggest(observed: x, values: y, candidates: x, using: &rng)
        }
    }
}

@Suite struct OutputWarpingTests {
    @Test func heavyTailedValuesAreCompressedInOrder() {
        // Rosenbrock-like: most values near the best, one far tail.
        let values = [-1.0, -2, -3, -4, -2000, -5, -10_000]
        let warped = OutputWarping.logGapWhenHeavyTailed.apply(to: values)
        #expect(warped[0] == 0)                               // the best maps to 0
        for i in values.indices {
            for j in values.indices where values[i] < values[j] { #expect(warped[i] < warped[j]) }
        }
        // The tail is compressed: gaps 9999 and 1 (ratio 9999) become log1p(9999/3) and
        // log1p(1/3) (median gap 3), a ratio of about 28.
        let ratio = warped[6] / warped[1]
        #expect(ratio > 20 && ratio < 40)
        #expect(warped.allSatisfy { $0.isFinite })
    }

    @Test func wellBehavedValuesAreLeftAlone() {
        let values = [-3.2, -2.9, -0.5, -0.1, -1.4, -0.9]    // Hartmann-like: max gap ≈ 1.5 × median
        #expect(OutputWarping.logGapWhenHeavyTailed.apply(to: values) == values)
        #expect(OutputWarping.none.apply(to: [-1, -1e6]) == [-1, -1e6])
        #expect(OutputWarping.logGapWhenHeavyTailed.apply(to: [2, 2, 2]) == [2, 2, 2])   // constant: no gap
    }
}
