import Foundation

// Notation (Rasmussen & Williams 2006, Alg. 2.1):
//   X: n×d training inputs (unit cube), y: n targets (the caller standardises them),
//   K = k(X, X) + (σ²ₙ + jitter)·I = L·Lᵀ,  α = K⁻¹y.
//   Z: m×d query points, K* = k(X, Z): n×m, V = L⁻¹K*: n×m.
//   μ(Z) = K*ᵀα,  σ²(Z) = σ² − colsum(V ∘ V)        (latent f, without observation noise)

/// Why a Gaussian process could not be built.
public enum GaussianProcessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Observation `index` (0-based) has a non-finite target.
    case nonFiniteTarget(index: Int, value: Double)
    /// Observation `index` has a non-finite input coordinate.
    case nonFiniteInput(index: Int)
    /// K stayed numerically indefinite even with the largest jitter.
    case notPositiveDefinite(LAPACKError)

    public var description: String {
        switch self {
        case .nonFiniteTarget(let i, let v): return "observation \(i) has a non-finite value \(v)"
        case .nonFiniteInput(let i): return "observation \(i) has a non-finite input coordinate"
        case .notPositiveDefinite(let e): return "the kernel matrix could not be factorised: \(e)"
        }
    }
}

/// A Gaussian process conditioned on observations, with fixed hyperparameters (immutable;
/// adding data returns a new value).
public struct GaussianProcess: Sendable, VarianceBoundingPosterior {
    /// X: n×d.
    public let inputs: Matrix
    /// y: n values, in the units given (zero prior mean).
    public let targets: [Double]
    public let hyperparameters: GaussianProcessHyperparameters
    /// Extra diagonal added to K beyond σ²ₙ to make it factorisable (0 when none was needed).
    public let jitter: Double
    let factor: CholeskyFactor
    /// α = K⁻¹y.
    let alpha: [Double]

    /// The jitter ladder, relative to σ²: tried in order until `dpotrf` succeeds. Duplicate
    /// inputs with tiny noise make K singular; each rung trades a little accuracy for a factor.
    static let jitterLadder: [Double] = [0, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2]

    /// Conditions the prior on (X, y).
    ///
    /// n = 0 gives the prior (μ = 0, σ² = signal variance).
    /// - Throws: ``GaussianProcessError`` naming a non-finite observation, or when K cannot be
    ///   factorised even with the largest jitter.
    /// - Complexity: one kernel build (one `dgemm`), n³/3 flops for `dpotrf` per rung tried.
    public init(inputs: Matrix, targets: [Double], hyperparameters: GaussianProcessHyperparameters) throws(GaussianProcessError) {
        precondition(inputs.rows == targets.count, "GaussianProcess: X is \(inputs.rows)×\(inputs.columns) but y has \(targets.count) values")
        precondition(inputs.columns == hyperparameters.dimension || inputs.rows == 0,
                     "GaussianProcess: X has d = \(inputs.columns), hyperparameters have d = \(hyperparameters.dimension)")
        try Self.validate(inputs: inputs, targets: targets)
        let kernel = hyperparameters.kernel
        let n = inputs.rows
        let noise = exp(hyperparameters.logNoiseVariance)
        var lastError = LAPACKError.notPositiveDefinite(leadingMinor: 0)
        for rung in Self.jitterLadder {
            let jitter = rung * kernel.signalVariance
            // One n×n matrix at a time: K is built for each rung tried (O(n²d), against n³/3 for
            // the factorisation) rather than copied from a kept one, and handed to the factor,
            // which overwrites it in place.
            var k = kernel.covariance(inputs)
            for i in 0..<n { k.elements[i + i * n] += noise + jitter }
            do {
                let factor = try CholeskyFactor(factoring: consume k)
                self.inputs = inputs
                self.targets = targets
                self.hyperparameters = hyperparameters
                self.jitter = jitter
                self.factor = factor
                self.alpha = factor.solve(targets)
                return
            } catch {
                lastError = error
            }
        }
        throw .notPositiveDefinite(lastError)
    }

    static func validate(inputs: Matrix, targets: [Double]) throws(GaussianProcessError) {
        for (i, y) in targets.enumerated() where !y.isFinite { throw .nonFiniteTarget(index: i, value: y) }
        for j in 0..<inputs.columns {
            for i in 0..<inputs.rows where !inputs[i, j].isFinite { throw .nonFiniteInput(index: i) }
        }
    }

    /// The posterior mean of f at the training inputs, in O(n) without a kernel evaluation:
    ///
    /// ```
    /// (K + (σ²ₙ + jitter)·I)·α = y   ⇒   μ(X) = K·α = y − (σ²ₙ + jitter)·α
    /// ```
    ///
    /// Equal to `predict(inputs).mean` up to rounding.
    public var meanAtInputs: [Double] {
        let diagonal = exp(hyperparameters.logNoiseVariance) + jitter
        return zip(targets, alpha).map { $0 - diagonal * $1 }
    }

