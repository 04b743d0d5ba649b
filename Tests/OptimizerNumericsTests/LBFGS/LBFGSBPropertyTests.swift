import Testing
@testable import OptimizerNumerics
import TestSupport

/// Properties over seeded random strictly convex quadratics in random boxes (finite,
/// one-sided, infinite and pinned bounds), with starts that may lie outside the box.
@Suite("L-BFGS-B properties on random convex quadratics")
struct LBFGSBPropertyTests {
    typealias Support = LBFGSTestSupport

    /// f(x) = ½ xᵀAx + bᵀx with A = QQᵀ/n + 0.1·I (so μ = λ_min(A) ≥ 0.1), n ∈ 2…12.
    struct Problem {
        var n: Int
        var a: [Double]          // n×n row-major, symmetric positive definite
        var b: [Double]
        var lower: [Double]
        var upper: [Double]
        var start: [Double]
        /// Lower bound on λ_min(A) by construction.
        let mu = 0.1
        /// Gershgorin upper bound on λ_max(A).
        var lipschitz: Double {
            (0..<n).map { i in (0..<n).map { abs(a[i * n + $0]) }.reduce(0, +) }.max()!
        }

        init(seed: UInt64) {
            var rng = Support.SplitMix64(seed: 0x5EED_0000 &+ seed)
            n = Int.random(in: 2...12, using: &rng)
            let q = (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &rng) }
            a = [Double](repeating: 0, count: n * n)
            for i in 0..<n {
                for j in 0..<n {
                    var sum = 0.0
                    for k in 0..<n { sum += q[i * n + k] * q[j * n + k] }
                    a[i * n + j] = sum / Double(n) + (i == j ? 0.1 : 0)
                }
            }
            b = (0..<n).map { _ in Double.random(in: -2...2, using: &rng) }
            lower = []
            upper = []
            for _ in 0..<n {
                let l = Double.random(in: -2...0.5, using: &rng)
                let u = l + Double.random(in: 0...2.5, using: &rng)
                switch Int.random(in: 0..<10, using: &rng) {
                case 0..<5: lower.append(l); upper.append(u)
                case 5, 6: lower.append(l); upper.append(.infinity)
                case 7: lower.append(-.infinity); upper.append(u)
                case 8: lower.append(-.infinity); upper.append(.infinity)
                default: lower.append(l); upper.append(l)
                }
            }
            start = (0..<n).map { _ in Double.random(in: -3...3, using: &rng) }
        }

        func evaluate(_ x: [Double]) -> (value: Double, gradient: [Double]) {
            var g = b
            for i in 0..<n {
                for j in 0..<n { g[i] += a[i * n + j] * x[j] }
            }
            var f = 0.0
            for i in 0..<n { f += 0.5 * x[i] * (g[i] + b[i]) }
            return (f, g)
        }

        /// An independent solution: cyclic coordinate descent with exact 1-D minimisation,
        /// xᵢ ← P(xᵢ − gᵢ/Aᵢᵢ), which converges for strictly convex box-constrained QPs; run
        /// until the natural residual is below 1e-13.
        func coordinateDescentSolution() -> [Double] {
            var x = LBFGSBKernels.project(start, lower: lower, upper: upper)
            for _ in 0..<200_000 {
                for i in 0..<n {
                    var gi = b[i]
                    for j in 0..<n { gi += a[i * n + j] * x[j] }
                    x[i] = min(max(x[i] - gi / a[i * n + i], lower[i]), upper[i])
                }
                if naturalResidual(x) <= 1e-13 { break }
            }
            return x
        }

        /// ‖x − P(x − ∇f(x))‖∞.
        func naturalResidual(_ x: [Double]) -> Double {
            LBFGSBKernels.projectedGradientNorm(x: x, gradient: evaluate(x).gradient, lower: lower, upper: upper)
        }
    }

    @Test("inside bounds, never worse than the start, consistent counts", arguments: 0..<32)
    func basicProperties(seed: UInt64) {
        let problem = Problem(seed: seed)
        var calls = 0
        var evaluatedOutside = false
        let result = LBFGSB.minimize(start: problem.start, lower: problem.lower, upper: problem.upper) { x in
            calls += 1
            for i in x.indices where !(problem.lower[i] <= x[i] && x[i] <= problem.upper[i]) { evaluatedOutside = true }
            return problem.evaluate(x)
        }
        let startValue = problem.evaluate(LBFGSBKernels.project(problem.start, lower: problem.lower, upper: problem.upper)).value
        #expect(!evaluatedOutside, "seed \(seed): an evaluation was requested outside the box")
        for i in 0..<problem.n {
            #expect(problem.lower[i] <= result.x[i] && result.x[i] <= problem.upper[i], "seed \(seed), x[\(i)]")
        }
        #expect(result.value <= startValue, "seed \(seed)")
        #expect(result.value == problem.evaluate(result.x).value, "seed \(seed): value is not f(x)")
        #expect(result.evaluations == calls, "seed \(seed)")
        // Each iteration needs at least one evaluation beyond the first.
        #expect(result.iterations <= result.evaluations - 1, "seed \(seed)")
        #expect(result.status.isConverged, "seed \(seed): \(result.status) \(result.reason)")
        // Pinned variables never move.
        for i in 0..<problem.n where problem.lower[i] == problem.upper[i] {
            #expect(result.x[i] == problem.lower[i], "seed \(seed)")
        }
    }

    @Test("tight run matches coordinate descent within the error bound", arguments: 0..<32)
    func agreesWithCoordinateDescent(seed: UInt64) {
        let problem = Problem(seed: seed)
        let options = LBFGSBOptions(projectedGradientTolerance: 1e-10, relativeReductionTolerance: 0)
        let result = LBFGSB.minimize(
            start: problem.start, lower: problem.lower, upper: problem.upper, options: options, objective: problem.evaluate)
        #expect(result.status != .maxIterations && result.status != .maxEvaluations, "seed \(seed): \(result.reason)")
        let reference = problem.coordinateDescentSolution()
        let ours = problem.naturalResidual(result.x)
        let theirs = problem.naturalResidual(reference)
        // Error bound for μ-strongly convex, L-smooth f on a box (natural residual r(x) =
        // x − P(x − ∇f(x))): ‖x − x*‖₂ ≤ (1 + L)/μ · ‖r(x)‖₂ ≤ (1 + L)/μ · √n ‖r(x)‖∞. Applied to
        // both points and added.
        let bound = (1 + problem.lipschitz) / problem.mu * Double(problem.n).squareRoot() * (ours + theirs)
        // The residual reached is limited by rounding in f (see the fixture tests):
        // ‖g‖ ≈ √(2 λ_max ε |f*|); the factor 10 is the same safety margin.
        let floor = max(1e-10, 10 * (2 * problem.lipschitz * Double.ulpOfOne * abs(result.value)).squareRoot())
        #expect(ours <= floor, "seed \(seed): residual \(ours) > \(floor) (\(result.status))")
        for i in 0..<problem.n {
            #expect(abs(result.x[i] - reference[i]) <= bound + 1e-14, "seed \(seed), x[\(i)]: \(result.x[i]) vs \(reference[i]), bound \(bound)")
        }
    }
}
