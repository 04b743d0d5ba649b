import Foundation
import Testing
@testable import OptimizerNumerics
import TestSupport

/// The large-history path keeps L and grows it one row at a time (``GaussianProcess/appendingReportingRefactor(inputs:targets:)``),
/// and re-conditions on new values by recomputing α only (``GaussianProcess/retargeted(_:)``).
/// Both are checked against an independent reference: a refactorisation of the whole K with `dpotrf`.
@Suite struct IncrementalFactorTests {
    /// 400 Sobol points in 4-D, θ with ℓ = 0.3 and σ²ₙ = 10⁻⁴ (σ² = 1), factored at 250 rows
    /// and then grown by 150 single-row appends, against one `dpotrf` of all 400.
    ///
    /// Tolerance: both are backward stable (‖ΔK‖ ≲ c·n·ε·‖K‖); the forward error of L and of
    /// the posterior is then bounded by about cond(K)·n·ε. Here cond(K) ≤ (n·σ² + σ²ₙ)/σ²ₙ
    /// ≈ 4·10⁶, so ≤ 4·10⁶ · 400 · 1.1·10⁻¹⁶ ≈ 2·10⁻⁷; we require 2·10⁻⁷ relative to max |L|
    /// (σ = 1, so absolute) and the same on μ and σ² at 64 query points.
    @Test(arguments: [UInt64(1), 2, 3])
    func singleRowAppendsEqualARefactorisation(seed: UInt64) throws {
        let n = 400, anchor = 250, d = 4
        let x = QuasiRandom.unitCube(count: n, dimension: d, seed: seed)
        let y = (0..<n).map { i in sin(5 * x[i, 0]) + x[i, 1] * x[i, 2] - cos(3 * x[i, 3]) }
        let theta = GaussianProcessHyperparameters(logLengthScales: [Double](repeating: log(0.3), count: d),
                                                   logSignalVariance: 0, logNoiseVariance: log(1e-4))
        let full = try GaussianProcess(inputs: x, targets: y, hyperparameters: theta)
        var grown = try GaussianProcess(inputs: x.rows(0..<anchor), targets: Array(y[0..<anchor]), hyperparameters: theta)
        var refactored = 0
        for i in anchor..<n {
            let step = try grown.appendingReportingRefactor(inputs: x.rows(i..<(i + 1)), targets: [y[i]])
            grown = step.model
            if step.refactored { refactored += 1 }
        }
        #expect(refactored == 0)
        #expect(grown.jitter == full.jitter)
        let a = grown.choleskyFactor.lower.elements, b = full.choleskyFactor.lower.elements
        let worst = zip(a, b).map { abs($0 - $1) }.max()!
        #expect(worst < 2e-7, "max |ΔL| = \(worst)")
        let z = QuasiRandom.unitCube(count: 64, dimension: d, seed: seed &+ 100)
        let p = grown.predict(z), q = full.predict(z)
        for k in 0..<z.rows {
            #expect(abs(p.mean[k] - q.mean[k]) < 2e-7, "μ at \(k): \(p.mean[k]) vs \(q.mean[k])")
            #expect(abs(p.variance[k] - q.variance[k]) < 2e-7, "σ² at \(k): \(p.variance[k]) vs \(q.variance[k])")
        }
        print("seed \(seed): max |ΔL| = \(worst)")
    }

    /// Conditioning the kept factor on other values equals building the GP on those values
    /// (the same L, so α agrees to the two solves' rounding: 1e-12 relative here, cond(K)
    /// being small with σ²ₙ = 10⁻²).
    @Test func retargetingEqualsRebuilding() throws {
        let x = QuasiRandom.unitCube(count: 120, dimension: 3, seed: 9)
        let theta = GaussianProcessHyperparameters(logLengthScales: [log(0.4), log(0.2), log(0.5)], logSignalVariance: 0.3,
                                                   logNoiseVariance: log(1e-2))
        let a = try GaussianProcess(inputs: x, targets: (0..<120).map { x[$0, 0] }, hyperparameters: theta)
        let newY = (0..<120).map { i in exp(-x[i, 1]) - x[i, 2] * x[i, 2] }
        let b = try a.retargeted(newY)
        let c = try GaussianProcess(inputs: x, targets: newY, hyperparameters: theta)
        let z = QuasiRandom.unitCube(count: 32, dimension: 3, seed: 10)
        let p = b.predict(z), q = c.predict(z)
        for k in 0..<32 {
            #expect(abs(p.mean[k] - q.mean[k]) < 1e-12 * max(1, abs(q.mean[k])))
            #expect(p.variance[k] == q.variance[k])
        }
        #expect(throws: GaussianProcessError.self) { try a.retargeted(newY.map { _ in .nan }) }
    }