    /// n, the number of observations.
    public var count: Int { inputs.rows }
    /// d.
    public var dimension: Int { hyperparameters.dimension }

    /// The same hyperparameters conditioned on k more observations, through an incremental
    /// Cholesky append (O(n²k)) rather than a refactorisation (O(n³)).
    ///
    /// Falls back to a full rebuild (with the jitter ladder) when the Schur complement is not
    /// numerically positive definite, e.g. when a new point duplicates an old one.
    public func appending(inputs newInputs: Matrix, targets newTargets: [Double]) throws(GaussianProcessError) -> GaussianProcess {
        try appendingReportingRefactor(inputs: newInputs, targets: newTargets).model
    }

    /// ``appending(inputs:targets:)`` that also says whether it had to refactorise (the
    /// Schur complement was not positive definite, so K was factored afresh with the jitter
    /// ladder). The large-history path (``BayesianOptimizer``) re-anchors its schedule there.
    public func appendingReportingRefactor(inputs newInputs: Matrix, targets newTargets: [Double]) throws(GaussianProcessError) -> (model: GaussianProcess, refactored: Bool) {
        precondition(newInputs.rows == newTargets.count && (newInputs.columns == dimension || newInputs.rows == 0),
                     "GaussianProcess.appending: X is \(newInputs.rows)×\(newInputs.columns), y has \(newTargets.count)")
        try Self.validate(inputs: newInputs, targets: newTargets)
        let allInputs = inputs.appendingRows(newInputs)
        let allTargets = targets + newTargets
        let kernel = hyperparameters.kernel
        var block = kernel.covariance(newInputs)
        let extra = exp(hyperparameters.logNoiseVariance) + jitter
        for i in 0..<newInputs.rows { block.elements[i + i * newInputs.rows] += extra }
        do {
            let grown = try factor.appending(cross: kernel.covariance(inputs, newInputs), block: block)
            return (GaussianProcess(inputs: allInputs, targets: allTargets, hyperparameters: hyperparameters,
                                    jitter: jitter, factor: grown), false)
        } catch {
            return (try GaussianProcess(inputs: allInputs, targets: allTargets, hyperparameters: hyperparameters), true)
        }
    }

    /// The same inputs, hyperparameters and factor conditioned on other targets: only
    /// α = K⁻¹y is recomputed (two triangular solves, 2n² flops), since L depends on X and θ
    /// alone. The large-history path re-standardises y at every suggestion and keeps L.
    public func retargeted(_ newTargets: [Double]) throws(GaussianProcessError) -> GaussianProcess {
        precondition(newTargets.count == count, "GaussianProcess.retargeted: \(newTargets.count) targets for n = \(count)")
        for (i, y) in newTargets.enumerated() where !y.isFinite { throw .nonFiniteTarget(index: i, value: y) }
        return GaussianProcess(inputs: inputs, targets: newTargets, hyperparameters: hyperparameters, jitter: jitter, factor: factor)
    }

    /// The Cholesky factor L of K (for tests comparing an incremental factor with a refactorisation).
    public var choleskyFactor: CholeskyFactor { factor }

    private init(inputs: Matrix, targets: [Double], hyperparameters: GaussianProcessHyperparameters, jitter: Double, factor: CholeskyFactor) {
        self.inputs = inputs
        self.targets = targets
        self.hyperparameters = hyperparameters
        self.jitter = jitter
        self.factor = factor
        self.alpha = factor.solve(targets)
    }

    /// Posterior mean and latent variance at the rows of Z (m×d), with BLAS-3 calls only:
    /// one `dgemm` for distances, one `dgemv` for the mean and one `dtrsm` against the whole
    /// n×m block for the variance.
    ///
    /// ```
    /// μ = K*ᵀα          σ² = σ²_f − Σₐ Vₐᵦ²,  V = L⁻¹K*
    /// ```
    /// - Complexity: 2nmd + 2nm + n²m flops.
    public func predict(_ points: Matrix) -> PosteriorPrediction {
        precondition(points.columns == dimension, "GaussianProcess.predict: Z is \(points.rows)×\(points.columns), d = \(dimension)")
        let kernel = hyperparameters.kernel
        let kStar = kernel.covariance(inputs, points)
        return prediction(kStar: kStar, m: points.rows).0
    }

