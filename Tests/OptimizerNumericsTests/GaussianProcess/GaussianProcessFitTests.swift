import Foundation
import Testing
@testable import OptimizerNumerics
import TestSupport

@Suite struct GaussianProcessFitTests {
    /// The MAP objective at the fitted θ is no worse than at any start, and the result is a
    /// stationary point or sits on a bound (KKT through L-BFGS-B's projected gradient).
    @Test(arguments: 0..<8)
    func fitImprovesOnEveryStart(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let d = 3
        let x = randomMatrix(rows: 30, columns: d, using: &rng)
        let y = (0..<30).map { sin(6 * x[$0, 0]) + 0.2 * x[$0, 1] }
        let fit = try GaussianProcess.fit(inputs: x, targets: y, using: &rng)
        #expect(fit.fallbackReason == nil)
        #expect(fit.runs.count == GaussianProcessFitOptions().coldStarts)
        let best = fit.runs.map(\.value).min()!
        let prior = GaussianProcessPrior()
        let chosen = fit.model.hyperparameters.packed
        let lml = try #require(GaussianProcess.logMarginalLikelihood(inputs: x, targets: y, hyperparameters: fit.model.hyperparameters))
        #expect(abs(-(lml.value + prior.logDensity(chosen).value) / 30 - best) < 1e-12)
        for run in fit.runs { #expect(run.value >= best) }
    }

    /// With the default priors the fit attributes noise to noise once there is enough data, and
    /// rarely mistakes it for signal with little. On a smooth 2-D function plus Gaussian noise (8
    /// data sets per case), the ratio of fitted to true σ²ₙ (standardised units):
    /// - at n = 100 every fit is within a factor of two, for noise at 1% and 14% of the variance;
    /// - at n = 30 the median is within a factor of two; with noise at 4% of the variance no fit
    ///   falls below 0.1; with noise at 14%, at most 3 of 8 do (the fit interpolates the noise).
    /// The default noise prior N(−6, 2) trusts small noise on purpose (see
    /// ``GaussianProcessPrior``); this bounds what that costs. N(−7, 2) interpolated 7 of 8 data
    /// sets at n = 30, N(−8, 2) all 8 and 2 of 8 at n = 100; N(−4, 1) none.
    @Test(arguments: [(30, 0.4), (30, 0.2), (100, 0.1), (100, 0.4)])
    func noiseIsRecognisedAsNoise(n: Int, noiseSD: Double) throws {
        var ratios: [Double] = []
        for seed in UInt64(1)...8 {
            var noise = SplitMix64(seed: seed * 7)
            let x = QuasiRandom.unitCube(count: n, dimension: 2, seed: seed * 7 + 1)
            let y = (0..<n).map { sin(6 * x[$0, 0]) + cos(5 * x[$0, 1]) + noiseSD * standardNormal(using: &noise) }
            let mean = y.reduce(0, +) / Double(n)
            let sd = (y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)).squareRoot()
            var rng = SplitMix64(seed: 3)
            let fit = try GaussianProcess.fit(inputs: x, targets: y.map { ($0 - mean) / sd }, using: &rng)
            ratios.append(exp(fit.model.hyperparameters.logNoiseVariance) / (noiseSD * noiseSD / (sd * sd)))
        }
        ratios.sort()
        let median = (ratios[3] + ratios[4]) / 2
        #expect(median > 0.5 && median < 2, "fitted/true σ²ₙ: \(ratios)")
        if n >= 100 {
            #expect(ratios[0] > 0.5 && ratios[7] < 2, "fitted/true σ²ₙ: \(ratios)")
        } else {
            let interpolated = ratios.filter { $0 < 0.1 }.count
            #expect(interpolated <= (noiseSD >= 0.4 ? 3 : 0), "fitted/true σ²ₙ: \(ratios)")
        }
    }

    /// Data drawn from functions that vary along x₀ only: the fitted length scale of x₀ is much
    /// shorter than that of the irrelevant x₁ (ARD recovers relevance).
    @Test func ardFindsTheIrrelevantDimension() throws {
        var rng = SeededGenerator(seed: 5)
        let x = randomMatrix(rows: 40, columns: 2, using: &rng)
        let y = (0..<40).map { sin(8 * x[$0, 0]) }
        let fit = try GaussianProcess.fit(inputs: x, targets: y, using: &rng)
        let l = fit.model.hyperparameters.logLengthScales
        #expect(l[1] - l[0] > 1.5, "log length scales \(l)")
    }

    @Test func fewPointsStaySane() throws {
        var rng = SeededGenerator(seed: 6)
        let x = Matrix(rowVectors: [[0.2, 0.3], [0.8, 0.6]])
        let fit = try GaussianProcess.fit(inputs: x, targets: [-0.7, 0.7], using: &rng)
        let theta = fit.model.hyperparameters
        // With two points the prior dominates: nothing runs to a bound.
        let options = GaussianProcessFitOptions()
        for l in theta.logLengthScales {
            #expect(l > options.logLengthScaleBounds.lowerBound + 0.5 && l < options.logLengthScaleBounds.upperBound - 0.5)
        }
        #expect(theta.logNoiseVariance < log(0.5))
    }

    @Test func constantOutputsAndDuplicatesFit() throws {
        var rng = SeededGenerator(seed: 7)
        let x = Matrix(rowVectors: Array(repeating: [0.5, 0.5], count: 6) + [[0.1, 0.9]])
        let fit = try GaussianProcess.fit(inputs: x, targets: Array(repeating: 0, count: 7), using: &rng)
        let p = fit.model.predict(Matrix(rowVectors: [[0.3, 0.3]]))
        #expect(p.mean[0].isFinite && p.variance[0].isFinite)
    }

    @Test func largeHistoriesFitOnASubset() throws {
        var rng = SeededGenerator(seed: 8)
        var options = GaussianProcessFitOptions()
        options.maxFitPoints = 50
        let x = randomMatrix(rows: 120, columns: 2, using: &rng)
        let y = (0..<120).map { x[$0, 0] - x[$0, 1] }
        let fit = try GaussianProcess.fit(inputs: x, targets: y, options: options, using: &rng)
        #expect(fit.fitPoints == 50)
        #expect(fit.model.count == 120)
    }

    @Test func warmStartBeginsAtThePreviousOptimum() throws {
        var rng = SeededGenerator(seed: 9)
        let x = randomMatrix(rows: 25, columns: 2, using: &rng)
        let y = (0..<25).map { cos(4 * x[$0, 0]) * x[$0, 1] }
        let cold = try GaussianProcess.fit(inputs: x, targets: y, using: &rng)
        let warm = try GaussianProcess.fit(inputs: x, targets: y, warmStart: cold.model.hyperparameters, using: &rng)
        #expect(warm.runs.count == GaussianProcessFitOptions().warmStarts)
        // The first warm run starts at the previous optimum, so it converges quickly.
        #expect(warm.runs[0].evaluations < cold.runs.map(\.evaluations).reduce(0, +))
        #expect(warm.runs[0].value <= cold.runs.map(\.value).min()! + 1e-9)
    }
}
