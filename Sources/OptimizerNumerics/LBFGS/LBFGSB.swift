// Notation (Byrd, Lu, Nocedal & Zhu 1995):
//   n          number of variables
//   l, u       bounds, length n, lᵢ ≤ uᵢ, each possibly ∓∞
//   xₖ, fₖ, gₖ iterate, objective value and gradient after k iterations
//   P(z)       projection onto the box [l, u]
//   B          compact limited-memory BFGS matrix (CompactLBFGSMatrix.swift)
//   x̄          target of the line search from the Cauchy point and subspace minimisation
//   d          search direction d = x̄ − xₖ;  α the step, xₖ₊₁ = xₖ + α d
//   sₖ, yₖ     correction pair sₖ = xₖ₊₁ − xₖ, yₖ = gₖ₊₁ − gₖ

/// Bound-constrained limited-memory BFGS (L-BFGS-B) as a reverse-communication state
/// machine: the value type proposes points, the caller evaluates the objective and gradient,
/// and reports them back. It knows nothing about where the objective comes from, so many
/// independent runs can be advanced together with one batched evaluation per round.
///
/// ```
/// minimise f(x)  subject to  l ≤ x ≤ u      (lᵢ = −∞ or uᵢ = +∞ allowed)
/// ```
///
/// Each iteration (Byrd, Lu, Nocedal & Zhu 1995; Nocedal & Wright 2006, §16.7 and §7.2):
/// 1. the generalized Cauchy point xᶜ: first minimiser of the quadratic model
///    m(z) = gᵀ(z − x) + ½(z − x)ᵀB(z − x) along the projected steepest-descent path
///    P(x − t g) (§4);
/// 2. subspace minimisation of m over the variables free at xᶜ, projected back into the box
///    (§5.1 with Morales & Nocedal 2011), giving x̄;
/// 3. a strong Wolfe line search along d = x̄ − x, with steps no longer than the box allows
///    (Nocedal & Wright 2006, Algorithms 3.5–3.6);
/// 4. the pair (s, y) updates the compact L-BFGS matrix unless sᵀy ≤ ε·yᵀy.
///
/// Stopping tests after each iteration, in this order: projected gradient
/// ‖P(x − g) − x‖∞ ≤ `projectedGradientTolerance`; relative reduction
/// (fₖ − fₖ₊₁) ≤ `relativeReductionTolerance`·max(|fₖ|, |fₖ₊₁|, 1); iteration limit. The
/// evaluation limit is checked before every request. If the line search fails, or the
/// subspace system cannot be solved, the memory is discarded and the iteration restarted
/// from the same point with B = I; a failure with empty memory ends the run.
///
/// Non-finite objective values (NaN, ±∞, or a non-finite gradient entry) are treated as +∞:
/// the line search backs off from them. Only a non-finite value at the start ends the run,
/// with ``LBFGSBStatus/nonFiniteValue``.
///
/// ## Driving the machine
/// A new machine has already requested its first evaluation, at the start projected into the
/// box: ``next`` is `.evaluate(P(start))` and ``pendingPoint`` is that point. After each
/// evaluation call ``step(value:gradient:)``, which returns (and stores in ``next``) the next
/// request or the result:
/// ```swift
/// var solver = LBFGSB(start: x0, lower: l, upper: u)
/// while let x = solver.pendingPoint {
///     let (value, gradient) = objective(x)
///     solver.step(value: value, gradient: gradient)
/// }
/// let result = solver.result!
/// ```
/// To run many starts at once, keep an array of machines, collect every `pendingPoint`,
/// evaluate them in one batch, and feed each its own value and gradient. Runs are
/// independent, so the results are identical to running each alone (see ``minimize(start:lower:upper:options:objective:)``).
///
/// - Complexity: per iteration O(m·n) for the products with the stored pairs, O(m²) per
///   breakpoint passed by the Cauchy search plus O(n log n) to sort breakpoints, O(t·m²) to
///   form and O(m³) to solve the 2m×2m reduced system (t free variables); memory O(m·n).
public struct LBFGSB: Sendable {
    /// Lower bounds l (length n; −∞ allowed).
    public let lower: [Double]
    /// Upper bounds u (length n; +∞ allowed).
    public let upper: [Double]
    /// The settings of this run.
    public let options: LBFGSBOptions
    /// The last request: the point to evaluate next, or the result once finished. Starts as
    /// `.evaluate(P(start))`.
    public private(set) var next: LBFGSBStep

    private var x: [Double]
    private var value: Double = .nan
    private var gradient: [Double] = []
    private var memory: CompactLBFGSMatrix
    private var iterations = 0
    private var evaluations = 0
    private var phase: Phase

    private enum Phase: Sendable {
        /// Waiting for f and ∇f at the projected start.
        case start
        /// Waiting for f and ∇f at `trialPoint` = P(x + α d).
        case lineSearch(search: StrongWolfeLineSearch, direction: [Double], trialPoint: [Double])
        case finished
    }