    /// A duplicated point with noise at the floor makes the Schur complement non-positive; the
    /// append says it refactorised (with the jitter ladder) instead of failing.
    @Test func aDuplicateAppendRefactorises() throws {
        let x = QuasiRandom.unitCube(count: 20, dimension: 2, seed: 4)
        let theta = GaussianProcessHyperparameters(logLengthScales: [log(0.3), log(0.3)], logSignalVariance: 0, logNoiseVariance: -800)
        let gp = try GaussianProcess(inputs: x, targets: [Double](repeating: 0, count: 20), hyperparameters: theta)
        let step = try gp.appendingReportingRefactor(inputs: x.rows(3..<4), targets: [0])
        #expect(step.refactored)
        #expect(step.model.count == 21 && step.model.jitter > 0)
    }
}

/// Candidate screening (``AcquisitionMaximizerOptions/screeningRows``) changes the cost, not
/// the starts: with the bound from 100 of 600 observations, the maximiser picks the same
/// starting candidates and ends at the same point as a full pass over all candidates.
@Suite struct CandidateScreeningTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func screeningPicksTheSameStartsAsAFullPass(seed: UInt64) throws {
        let n = 600, d = 3
        let x = QuasiRandom.unitCube(count: n, dimension: d, seed: seed)
        let y = (0..<n).map { i in -(pow(x[i, 0] - 0.3, 2) + pow(x[i, 1] - 0.6, 2)) * 4 + 0.3 * sin(9 * x[i, 2]) }
        let theta = GaussianProcessHyperparameters(logLengthScales: [log(0.2), log(0.2), log(0.3)], logSignalVariance: 0,
                                                   logNoiseVariance: log(1e-4))
        let gp = try GaussianProcess(inputs: x, targets: y, hyperparameters: theta)
        // The bound is a bound: σ²ₛ ≥ σ² at every candidate (to rounding).
        let candidates = QuasiRandom.unitCube(count: 512, dimension: d, seed: seed &+ 50)
        let exact = gp.predict(candidates), bounded = gp.predictWithVarianceBound(candidates, rows: 100)
        for k in 0..<candidates.rows {
            #expect(bounded.variance[k] >= exact.variance[k] - 1e-12)
            #expect(abs(bounded.mean[k] - exact.mean[k]) <= 1e-12 * max(1, abs(exact.mean[k])))
        }
        let ei = ExpectedImprovement(incumbent: y.max()!)
        var options = AcquisitionMaximizerOptions()
        let full = AcquisitionMaximizer.maximize(ei, posterior: gp, candidates: candidates, options: options)
        options.screeningRows = 100
        let screened = AcquisitionMaximizer.maximize(ei, posterior: gp, candidates: candidates, options: options)
        #expect(screened.exactlyScored < candidates.rows)
        #expect(screened.runs.map(\.x) == full.runs.map(\.x) || zip(screened.runs, full.runs).allSatisfy { a, b in
            zip(a.x, b.x).allSatisfy { abs($0 - $1) < 1e-9 }
        })
        #expect(abs(screened.value - full.value) <= 1e-9 * max(1, abs(full.value)))
        #expect(abs(screened.bestCandidateValue - full.bestCandidateValue) <= 1e-9 * max(1, abs(full.bestCandidateValue)))
        print("seed \(seed): \(screened.exactlyScored) of \(candidates.rows) candidates scored exactly")
    }
}
