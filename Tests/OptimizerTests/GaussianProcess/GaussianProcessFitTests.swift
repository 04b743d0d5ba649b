import Foundation
import Testing
@testable import Optimizer

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
