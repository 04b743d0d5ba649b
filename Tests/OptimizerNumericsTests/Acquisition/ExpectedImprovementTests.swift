import Foundation
import Testing
@testable import OptimizerNumerics
import TestSupport

private struct EIFixture: Decodable {
    struct Value: Decodable { let mean: Double, sd: Double, best: Double, ei: Double }
    struct Tail: Decodable { let z: Double; let log_h: Double }
    let ei: [Value]
    let log_h: [Tail]
}

private let fixture: EIFixture = try! loadFixture("ei")

/// A closed-form posterior for testing acquisitions without a GP:
/// μ(x) = Σ aⱼ sin(xⱼ), σ²(x) = 0.1 + Σ xⱼ².
struct MockPosterior: Posterior {
    var coefficients: [Double]
    var dimension: Int { coefficients.count }

    func predict(_ points: Matrix) -> PosteriorPrediction {
        var mean = [Double](), variance = [Double]()
        for b in 0..<points.rows {
            let x = points.row(b)
            mean.append(zip(coefficients, x).map { $0 * sin($1) }.reduce(0, +))
            variance.append(0.1 + x.map { $0 * $0 }.reduce(0, +))
        }
        return PosteriorPrediction(mean: mean, variance: variance)
    }

    func predictWithGradient(_ points: Matrix) -> PosteriorPrediction {
        var p = predict(points)
        var gm = Matrix(rows: points.rows, columns: dimension), gv = gm
        for b in 0..<points.rows {
            for j in 0..<dimension {
                gm[b, j] = coefficients[j] * cos(points[b, j])
                gv[b, j] = 2 * points[b, j]
            }
        }
        p.meanGradient = gm
        p.varianceGradient = gv
        return p
    }
}

@Suite struct ExpectedImprovementTests {
    /// The cross-checked constant of STYLE.md: EI at z = −0.5, σ = 1 is 0.1977966.
    @Test func crossCheckedConstant() {
        let ei = ExpectedImprovement(incumbent: 0.5, isLogarithmic: false)
        #expect(abs(ei.value(mean: 0, variance: 1) - 0.1977966) < 1e-7)
    }

    /// Against SciPy's norm.pdf/cdf: same formula, relative agreement to rounding (1e-12).
    @Test func matchesSciPy() {
        for c in fixture.ei {
            let ei = ExpectedImprovement(incumbent: c.best, isLogarithmic: false)
            let v = ei.value(mean: c.mean, variance: c.sd * c.sd)
            #expect(abs(v - c.ei) <= 1e-12 * max(c.ei, 1e-300) + 1e-15, "\(c)")
            let logv = ExpectedImprovement(incumbent: c.best).value(mean: c.mean, variance: c.sd * c.sd)
            #expect(abs(logv - log(c.ei)) < 1e-11)
        }
    }

    /// log h(z) against mpmath at 60 digits; our branches promise ~1e-13 relative
    /// (erfcx's exp(x²) rounding ≤ 2e-13 in the middle branch; series truncation < 1e-13 beyond −40).
    @Test func logKernelMatchesHighPrecisionReference() {
        for t in fixture.log_h {
            let v = StandardNormal.logExpectedImprovementKernel(t.z)
            #expect(v.isFinite, "z = \(t.z)")
            #expect(abs(v - t.log_h) <= 1e-12 * max(1, abs(t.log_h)), "z = \(t.z): \(v) vs \(t.log_h)")
        }
    }

    /// Finite and strictly increasing over |z| up to 1e99, with a finite positive derivative.
    @Test func logKernelIsFiniteAndMonotoneFarIntoTheTails() {
        var zs: [Double] = []
        var z = -1e99
        while z < -1e-3 { zs.append(z); z /= 1.5 }
        zs += stride(from: -5.0, through: 50, by: 0.01)
        zs.sort()
        var previous = -Double.infinity
        for z in zs {
            let v = StandardNormal.logExpectedImprovementKernel(z)
            let d = StandardNormal.logExpectedImprovementKernelDerivative(z)
            #expect(v.isFinite && d.isFinite && d > 0, "z = \(z)")
            #expect(v > previous || (v == previous && z > 40), "not monotone at z = \(z)")
            previous = v
        }
    }

    /// The derivative of log h is continuous across the branch points and matches central
    /// differences (step 1e-6·max(1,|z|); rounding error ≈ ε|log h|/h).
    @Test(arguments: [-1e6, -1000.0, -40.0001, -39.9999, -20.0, -5.0, -1.0001, -0.9999, 0.0, 3.0, 10.0])
    func logKernelDerivativeMatchesDifferences(z: Double) {
        let h = 1e-6 * max(1, abs(z))
        let fd = (StandardNormal.logExpectedImprovementKernel(z + h) - StandardNormal.logExpectedImprovementKernel(z - h)) / (2 * h)
        let d = StandardNormal.logExpectedImprovementKernelDerivative(z)
        let roundingBound = 4e-16 * abs(StandardNormal.logExpectedImprovementKernel(z)) / h
        #expect(abs(d - fd) <= 1e-6 * max(1, abs(d)) + roundingBound, "z = \(z): \(d) vs \(fd)")
    }

    @Test(arguments: 0..<32)
    func eiIsNonNegativeAndMonotoneInMeanAndSigma(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let ei = ExpectedImprovement(incumbent: Double.random(in: -2...2, using: &rng), isLogarithmic: false)
        let mean = Double.random(in: -5...5, using: &rng)
        let sd = Double.random(in: 0.01...3, using: &rng)
        let base = ei.value(mean: mean, variance: sd * sd)
        #expect(base >= 0)
        #expect(ei.value(mean: mean + 0.1, variance: sd * sd) >= base)
        #expect(ei.value(mean: mean, variance: (sd * 1.1) * (sd * 1.1)) >= base)
    }

    /// Acquisition gradients through a mock posterior, against central differences.
    @Test(arguments: [false, true])
    func gradientsThroughAPosteriorMatchDifferences(logarithmic: Bool) {
        let posterior = MockPosterior(coefficients: [1.5, -0.7, 0.3])
        let ei = ExpectedImprovement(incumbent: 1.2, isLogarithmic: logarithmic)
        var rng = SeededGenerator(seed: 9)
        let points = randomMatrix(rows: 6, columns: 3, using: &rng)
        let (values, gradients) = ei.evaluateWithGradient(posterior, at: points)
        #expect(values == ei.evaluate(posterior, at: points))
        let h = 1e-6
        for b in 0..<6 {
            for j in 0..<3 {
                var plus = points.rows(b..<(b + 1)), minus = plus
                plus[0, j] += h; minus[0, j] -= h
                let fd = (ei.evaluate(posterior, at: plus)[0] - ei.evaluate(posterior, at: minus)[0]) / (2 * h)
                #expect(abs(gradients[b, j] - fd) < 1e-6 * max(1, abs(fd)))
            }
        }
    }

    @Test func zeroVarianceIsHandled() {
        let ei = ExpectedImprovement(incumbent: 0)
        let p = ei.valueAndPartials(mean: -1, variance: 0)
        #expect(p.value.isFinite && p.dMean.isFinite && p.dVariance == 0)
        // σ is floored at 1e-9, so EI = σ·h(2/σ) = 2 up to rounding in z·Φ(z).
        #expect(abs(ExpectedImprovement(incumbent: 0, isLogarithmic: false).value(mean: 2, variance: 0) - 2) < 1e-12)
    }
}