    /// The exact posterior mean, and the variance of the same GP conditioned on its first s
    /// observations only (s = min(rows, n)), which bounds the exact variance from above:
    ///
    /// ```
    /// σ²ₛ(z) = σ²_f − ‖L₁₁⁻¹ k₁(z)‖²  ≥  σ²(z)      (L₁₁: leading s×s block of L, k₁ = k(X[0..<s], z))
    /// ```
    /// Conditioning on more data never increases a Gaussian's variance (σ²(z) = σ²ₛ(z) − the
    /// variance the other n − s observations explain, a Schur complement ≥ 0), and L₁₁ is the
    /// Cholesky factor of K's leading block, so no factorisation is needed. Rounding can break
    /// the inequality only by a few ulps of σ².
    /// - Complexity: 2nmd + 2nm + s²m flops (against n²m for the exact variance).
    public func predictWithVarianceBound(_ points: Matrix, rows: Int) -> PosteriorPrediction {
        precondition(points.columns == dimension, "GaussianProcess.predictWithVarianceBound: Z is \(points.rows)×\(points.columns), d = \(dimension)")
        let n = count, m = points.rows, s = min(max(rows, 0), n)
        let s2 = hyperparameters.kernel.signalVariance
        if n == 0 || s == n { return predict(points) }
        let kStar = hyperparameters.kernel.covariance(inputs, points)
        let mean = kStar.times(alpha, transposed: true)
        var head = Matrix(rows: s, columns: m)
        for b in 0..<m { for a in 0..<s { head.elements[a + b * s] = kStar.elements[a + b * n] } }
        let v = factor.solveLeadingTriangular(head)
        var variance = [Double](repeating: s2, count: m)
        for b in 0..<m {
            var sum = 0.0
            for a in 0..<s { let x = v.elements[a + b * s]; sum += x * x }
            variance[b] = max(s2 - sum, 0)
        }
        return PosteriorPrediction(mean: mean, variance: variance)
    }

    private func prediction(kStar: Matrix, m: Int) -> (PosteriorPrediction, v: Matrix) {
        let n = count
        let s2 = hyperparameters.kernel.signalVariance
        if n == 0 {
            return (PosteriorPrediction(mean: Array(repeating: 0, count: m), variance: Array(repeating: s2, count: m)), kStar)
        }
        let mean = kStar.times(alpha, transposed: true)
        let v = factor.solveTriangular(kStar)
        var variance = [Double](repeating: s2, count: m)
        v.elements.withUnsafeBufferPointer { p in
            for b in 0..<m {
                var s = 0.0
                for a in 0..<n { let x = p[a + b * n]; s += x * x }
                // Rounding can push σ² a few ulps below zero at training points; clamp.
                variance[b] = max(s2 - s, 0)
            }
        }
        return (PosteriorPrediction(mean: mean, variance: variance), v)
    }

    /// Mean, variance and their gradients with respect to each query point (m×d each).
    ///
    /// ```
    /// H = h(R) (n×m),  A = diag(α)·H,  B = (K⁻¹K*) ∘ H = (L⁻ᵀV) ∘ H
    /// ∂μᵦ/∂zᵦⱼ  = −(zᵦⱼ·Σₐ Aₐᵦ − (AᵀX)ᵦⱼ) / ℓⱼ²
    /// ∂σ²ᵦ/∂zᵦⱼ = 2(zᵦⱼ·Σₐ Bₐᵦ − (BᵀX)ᵦⱼ) / ℓⱼ²
    /// ```
    /// - Complexity: that of ``predict(_:)`` plus one more `dtrsm` (n²m) and two `dgemm` (2nmd each).
    public func predictWithGradient(_ points: Matrix) -> PosteriorPrediction {
        precondition(points.columns == dimension, "GaussianProcess.predictWithGradient: Z is \(points.rows)×\(points.columns), d = \(dimension)")
        let n = count, m = points.rows, d = dimension
        let kernel = hyperparameters.kernel
        let s2 = kernel.signalVariance
        let r = MaternKernel.distances(kernel.scaled(inputs), kernel.scaled(points))
        var kStar = r
        var h = r
        for i in r.elements.indices {
            (kStar.elements[i], h.elements[i]) = kernel.valueAndSlope(distance: r.elements[i], signalVariance: s2)
        }
        var (prediction, v) = prediction(kStar: kStar, m: m)
        var meanGradient = Matrix(rows: m, columns: d)
        var varianceGradient = Matrix(rows: m, columns: d)
        if n > 0 {
            let beta = factor.solveTriangular(v, transposed: true)
            var a = h, b = h
            for col in 0..<m {
                for row in 0..<n {
                    a.elements[row + col * n] *= alpha[row]
                    b.elements[row + col * n] *= beta.elements[row + col * n]
                }
            }
            let ax = Matrix.product(a, inputs, transposeA: true)
            let bx = Matrix.product(b, inputs, transposeA: true)
            for col in 0..<m {
                var sa = 0.0, sb = 0.0
                for row in 0..<n { sa += a.elements[row + col * n]; sb += b.elements[row + col * n] }
                for j in 0..<d {
                    let invL2 = exp(-2 * kernel.logLengthScales[j])
                    let z = points.elements[col + j * m]
                    meanGradient.elements[col + j * m] = -(z * sa - ax.elements[col + j * m]) * invL2
                    varianceGradient.elements[col + j * m] = prediction.variance[col] > 0
                        ? 2 * (z * sb - bx.elements[col + j * m]) * invL2 : 0
                }
            }
        }
        prediction.meanGradient = meanGradient
        prediction.varianceGradient = varianceGradient
        return prediction
    }
}
