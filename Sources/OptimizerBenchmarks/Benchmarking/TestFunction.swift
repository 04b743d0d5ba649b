import Foundation
import Optimizer

/// A test function with a known global minimum, for benchmarking samplers.
///
/// Definitions, domains and optima follow Surjanovic & Bingham, "Virtual Library of
/// Simulation Experiments: Test Functions and Datasets" (Simon Fraser University,
/// https://www.sfu.ca/~ssurjano/optimization.html); every function is minimised.
public struct TestFunction: Sendable {
    /// Short name used on the command line (`branin`, `hartmann6`, `ackley5`, …).
    public var name: String
    /// Lower bounds of the domain, one per dimension.
    public var lower: [Double]
    /// Upper bounds of the domain.
    public var upper: [Double]
    /// The global minimum value f(x*).
    public var minimum: Double
    /// f(x) on the original domain.
    public var evaluate: @Sendable ([Double]) -> Double

    /// d.
    public var dimension: Int { lower.count }

    /// f at a point of the unit cube mapped linearly onto the domain.
    public func evaluate(unitCube u: [Double]) -> Double {
        evaluate(u.indices.map { lower[$0] + u[$0] * (upper[$0] - lower[$0]) })
    }

    /// Branin–Hoo on [−5, 10] × [0, 15]; minimum 0.397887 at three points.
    public static let branin = TestFunction(name: "branin", lower: [-5, 0], upper: [10, 15], minimum: 0.397887357729739) { x in
        let a = 1.0, b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi, r = 6.0, s = 10.0, t = 1 / (8 * Double.pi)
        let u = x[1] - b * x[0] * x[0] + c * x[0] - r
        return a * u * u + s * (1 - t) * cos(x[0]) + s
    }

    private static let hartmannAlpha = [1.0, 1.2, 3.0, 3.2]

    /// Hartmann 3-D on [0, 1]³; minimum −3.86278 at (0.114614, 0.555649, 0.852547). The value used
    /// is the minimum polished by L-BFGS-B (the library's rounded −3.86278 lies below it), the same
    /// value the Python peers use (Benchmarks/peers/README.md).
    public static let hartmann3 = TestFunction(name: "hartmann3", lower: [0, 0, 0], upper: [1, 1, 1], minimum: -3.8627797873326624) { x in
        let a: [[Double]] = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
        let p: [[Double]] = [[0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470], [0.1091, 0.8732, 0.5547], [0.0381, 0.5743, 0.8828]]
        var total = 0.0
        for i in 0..<4 {
            var inner = 0.0
            for j in 0..<3 { inner += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]) }
            total -= hartmannAlpha[i] * exp(-inner)
        }
        return total
    }

    /// Hartmann 6-D on [0, 1]⁶; minimum −3.32237 (polished value, as for Hartmann 3-D).
    public static let hartmann6 = TestFunction(name: "hartmann6", lower: Array(repeating: 0, count: 6), upper: Array(repeating: 1, count: 6),
                                               minimum: -3.3223680114155143) { x in
        let a: [[Double]] = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
        let p: [[Double]] = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
                             [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]
        var total = 0.0
        for i in 0..<4 {
            var inner = 0.0
            for j in 0..<6 { inner += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]) }
            total -= hartmannAlpha[i] * exp(-inner)
        }
        return total
    }

    /// The coordinates (1-based: x3, x6, …, x18) of ``hartmann6In20`` that Hartmann-6 reads.
    public static let hartmann6In20Active = [3, 6, 9, 12, 15, 18]

    /// Hartmann 6-D embedded in [0, 1]²⁰: f(x) = H6(x3, x6, x9, x12, x15, x18); the other 14
    /// coordinates are dummies (a low effective dimension, as in Wang et al. 2016, "Bayesian
    /// Optimization in a Billion Dimensions via Random Embeddings", JAIR 55). The active
    /// coordinates are spread out so that no sampler gains from them being the leading ones
    /// (a Sobol sequence's leading coordinates are its most uniform). Minimum: Hartmann-6's.
    public static let hartmann6In20 = TestFunction(name: "hartmann6_in20", lower: Array(repeating: 0, count: 20),
                                                   upper: Array(repeating: 1, count: 20), minimum: hartmann6.minimum) { x in
        hartmann6.evaluate(hartmann6In20Active.map { x[$0 - 1] })
    }

    /// Ackley in d dimensions on [−32.768, 32.768]^d (a = 20, b = 0.2, c = 2π); minimum 0 at 0.
    public static func ackley(_ d: Int) -> TestFunction {
        TestFunction(name: "ackley\(d)", lower: Array(repeating: -32.768, count: d), upper: Array(repeating: 32.768, count: d), minimum: 0) { x in
            let n = Double(x.count)
            let s1 = x.map { $0 * $0 }.reduce(0, +) / n
            let s2 = x.map { cos(2 * Double.pi * $0) }.reduce(0, +) / n
            return -20 * exp(-0.2 * s1.squareRoot()) - exp(s2) + 20 + M_E
        }
    }

    /// Rosenbrock in d dimensions on [−5, 10]^d; minimum 0 at (1, …, 1).
    public static func rosenbrock(_ d: Int) -> TestFunction {
        TestFunction(name: "rosenbrock\(d)", lower: Array(repeating: -5, count: d), upper: Array(repeating: 10, count: d), minimum: 0) { x in
            var s = 0.0
            for i in 0..<(x.count - 1) {
                let a = x[i + 1] - x[i] * x[i], b = x[i] - 1
                s += 100 * a * a + b * b
            }
            return s
        }
    }

    /// Levy in d dimensions on [−10, 10]^d; minimum 0 at (1, …, 1).
    public static func levy(_ d: Int) -> TestFunction {
        TestFunction(name: "levy\(d)", lower: Array(repeating: -10, count: d), upper: Array(repeating: 10, count: d), minimum: 0) { x in
            let w = x.map { 1 + ($0 - 1) / 4 }
            let first = sin(Double.pi * w[0])
            var s = first * first
            for i in 0..<(w.count - 1) {
                let t = sin(Double.pi * w[i] + 1)
                s += (w[i] - 1) * (w[i] - 1) * (1 + 10 * t * t)
            }
            let last = w[w.count - 1], t = sin(2 * Double.pi * last)
            return s + (last - 1) * (last - 1) * (1 + t * t)
        }
    }

    /// Styblinski–Tang in d dimensions on [−5, 5]^d; minimum −39.166166·d at xᵢ = −2.903534
    /// (the Virtual Library quotes the rounded −39.16599·d; the exact per-coordinate minimum of
    /// (x⁴ − 16x² + 5x)/2 is −39.1661657…).
    public static func styblinskiTang(_ d: Int) -> TestFunction {
        TestFunction(name: "styblinski_tang\(d)", lower: Array(repeating: -5, count: d), upper: Array(repeating: 5, count: d),
                     minimum: -39.166165703771416 * Double(d)) { x in
            x.map { $0 * $0 * $0 * $0 - 16 * $0 * $0 + 5 * $0 }.reduce(0, +) / 2
        }
    }
}