    /// Creates a run and requests the first evaluation at the start projected into the box.
    ///
    /// - Parameters:
    ///   - start: initial point x₀ (length n ≥ 1, finite); it is projected into the box.
    ///   - lower: lower bounds (length n); `-.infinity` for none.
    ///   - upper: upper bounds (length n); `.infinity` for none. Need lᵢ ≤ uᵢ.
    ///   - options: limits, tolerances and line-search constants.
    /// - Precondition: equal lengths ≥ 1, no NaN, finite start, lᵢ ≤ uᵢ, valid options.
    public init(start: [Double], lower: [Double], upper: [Double], options: LBFGSBOptions = .init()) {
        let n = start.count
        precondition(n >= 1, "LBFGSB: start is empty; need at least one variable")
        precondition(
            lower.count == n && upper.count == n,
            "LBFGSB: start has \(n) entries but lower has \(lower.count) and upper \(upper.count)")
        for i in 0..<n {
            precondition(start[i].isFinite, "LBFGSB: start[\(i)] = \(start[i]) is not finite")
            precondition(
                lower[i] <= upper[i],  // false for NaN too
                "LBFGSB: lower[\(i)] = \(lower[i]) must be ≤ upper[\(i)] = \(upper[i]) (and neither NaN)")
            precondition(
                lower[i] < .infinity && upper[i] > -.infinity,
                "LBFGSB: bounds of variable \(i) ([\(lower[i]), \(upper[i])]) leave no finite point")
        }
        options.validate()
        self.lower = lower
        self.upper = upper
        self.options = options
        self.x = LBFGSBKernels.project(start, lower: lower, upper: upper)
        self.memory = CompactLBFGSMatrix(dimension: n, capacity: options.memory)
        self.phase = .start
        self.next = .evaluate(x)
    }

    /// The point to evaluate next, or `nil` once the run has finished.
    public var pendingPoint: [Double]? {
        if case .evaluate(let point) = next { point } else { nil }
    }

    /// The result, or `nil` while evaluations are still requested.
    public var result: LBFGSBResult? {
        if case .finished(let result) = next { result } else { nil }
    }

    /// Number of variables n.
    public var dimension: Int { lower.count }

    /// Reports the objective's value and gradient at ``pendingPoint`` and advances the run.
    ///
    /// Non-finite values or gradient entries are allowed and treated as +∞ (see the type
    /// documentation). The returned step is also stored in ``next``.
    ///
    /// - Precondition: the run has not finished and `gradient.count == n`.
    /// - Complexity: O(1) while the line search is going on; one iteration's work (type
    ///   documentation) when a step is accepted.
    @discardableResult
    public mutating func step(value newValue: Double, gradient newGradient: [Double]) -> LBFGSBStep {
        precondition(
            newGradient.count == dimension,
            "LBFGSB.step: gradient has \(newGradient.count) entries, expected \(dimension)")
        evaluations += 1
        switch phase {
        case .finished:
            preconditionFailure("LBFGSB.step: called after the run finished (\(result?.status.description ?? "?"))")
        case .start:
            guard newValue.isFinite, newGradient.allSatisfy(\.isFinite) else {
                value = newValue
                gradient = newGradient
                return finish(.nonFiniteValue, "objective value \(newValue) or its gradient is not finite at the projected start")
            }
            value = newValue
            gradient = newGradient
            let norm = projectedGradientNorm
            if norm <= options.projectedGradientTolerance {
                return finish(.converged, "projected gradient ‖P(x − g) − x‖∞ = \(norm) ≤ \(options.projectedGradientTolerance) at the start")
            }
            if options.maxIterations == 0 {
                return finish(.maxIterations, "maxIterations = 0")
            }
            return beginIteration()
        case .lineSearch(var search, let direction, let trialPoint):
            let finite = newValue.isFinite && newGradient.allSatisfy(\.isFinite)
            let slope = finite ? LBFGSBKernels.dot(newGradient, direction) : .nan
            switch search.observe(value: finite ? newValue : .infinity, slope: slope) {
            case .evaluate:
                let point = pointAlong(direction, step: search.trialStep)
                phase = .lineSearch(search: search, direction: direction, trialPoint: point)
                return request(point)
            case .accept:
                return accept(point: trialPoint, value: newValue, gradient: newGradient)
            case .fail(let why):
                if memory.count > 0 {
                    memory.reset()
                    return beginIteration()
                }
                return finish(.lineSearchFailed, "line search failed along the projected steepest-descent direction: \(why)")
            }
        }
    }

    // MARK: - Iteration logic

    private var projectedGradientNorm: Double {
        LBFGSBKernels.projectedGradientNorm(x: x, gradient: gradient, lower: lower, upper: upper)
    }

