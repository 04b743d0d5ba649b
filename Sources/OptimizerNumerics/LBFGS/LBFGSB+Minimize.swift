extension LBFGSB {
    /// Minimises `objective` over the box `[lower, upper]` by driving an ``LBFGSB`` machine
    /// with the closure, one evaluation at a time.
    ///
    /// ```
    /// minimise f(x)  subject to  l ≤ x ≤ u
    /// ```
    /// Gives exactly the result of driving ``LBFGSB`` by hand with the same evaluations.
    ///
    /// - Parameters:
    ///   - start: initial point (length n, finite); projected into the box first.
    ///   - lower: lower bounds (length n); `-.infinity` for none.
    ///   - upper: upper bounds (length n); `.infinity` for none.
    ///   - options: limits, tolerances and line-search constants.
    ///   - objective: f and ∇f at a point inside the box. Return a non-finite value (e.g.
    ///     `.infinity` after a failed factorisation) to make the line search back off. An error
    ///     thrown by the closure ends the run and is rethrown.
    /// - Returns: the result; non-convergence is reported in ``LBFGSBResult/status``.
    /// - Complexity: at most `options.maxEvaluations` calls of `objective`, plus the work
    ///   listed on ``LBFGSB``.
    public static func minimize<Failure: Error>(
        start: [Double],
        lower: [Double],
        upper: [Double],
        options: LBFGSBOptions = .init(),
        objective: ([Double]) throws(Failure) -> (value: Double, gradient: [Double])
    ) throws(Failure) -> LBFGSBResult {
        var solver = LBFGSB(start: start, lower: lower, upper: upper, options: options)
        while true {
            switch solver.next {
            case .evaluate(let point):
                let evaluation = try objective(point)
                solver.step(value: evaluation.value, gradient: evaluation.gradient)
            case .finished(let result):
                return result
            }
        }
    }
}
