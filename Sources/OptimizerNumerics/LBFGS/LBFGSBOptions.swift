/// Settings for ``LBFGSB``. The defaults follow SciPy's `minimize(method="L-BFGS-B")` where
/// SciPy has an equivalent setting, so results can be compared with SciPy directly.
///
/// | Setting | Default | SciPy name |
/// |---|---|---|
/// | ``memory`` | 10 | `maxcor` |
/// | ``maxIterations`` | 200 | `maxiter` (SciPy: 15000) |
/// | ``maxEvaluations`` | 1000 | `maxfun` (SciPy: 15000) |
/// | ``projectedGradientTolerance`` | 1e-5 | `pgtol` / `gtol` |
/// | ``relativeReductionTolerance`` | 1e7 · ε ≈ 2.22e-9 | `factr · eps` (`ftol`) |
/// | ``sufficientDecrease`` | 1e-4 | (SciPy's line search uses 1e-3) |
/// | ``curvature`` | 0.9 | 0.9 |
/// | ``maxLineSearchEvaluations`` | 20 | `maxls` |
public struct LBFGSBOptions: Sendable, Equatable {
    /// Number m of correction pairs (sₖ, yₖ) kept for the limited-memory Hessian approximation.
    /// Must be ≥ 1. Work per iteration is O(m·n + m³) and memory O(m·n).
    public var memory: Int

    /// Maximum number of iterations (accepted line-search steps). Reaching it finishes with
    /// ``LBFGSBStatus/maxIterations``. Must be ≥ 0 (0 only evaluates the projected start).
    public var maxIterations: Int

    /// Maximum number of objective evaluations, the first one included. No evaluation beyond
    /// this number is ever requested; reaching it finishes with ``LBFGSBStatus/maxEvaluations``.
    /// Must be ≥ 1.
    public var maxEvaluations: Int

    /// Stop with ``LBFGSBStatus/converged`` when the infinity norm of the projected gradient,
    /// `‖P(x − g) − x‖∞`, is at most this value (SciPy's `pgtol`).
    public var projectedGradientTolerance: Double

    /// Stop with ``LBFGSBStatus/convergedRelativeReduction`` when an iteration reduces the
    /// objective by at most this fraction:
    /// ```
    /// (fₖ − fₖ₊₁) ≤ tol · max(|fₖ|, |fₖ₊₁|, 1)
    /// ```
    /// SciPy's `factr · eps` with `factr = 1e7` (its default), about 2.22e-9.
    public var relativeReductionTolerance: Double

    /// c₁ of the sufficient-decrease (Armijo) condition `φ(α) ≤ φ(0) + c₁ α φ′(0)`,
    /// 0 < c₁ < c₂ (Nocedal & Wright 2006, eq. 3.7a).
    public var sufficientDecrease: Double

    /// c₂ of the strong curvature condition `|φ′(α)| ≤ c₂ |φ′(0)|`, c₁ < c₂ < 1
    /// (Nocedal & Wright 2006, eq. 3.7b). 0.9 is the usual quasi-Newton choice.
    public var curvature: Double

    /// Maximum number of evaluations in one line search before it is declared failed
    /// (SciPy's `maxls`). A failure first discards the L-BFGS memory and retries from the same
    /// point; a failure with empty memory finishes with ``LBFGSBStatus/lineSearchFailed``.
    public var maxLineSearchEvaluations: Int

    /// Creates options; every argument has the default listed in the type's documentation.
    public init(
        memory: Int = 10,
        maxIterations: Int = 200,
        maxEvaluations: Int = 1000,
        projectedGradientTolerance: Double = 1e-5,
        relativeReductionTolerance: Double = 1e7 * Double.ulpOfOne,
        sufficientDecrease: Double = 1e-4,
        curvature: Double = 0.9,
        maxLineSearchEvaluations: Int = 20
    ) {
        self.memory = memory
        self.maxIterations = maxIterations
        self.maxEvaluations = maxEvaluations
        self.projectedGradientTolerance = projectedGradientTolerance
        self.relativeReductionTolerance = relativeReductionTolerance
        self.sufficientDecrease = sufficientDecrease
        self.curvature = curvature
        self.maxLineSearchEvaluations = maxLineSearchEvaluations
    }

    /// Stops the program with a message naming the first invalid field (programmer error).
    func validate() {
        precondition(memory >= 1, "LBFGSBOptions.memory: \(memory) must be ≥ 1")
        precondition(maxIterations >= 0, "LBFGSBOptions.maxIterations: \(maxIterations) must be ≥ 0")
        precondition(maxEvaluations >= 1, "LBFGSBOptions.maxEvaluations: \(maxEvaluations) must be ≥ 1")
        precondition(
            projectedGradientTolerance >= 0,
            "LBFGSBOptions.projectedGradientTolerance: \(projectedGradientTolerance) must be ≥ 0")
        precondition(
            relativeReductionTolerance >= 0,
            "LBFGSBOptions.relativeReductionTolerance: \(relativeReductionTolerance) must be ≥ 0")
        precondition(
            sufficientDecrease > 0 && sufficientDecrease < curvature && curvature < 1,
            "LBFGSBOptions: need 0 < sufficientDecrease (\(sufficientDecrease)) < curvature (\(curvature)) < 1")
        precondition(
            maxLineSearchEvaluations >= 1,
            "LBFGSBOptions.maxLineSearchEvaluations: \(maxLineSearchEvaluations) must be ≥ 1")
    }
}