    /// P(x + α d): the projection only removes rounding past a bound at α = α_max.
    private func pointAlong(_ direction: [Double], step: Double) -> [Double] {
        var point = x
        for i in point.indices {
            point[i] = min(max(x[i] + step * direction[i], lower[i]), upper[i])
        }
        return point
    }

    /// Computes the search direction from the current iterate and requests the line search's
    /// first trial. Falls back to an empty memory (B = I) if the subspace system is singular
    /// or the direction is not a descent direction.
    ///
    /// First trial: α₀ = min(1/‖d‖₂, α_max) when the memory is empty (the direction is then
    /// the raw projected gradient step, whose length carries no curvature information), else
    /// α₀ = 1, the quasi-Newton step to x̄ (α_max ≥ 1 because x̄ is feasible). The line search
    /// may go beyond 1 up to α_max, the first step at which a variable reaches a bound
    /// (capped at 1e10 when no finite bound lies along d).
    private mutating func beginIteration() -> LBFGSBStep {
        while true {
            let cauchy = Self.generalizedCauchyPoint(
                x: x, gradient: gradient, lower: lower, upper: upper, memory: memory)
            guard let target = Self.subspaceMinimum(
                x: x, gradient: gradient, lower: lower, upper: upper, memory: memory, cauchy: cauchy)
            else {
                memory.reset()
                continue
            }
            var direction = target
            for i in direction.indices { direction[i] -= x[i] }
            let initialSlope = LBFGSBKernels.dot(gradient, direction)
            guard initialSlope < 0, initialSlope.isFinite else {
                if memory.count > 0 {
                    memory.reset()
                    continue
                }
                return finish(.lineSearchFailed, "no descent direction: gᵀd = \(initialSlope) with projected gradient ‖·‖∞ = \(projectedGradientNorm)")
            }
            // x̄ = x + d is feasible, so α_max ≥ 1 up to rounding (which `pointAlong` removes).
            let maximumStep = max(
                LBFGSBKernels.maximumFeasibleStep(x: x, direction: direction, lower: lower, upper: upper, cap: 1e10),
                1)
            let initialStep = memory.count == 0
                ? min(1 / LBFGSBKernels.dot(direction, direction).squareRoot(), maximumStep)
                : min(1, maximumStep)
            let search = StrongWolfeLineSearch(
                initialValue: value, initialSlope: initialSlope,
                initialStep: initialStep, maximumStep: maximumStep,
                sufficientDecrease: options.sufficientDecrease, curvature: options.curvature,
                maxEvaluations: options.maxLineSearchEvaluations)
            let point = pointAlong(direction, step: initialStep)
            phase = .lineSearch(search: search, direction: direction, trialPoint: point)
            return request(point)
        }
    }

    /// Takes the accepted step, updates the memory and applies the stopping tests.
    private mutating func accept(point: [Double], value newValue: Double, gradient newGradient: [Double]) -> LBFGSBStep {
        iterations += 1
        var s = point
        var y = newGradient
        for i in s.indices {
            s[i] -= x[i]
            y[i] -= gradient[i]
        }
        let previousValue = value
        x = point
        value = newValue
        gradient = newGradient
        _ = memory.update(s: s, y: y)

        let norm = projectedGradientNorm
        if norm <= options.projectedGradientTolerance {
            return finish(.converged, "projected gradient ‖P(x − g) − x‖∞ = \(norm) ≤ \(options.projectedGradientTolerance)")
        }
        let reduction = previousValue - value
        let scale = max(abs(previousValue), abs(value), 1)
        if reduction <= options.relativeReductionTolerance * scale {
            return finish(
                .convergedRelativeReduction,
                "relative reduction (fₖ − fₖ₊₁)/max(|fₖ|, |fₖ₊₁|, 1) = \(reduction / scale) ≤ \(options.relativeReductionTolerance)")
        }
        if iterations >= options.maxIterations {
            return finish(.maxIterations, "reached maxIterations = \(options.maxIterations); projected gradient ‖·‖∞ = \(norm)")
        }
        return beginIteration()
    }

    /// Requests an evaluation unless the evaluation budget is spent.
    private mutating func request(_ point: [Double]) -> LBFGSBStep {
        guard evaluations < options.maxEvaluations else {
            return finish(.maxEvaluations, "reached maxEvaluations = \(options.maxEvaluations); projected gradient ‖·‖∞ = \(projectedGradientNorm)")
        }
        next = .evaluate(point)
        return next
    }

    private mutating func finish(_ status: LBFGSBStatus, _ reason: String) -> LBFGSBStep {
        phase = .finished
        let norm = status == .nonFiniteValue ? Double.nan : projectedGradientNorm
        next = .finished(LBFGSBResult(
            x: x, value: value, gradient: gradient, status: status, reason: reason,
            iterations: iterations, evaluations: evaluations, projectedGradientNorm: norm))
        return next
    }
}
