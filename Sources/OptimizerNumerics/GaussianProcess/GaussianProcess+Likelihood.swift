import Foundation

// Notation (Rasmussen & Williams 2006, eq. 2.30 and eq. 5.9):
//   θ = [log ℓ₁…log ℓ_d, log σ², log σ²ₙ] (packed order), K = σ²·M(R) + σ²ₙ·I = L·Lᵀ,
//   α = K⁻¹y,  W = ααᵀ − K⁻¹ (n×n),  K_f = σ²·M(R) (noise-free part),  H = h(R) (see MaternKernel).
//   log p(y|X,θ) = −½ yᵀα − Σᵢ log Lᵢᵢ − (n/2) log 2π
//   ∂/∂θₚ log p = ½ tr(W · ∂K/∂θₚ)

extension GaussianProcess {
    /// Log marginal likelihood of (X, y) and its gradient with respect to every
    /// log-hyperparameter, in packed order.
    ///
    /// ```
    /// ∂/∂log σ²  = ½ Σ W ∘ K_f
    /// ∂/∂log σ²ₙ = ½ σ²ₙ tr W
    /// ∂/∂log ℓⱼ  = ½ Σₐᵦ Wₐᵦ Hₐᵦ (x̂ₐⱼ − x̂ᵦⱼ)² = Σₐ x̂ₐⱼ² sₐ − Σₐ x̂ₐⱼ (G X̂)ₐⱼ,
    ///              G = W ∘ H (symmetric), s = G·1
    /// ```
    /// The last line turns d elementwise passes over n² entries into one `dgemm` (G·X̂, n×n×d).
    /// Reference: Rasmussen & Williams 2006, eq. 5.9; Matérn derivatives from eq. 4.17.
    ///
    /// - Returns: `nil` when K is not numerically positive definite at θ (the caller treats
    ///   that as −∞ likelihood, so a line search backs off); no jitter is added here.
    /// - Complexity: n³/3 (`dpotrf`) + 2n³/3 (`dpotri`) + 2n²d (`dgemm`) flops + O(n²) exp.
    public static func logMarginalLikelihood(inputs x: Matrix, targets y: [Double],
                                             hyperparameters theta: GaussianProcessHyperparameters)
        -> (value: Double, gradient: [Double])?
    {
        let n = x.rows, d = theta.dimension
        precondition(y.count == n && (x.columns == d || n == 0),
                     "logMarginalLikelihood: X is \(x.rows)×\(x.columns), y has \(y.count), d = \(d)")
        if n == 0 { return (0, [Double](repeating: 0, count: d + 2)) }
        let kernel = theta.kernel
        let s2 = kernel.signalVariance
        let noise = exp(theta.logNoiseVariance)
        let xs = kernel.scaled(x)
        let r = MaternKernel.distances(xs, xs)
        var kf = r, h = r
        for j in 0..<n {
            for i in j..<n {
                let rij = i == j ? 0 : r.elements[i + j * n]
                let (kv, hv) = kernel.valueAndSlope(distance: rij, signalVariance: s2)
                kf.elements[i + j * n] = kv; kf.elements[j + i * n] = kv
                h.elements[i + j * n] = hv; h.elements[j + i * n] = hv
            }
        }
        var k = kf
        for i in 0..<n { k.elements[i + i * n] += noise }
        guard let factor = try? CholeskyFactor(factoring: k), let kinv = try? factor.inverse() else { return nil }
        let alpha = factor.solve(y)
        var fit = 0.0
        for i in 0..<n { fit += y[i] * alpha[i] }
        let value = -0.5 * fit - 0.5 * factor.logDeterminant - 0.5 * Double(n) * log(2 * Double.pi)
        guard value.isFinite else { return nil }

        // W = ααᵀ − K⁻¹, overwritten into `w`; G = W ∘ H into `g`.
        var w = kinv
        var gradSignal = 0.0, traceW = 0.0
        var g = h
        for j in 0..<n {
            for i in 0..<n {
                let idx = i + j * n
                let wij = alpha[i] * alpha[j] - kinv.elements[idx]
                w.elements[idx] = wij
                gradSignal += wij * kf.elements[idx]
                g.elements[idx] *= wij
            }
            traceW += w.elements[j + j * n]
        }
        var gradient = [Double](repeating: 0, count: d + 2)
        let gx = Matrix.product(g, xs)
        var rowSums = [Double](repeating: 0, count: n)
        for j in 0..<n { for i in 0..<n { rowSums[i] += g.elements[i + j * n] } }
        for dim in 0..<d {
            var s = 0.0
            for a in 0..<n {
                let v = xs.elements[a + dim * n]
                s += v * v * rowSums[a] - v * gx.elements[a + dim * n]
            }
            gradient[dim] = s
        }
        gradient[d] = 0.5 * gradSignal
        gradient[d + 1] = 0.5 * noise * traceW
        return (value, gradient)
    }
}
