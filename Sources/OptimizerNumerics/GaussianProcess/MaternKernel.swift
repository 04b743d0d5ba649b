import Foundation

// Notation (Rasmussen & Williams 2006, §4.2, eq. 4.17 with ν = 5/2):
//   X: n×d inputs, Z: m×d inputs, column-major; ℓ: d length scales; σ²: signal variance.
//   x̂ = x ⊘ ℓ (each coordinate divided by its length scale)
//   r = ‖x̂ − ẑ‖₂
//   k(r) = σ² (1 + √5 r + 5/3 r²) exp(−√5 r)
//   h(r) = σ² · 5/3 · (1 + √5 r) exp(−√5 r)      so that dk/dr = −r·h(r)
// h appears in every derivative: ∂k/∂log ℓⱼ = h·(x̂ⱼ − ẑⱼ)² and ∂k/∂zⱼ = −h·(zⱼ − xⱼ)/ℓⱼ².

/// Matérn-5/2 covariance with one length scale per dimension (ARD).
public struct MaternKernel: Sendable, Hashable {
    /// log ℓⱼ, one per input dimension.
    public var logLengthScales: [Double]
    /// log σ².
    public var logSignalVariance: Double

    public init(logLengthScales: [Double], logSignalVariance: Double) {
        self.logLengthScales = logLengthScales
        self.logSignalVariance = logSignalVariance
    }

    /// Input dimension d.
    public var dimension: Int { logLengthScales.count }
    /// σ².
    public var signalVariance: Double { exp(logSignalVariance) }

    static let sqrt5 = 5.0.squareRoot()

    /// k(r) for r ≥ 0.
    @inline(__always)
    func value(distance r: Double, signalVariance s2: Double) -> Double {
        let a = Self.sqrt5 * r
        return s2 * (1 + a + a * a / 3) * exp(-a)
    }

    /// k(r) and h(r) together, sharing one exp.
    @inline(__always)
    func valueAndSlope(distance r: Double, signalVariance s2: Double) -> (value: Double, slope: Double) {
        let a = Self.sqrt5 * r
        let e = s2 * exp(-a)
        return ((1 + a + a * a / 3) * e, (5.0 / 3.0) * (1 + a) * e)
    }

    /// The inputs divided column-wise by the length scales (x̂ = x ⊘ ℓ).
    func scaled(_ x: Matrix) -> Matrix {
        precondition(x.columns == dimension, "MaternKernel: inputs are \(x.rows)×\(x.columns), kernel has d = \(dimension)")
        var out = x
        for j in 0..<dimension {
            let inv = exp(-logLengthScales[j])
            for i in 0..<x.rows { out.elements[i + j * x.rows] *= inv }
        }
        return out
    }

    /// Pairwise distances r between the rows of x̂ (n×d) and ẑ (m×d), through one `dgemm`.
    ///
    /// ```
    /// r²ₐᵦ = ‖x̂ₐ‖² + ‖ẑᵦ‖² − 2 (x̂ ẑᵀ)ₐᵦ      clamped at 0 (cancellation can make it −ε)
    /// ```
    /// - Complexity: 2nmd flops (BLAS-3) + O(nm).
    static func distances(_ xs: Matrix, _ zs: Matrix) -> Matrix {
        let n = xs.rows, m = zs.rows, d = xs.columns
        var g = Matrix.product(xs, zs, transposeB: true, scale: -2)
        var nx = [Double](repeating: 0, count: n), nz = [Double](repeating: 0, count: m)
        for j in 0..<d {
            for i in 0..<n { let v = xs.elements[i + j * n]; nx[i] += v * v }
            for i in 0..<m { let v = zs.elements[i + j * m]; nz[i] += v * v }
        }
        g.elements.withUnsafeMutableBufferPointer { p in
            for b in 0..<m {
                for a in 0..<n {
                    let r2 = p[a + b * n] + nx[a] + nz[b]
                    p[a + b * n] = r2 > 0 ? r2.squareRoot() : 0
                }
            }
        }
        return g
    }

    /// The cross-covariance matrix k(X, Z): n×m.
    ///
    /// - Complexity: one `dgemm` (2nmd flops) and nm kernel evaluations.
    public func covariance(_ x: Matrix, _ z: Matrix) -> Matrix {
        var r = Self.distances(scaled(x), scaled(z))
        let s2 = signalVariance
        for i in r.elements.indices { r.elements[i] = value(distance: r.elements[i], signalVariance: s2) }
        return r
    }

    /// The covariance matrix k(X, X): n×n, exactly symmetric with σ² on the diagonal.
    public func covariance(_ x: Matrix) -> Matrix {
        let xs = scaled(x)
        var r = Self.distances(xs, xs)
        let n = x.rows, s2 = signalVariance
        for j in 0..<n {
            r.elements[j + j * n] = s2
            for i in (j + 1)..<n {
                let v = value(distance: r.elements[i + j * n], signalVariance: s2)
                r.elements[i + j * n] = v
                r.elements[j + i * n] = v
            }
        }
        return r
    }
}
