/// Why an ``LBFGSB`` run finished. Non-convergence is a status, not an error: every status
/// comes with the best accepted point in ``LBFGSBResult``.
public enum LBFGSBStatus: Sendable, Equatable, CustomStringConvertible {
    /// The projected gradient's infinity norm fell to
    /// ``LBFGSBOptions/projectedGradientTolerance`` or below (first-order optimality).
    case converged
    /// An iteration reduced the objective by at most
    /// ``LBFGSBOptions/relativeReductionTolerance`` relative to max(|f|, 1).
    case convergedRelativeReduction
    /// ``LBFGSBOptions/maxIterations`` iterations were taken.
    case maxIterations
    /// ``LBFGSBOptions/maxEvaluations`` evaluations were used; a line search in progress is
    /// abandoned and the last accepted iterate is returned.
    case maxEvaluations
    /// The line search found no acceptable step even along the projected steepest-descent
    /// path with the L-BFGS memory discarded (usually: the gradient is inconsistent with the
    /// values, or the objective is flat to rounding).
    case lineSearchFailed
    /// The objective's value or gradient at the (projected) start was NaN or infinite, so there
    /// is nothing to descend from. (Non-finite values later on are treated as +∞ and only make
    /// the line search back off.)
    case nonFiniteValue

    /// `true` for ``converged`` and ``convergedRelativeReduction``.
    public var isConverged: Bool {
        self == .converged || self == .convergedRelativeReduction
    }

    public var description: String {
        switch self {
        case .converged: "converged"
        case .convergedRelativeReduction: "convergedRelativeReduction"
        case .maxIterations: "maxIterations"
        case .maxEvaluations: "maxEvaluations"
        case .lineSearchFailed: "lineSearchFailed"
        case .nonFiniteValue: "nonFiniteValue"
        }
    }
}

/// The outcome of an ``LBFGSB`` run, like SciPy's `OptimizeResult`.
///
/// `x` is always inside the box and, apart from ``LBFGSBStatus/nonFiniteValue``, its value is
/// never above the value at the projected start: every accepted step satisfies the
/// sufficient-decrease condition.
public struct LBFGSBResult: Sendable, Equatable {
    /// The last accepted iterate (length n, inside `[lower, upper]`).
    public var x: [Double]
    /// The objective's value at ``x``.
    public var value: Double
    /// The objective's gradient at ``x`` (length n).
    public var gradient: [Double]
    /// Why the run finished.
    public var status: LBFGSBStatus
    /// A human-readable explanation with the numbers behind ``status``.
    public var reason: String
    /// Accepted line-search steps (SciPy's `nit`).
    public var iterations: Int
    /// Objective evaluations, the first one included (SciPy's `nfev`).
    public var evaluations: Int
    /// `‖P(x − g) − x‖∞` at ``x``, the quantity compared with
    /// ``LBFGSBOptions/projectedGradientTolerance``.
    public var projectedGradientNorm: Double
}

/// What an ``LBFGSB`` machine needs next: one more evaluation, or nothing because it finished.
public enum LBFGSBStep: Sendable, Equatable {
    /// Evaluate the objective's value and gradient at this point (length n, inside the box)
    /// and pass them to ``LBFGSB/step(value:gradient:)``.
    case evaluate([Double])
    /// The run is over.
    case finished(LBFGSBResult)
}
