import Testing
@testable import OptimizerNumerics
import TestSupport

/// The compact representation against the explicit BFGS recursion, and the Cauchy point
/// against its defining property.
@Suite("Compact L-BFGS matrix and Cauchy point")
struct CompactLBFGSMatrixTests {
    typealias Support = LBFGSTestSupport

    /// Random pairs with sᵀy > 0 from y = A s, A symmetric positive definite.
    static func randomMemory(n: Int, pairs: Int, capacity: Int, seed: UInt64) -> (CompactLBFGSMatrix, [[Double]], [[Double]]) {
        var rng = Support.SplitMix64(seed: seed)
        let q = (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &rng) }
        var memory = CompactLBFGSMatrix(dimension: n, capacity: capacity)
        var ss: [[Double]] = [], ys: [[Double]] = []
        for _ in 0..<pairs {
            let s = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                for j in 0..<n {
                    var aij = i == j ? 0.5 : 0.0
                    for k in 0..<n { aij += q[i * n + k] * q[j * n + k] }
                    y[i] += aij * s[j]
                }
            }
            #expect(memory.update(s: s, y: y) == .stored)
            ss.append(s); ys.append(y)
        }
        return (memory, Array(ss.suffix(capacity)), Array(ys.suffix(capacity)))
    }

    /// Dense B from B⁰ = θI (θ of the newest pair) and the BFGS update
    /// B ← B − B s sᵀ B / (sᵀ B s) + y yᵀ / (yᵀ s) over the stored pairs, oldest first
    /// (Nocedal & Wright 2006, eq. 6.19): the matrix the compact form must equal.
    static func denseBFGS(n: Int, s: [[Double]], y: [[Double]]) -> [Double] {
        let theta = LBFGSBKernels.dot(y.last!, y.last!) / LBFGSBKernels.dot(s.last!, y.last!)
        var b = [Double](repeating: 0, count: n * n)
        for i in 0..<n { b[i * n + i] = theta }
        for (sk, yk) in zip(s, y) {
            let bs = (0..<n).map { i in (0..<n).map { b[i * n + $0] * sk[$0] }.reduce(0, +) }
            let sbs = LBFGSBKernels.dot(sk, bs)
            let ys = LBFGSBKernels.dot(yk, sk)
            for i in 0..<n {
                for j in 0..<n { b[i * n + j] += -bs[i] * bs[j] / sbs + yk[i] * yk[j] / ys }
            }
        }
        return b
    }

    static func compactTimes(_ memory: CompactLBFGSMatrix, _ v: [Double]) -> [Double] {
        let wmw = memory.middleTimes(memory.wTransposeTimes(v))
        return v.indices.map { i in memory.theta * v[i] - LBFGSBKernels.dot(memory.wRow(i), wmw) }
    }

    @Test("B v from the compact form equals the BFGS recursion", arguments: [(6, 3, 10), (8, 10, 10), (5, 9, 4)])
    func compactEqualsRecursion(n: Int, pairs: Int, capacity: Int) {
        let (memory, s, y) = Self.randomMemory(n: n, pairs: pairs, capacity: capacity, seed: UInt64(n * 100 + pairs))
        #expect(memory.count == min(pairs, capacity))
        let dense = Self.denseBFGS(n: n, s: s, y: y)
        let scale = dense.map(abs).max()!
        for column in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[column] = 1
            let compact = Self.compactTimes(memory, e)
            for row in 0..<n {
                // Both are O(n·m) sums of terms of size ≤ scale: agreement to ~1e-12·scale.
                #expect(abs(compact[row] - dense[row * n + column]) <= 1e-10 * scale, "B[\(row), \(column)]")
            }
        }
    }

    @Test func reducedHessianSolveMatchesDenseSolve() {
        let n = 7
        let (memory, s, y) = Self.randomMemory(n: n, pairs: 5, capacity: 10, seed: 42)
        let dense = Self.denseBFGS(n: n, s: s, y: y)
        let free = [0, 2, 3, 6]
        let r = [0.3, -1.2, 0.7, 2.0]
        guard let u = memory.solveReducedHessian(free: free, r: r) else {
            Issue.record("reduced solve failed")
            return
        }
        // Residual of (ZᵀBZ) u = r with the dense B.
        for (a, i) in free.enumerated() {
            var sum = 0.0
            for (b, j) in free.enumerated() { sum += dense[i * n + j] * u[b] }
            #expect(abs(sum - r[a]) <= 1e-10 * max(1, abs(r[a])))
        }
    }

    @Test func updateSkipsPairsWithoutPositiveCurvature() {
        var memory = CompactLBFGSMatrix(dimension: 2, capacity: 3)
        #expect(memory.update(s: [1, 0], y: [-1, 0]) == .skippedCurvature)
        #expect(memory.update(s: [1, 0], y: [0, 1]) == .skippedCurvature)       // sᵀy = 0
        #expect(memory.update(s: [1, 0], y: [.nan, 1]) == .skippedCurvature)
        #expect(memory.count == 0 && memory.theta == 1)
        #expect(memory.update(s: [1, 0], y: [2, 0]) == .stored)
        #expect(memory.theta == 2)
    }

    /// Model m(z) = gᵀ(z − x) + ½(z − x)ᵀB(z − x) with the dense B.
    static func model(_ z: [Double], x: [Double], g: [Double], b: [Double]) -> Double {
        let n = x.count
        let d = (0..<n).map { z[$0] - x[$0] }
        var quadratic = 0.0
        for i in 0..<n {
            for j in 0..<n { quadratic += d[i] * b[i * n + j] * d[j] }
        }
        return LBFGSBKernels.dot(g, d) + 0.5 * quadratic
    }

    @Test("Cauchy point is the first local minimiser along the projected path", arguments: 0..<16)
    func cauchyPointIsFirstLocalMinimiser(seed: UInt64) {
        let n = 6
        var rng = Support.SplitMix64(seed: 900 + seed)
        let pairs = Int(seed % 4)       // includes the empty memory (B = I)
        let (memory, s, y) = Self.randomMemory(n: n, pairs: pairs, capacity: 10, seed: 77 + seed)
        let b = pairs == 0
            ? (0..<(n * n)).map { $0 % (n + 1) == 0 ? 1.0 : 0.0 }
            : Self.denseBFGS(n: n, s: s, y: y)
        let lower = (0..<n).map { _ in Double.random(in: -1...0, using: &rng) }
        let upper = (0..<n).map { i in i == 5 ? Double.infinity : Double.random(in: 0...1, using: &rng) }
        var x = (0..<n).map { i in Double.random(in: lower[i]...min(upper[i], 1), using: &rng) }
        x[0] = lower[0]                                   // one variable starts on a bound
        let g = (0..<n).map { _ in Double.random(in: -3...3, using: &rng) }
        let cauchy = LBFGSB.generalizedCauchyPoint(x: x, gradient: g, lower: lower, upper: upper, memory: memory)
        let path: (Double) -> [Double] = { t in
            LBFGSBKernels.project(x.indices.map { x[$0] - t * g[$0] }, lower: lower, upper: upper)
        }
        // Recover t_c: variables still moving give t_c exactly, fixed ones their breakpoint
        // ≤ t_c, so the maximum is t_c (or the last breakpoint if everything is fixed).
        let tc = x.indices.filter { g[$0] != 0 }.map { (x[$0] - cauchy.point[$0]) / g[$0] }.max() ?? 0
        let onPath = path(tc)
        for i in 0..<n { #expect(abs(onPath[i] - cauchy.point[i]) <= 1e-12, "seed \(seed): xᶜ off the path at \(i)") }
        // The model decreases along the path up to t_c (checked on a grid) and does not
        // decrease just after it.
        let mc = Self.model(cauchy.point, x: x, g: g, b: b)
        var previous = 0.0
        for k in 1...200 {
            let t = tc * Double(k) / 200
            let value = Self.model(path(t), x: x, g: g, b: b)
            #expect(value <= previous + 1e-12, "seed \(seed): model increases before t_c at t = \(t)")
            previous = value
        }
        #expect(abs(previous - mc) <= 1e-12)
        let after = Self.model(path(tc + 1e-6), x: x, g: g, b: b)
        #expect(after >= mc - 1e-12, "seed \(seed): model still decreasing after t_c")
        #expect(mc < 0, "seed \(seed): the Cauchy point must decrease the model")
    }
}
