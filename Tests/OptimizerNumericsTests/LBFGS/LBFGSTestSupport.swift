import Foundation
@testable import OptimizerNumerics
import TestSupport

/// Test objectives, a seeded generator and fixture loading shared by the L-BFGS-B tests.
enum LBFGSTestSupport {
    /// Chained Rosenbrock f = Σ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² and its gradient (the same formula
    /// as generate_lbfgs.py).
    static func rosenbrock(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        var f = 0.0
        var g = [Double](repeating: 0, count: x.count)
        for i in 0..<(x.count - 1) {
            let a = x[i + 1] - x[i] * x[i]
            let b = 1 - x[i]
            f += 100 * a * a + b * b
            g[i] += -400 * x[i] * a - 2 * b
            g[i + 1] += 200 * a
        }
        return (f, g)
    }

    /// ½ (x − c)ᵀ A (x − c), A = tridiag(−1, 4, −1), c as in generate_lbfgs.py.
    static func fixtureQuadratic(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        let c = [2.0, -3.0, 0.5, 1.5, -0.25, 3.0]
        let n = c.count
        let r = (0..<n).map { x[$0] - c[$0] }
        var g = [Double](repeating: 0, count: n)
        for i in 0..<n {
            g[i] = 4 * r[i] - (i > 0 ? r[i - 1] : 0) - (i + 1 < n ? r[i + 1] : 0)
        }
        let f = 0.5 * zip(r, g).map(*).reduce(0, +)
        return (f, g)
    }

    /// Σ wᵢ (xᵢ − cᵢ)² + (x₀x₁x₂)²/10 as in generate_lbfgs.py.
    static func corner(_ x: [Double]) -> (value: Double, gradient: [Double]) {
        let w = [1.0, 2.0, 0.5]
        let c = [3.0, -2.5, 4.0]
        let product = x[0] * x[1] * x[2]
        var f = product * product / 10
        var g = [x[1] * x[2], x[0] * x[2], x[0] * x[1]].map { 2 * product / 10 * $0 }
        for i in 0..<3 {
            f += w[i] * (x[i] - c[i]) * (x[i] - c[i])
            g[i] += 2 * w[i] * (x[i] - c[i])
        }
        return (f, g)
    }

    static func objective(named name: String) -> ([Double]) -> (value: Double, gradient: [Double]) {
        switch name {
        case "rosenbrock": rosenbrock
        case "quadratic": fixtureQuadratic
        case "corner": corner
        default: fatalError("unknown fixture objective \(name)")
        }
    }

    /// One problem of lbfgs.json.
    struct FixtureProblem: Decodable, Sendable, CustomStringConvertible {
        var name: String
        var reducedHessianMinEigenvalue: Double?
        var reducedHessianMaxEigenvalue: Double?
        var objective: String
        var start: [Double]
        var lower: [Double?]
        var upper: [Double?]
        var x: [Double]
        var f: Double
        var nit: Int
        var nfev: Int
        var success: Bool
        var message: String

        var lowerBounds: [Double] { lower.map { $0 ?? -.infinity } }
        var upperBounds: [Double] { upper.map { $0 ?? .infinity } }
        var description: String { name }
    }

    struct Fixture: Decodable, Sendable {
        var scipy: String
        var problems: [FixtureProblem]
    }

    /// lbfgs.json, written by generate_lbfgs.py and read from Tests/Fixtures.
    static let fixture: Fixture = {
        let url = SpaceTestSupport.fixtures.appendingPathComponent("lbfgs.json")
        do {
            return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    /// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator so property tests are
    /// reproducible on every platform.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The KKT residual of a box-constrained problem, component-wise: for a variable strictly
    /// inside its bounds |gᵢ|; at a lower bound max(−gᵢ, 0) (the gradient must point outward,
    /// gᵢ ≥ 0); at an upper bound max(gᵢ, 0). Equals the projected-gradient norm in the limit.
    static func kktResidual(x: [Double], gradient g: [Double], lower: [Double], upper: [Double]) -> Double {
        var worst = 0.0
        for i in x.indices {
            let residual: Double
            if x[i] == lower[i] && x[i] == upper[i] {
                residual = 0
            } else if x[i] == lower[i] {
                residual = max(-g[i], 0)
            } else if x[i] == upper[i] {
                residual = max(g[i], 0)
            } else {
                residual = abs(g[i])
            }
            worst = max(worst, residual)
        }
        return worst
    }
}
