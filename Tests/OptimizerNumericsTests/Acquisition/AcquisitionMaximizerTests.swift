import Foundation
import Testing
@testable import OptimizerNumerics
import TestSupport

@Suite struct AcquisitionMaximizerTests {
    /// A mock posterior whose mean peaks at (0.3, 0.7) with constant variance: the maximiser
    /// must find the peak to L-BFGS-B accuracy, starting from coarse candidates.
    struct PeakPosterior: Posterior {
        var dimension: Int { 2 }
        func predict(_ points: Matrix) -> PosteriorPrediction { predictWithGradient(points) }
        func predictWithGradient(_ points: Matrix) -> PosteriorPrediction {
            var mean = [Double](), gm = Matrix(rows: points.rows, columns: 2)
            for b in 0..<points.rows {
                let dx = points[b, 0] - 0.3, dy = points[b, 1] - 0.7
                mean.append(-(dx * dx + 4 * dy * dy))
                gm[b, 0] = -2 * dx; gm[b, 1] = -8 * dy
            }
            return PosteriorPrediction(mean: mean, variance: Array(repeating: 0.01, count: points.rows),
                                       meanGradient: gm, varianceGradient: Matrix(rows: points.rows, columns: 2))
        }
    }

    @Test func findsThePeakOfAMockPosterior() {
        var rng = SeededGenerator(seed: 1)
        let candidates = randomMatrix(rows: 64, columns: 2, using: &rng)
        let result = AcquisitionMaximizer.maximize(ExpectedImprovement(incumbent: 0), posterior: PeakPosterior(), candidates: candidates)
        // EI is monotone in μ at fixed σ, so its maximiser is μ's: (0.3, 0.7); pgtol 1e-5 on
        // a curvature ≈ 2·d log EI/dμ gives ~1e-4 accuracy.
        #expect(abs(result.point[0] - 0.3) < 1e-3 && abs(result.point[1] - 0.7) < 1e-3, "\(result.point)")
        #expect(result.value >= result.bestCandidateValue)
        #expect(result.runs.count == 10)
    }

    /// Results stay inside the unit cube even when the posterior's optimum lies outside it.
    @Test func staysInsideTheBox() {
        struct Slope: Posterior {
            var dimension: Int { 3 }
            func predict(_ p: Matrix) -> PosteriorPrediction { predictWithGradient(p) }
            func predictWithGradient(_ p: Matrix) -> PosteriorPrediction {
                var gm = Matrix(rows: p.rows, columns: 3)
                for b in 0..<p.rows { gm[b, 0] = 5; gm[b, 1] = -5; gm[b, 2] = 1 }
                return PosteriorPrediction(mean: (0..<p.rows).map { 5 * p[$0, 0] - 5 * p[$0, 1] + p[$0, 2] },
                                           variance: Array(repeating: 0.1, count: p.rows),
                                           meanGradient: gm, varianceGradient: Matrix(rows: p.rows, columns: 3))
            }
        }
        var rng = SeededGenerator(seed: 2)
        let r = AcquisitionMaximizer.maximize(ExpectedImprovement(incumbent: 3), posterior: Slope(),
                                              candidates: randomMatrix(rows: 100, columns: 3, using: &rng))
        #expect(r.point.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(abs(r.point[0] - 1) < 1e-12 && abs(r.point[1]) < 1e-12 && abs(r.point[2] - 1) < 1e-12)
    }
}
