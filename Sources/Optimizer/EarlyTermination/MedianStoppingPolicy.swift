/// HyperDrive's median stopping policy (<doc:HyperDriveSemantics#Early-termination>; the
/// details Azure leaves open are our decisions).
///
/// At an evaluation point n (see ``EvaluationSchedule``), over every trial that has logged at
/// least n reports (this one, running and ended ones), take each one's mean of its finite values
/// within its first n reports; stop the trial if its best-so-far is strictly worse than the
/// median of those means:
///
/// ```
/// m_j    = mean(first n finite values of trial j)        for j with n_j ≥ n
/// median = middle m_j (odd count) or mean of the two middle ones (even count)
/// stop if bestSoFar < median (maximise)  /  bestSoFar > median (minimise)
/// ```
///
/// A trial alone is never stopped (its best is never worse than its own mean). Trials with no
/// finite value in their first n reports have no mean and take no part in the median.
public struct MedianStoppingPolicy: EarlyTerminationPolicy, Hashable, Codable {
    /// When the policy looks at a trial.
    public var schedule: EvaluationSchedule

    /// - Precondition: `evaluationInterval`, `delayEvaluation` ≥ 0 (interval 0 means 1).
    public init(evaluationInterval: Int = 1, delayEvaluation: Int = 0) {
        self.schedule = EvaluationSchedule(evaluationInterval: evaluationInterval, delayEvaluation: delayEvaluation)
    }

    /// HyperDrive's `evaluation_interval` (≥ 1).
    public var evaluationInterval: Int { schedule.evaluationInterval }
    /// HyperDrive's `delay_evaluation` (≥ 0).
    public var delayEvaluation: Int { schedule.delayEvaluation }

    /// The median of `values` (mean of the two middle ones for an even count); `nil` when empty.
    public static func median(of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The median-stopping decision for `trial` at its current report count; see the type's documentation.
    public func evaluate(trial: Int, in snapshot: MetricHistorySnapshot) -> TerminationDecision {
        let curve = snapshot.requiredCurve(for: trial)
        let n = curve.reportCount
        if let skip = schedule.skipDecision(trial: trial, reportCount: n) { return skip }
        let goal = snapshot.goal
        let means = snapshot.curves(withAtLeast: n).compactMap { $0.mean(ofFirst: n) }
        guard let median = Self.median(of: means) else {
            return .continue(trial, n, "n=\(n): no finite value among the first \(n) reports of any trial (median stopping)")
        }
        let context = "median \(formatMetric(median)) of \(means.count) trials' means over their first \(n) reports (median stopping)"
        guard let own = curve.best(withinFirst: n, goal: goal)?.value else {
            return .stop(trial, n, "n=\(n): no finite value in the first \(n) reports; \(context)")
        }
        if goal.isBetter(median, than: own) {
            return .stop(trial, n, "n=\(n): best-so-far \(formatMetric(own)) \(worseSymbol(goal)) \(context)")
        }
        return .continue(trial, n, "n=\(n): best-so-far \(formatMetric(own)) \(notWorseSymbol(goal)) \(context)")
    }

    /// HyperDrive-style rendering, e.g. `median_stopping(evaluation_interval: 1, delay_evaluation: 5)`.
    public var description: String { "median_stopping(\(schedule.parameterDescription))" }
}
