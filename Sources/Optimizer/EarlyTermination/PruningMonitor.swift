/// In-process intermediate reporting for Swift callers, in the spirit of Optuna's
/// `trial.report(value, step)` / `trial.should_prune()`: holds the primary-metric curves of a
/// study and asks the policy about each new report.
///
/// Decisions are exactly those a sweep would produce: each report is appended to the trial's
/// curve and the policy evaluates that trial against a snapshot of every trial's curve
/// (running, finished and stopped ones alike).
///
/// ```swift
/// var monitor = PruningMonitor(goal: .maximize, policy: MedianStoppingPolicy(delayEvaluation: 5))
/// for epoch in 1...epochs {
///     let decision = monitor.report(trial: id, value: accuracy(after: epoch))
///     if decision.shouldStop { print(decision.reason); break }
/// }
/// monitor.finish(trial: id)
/// ```
public struct PruningMonitor: Sendable {
    /// The policy consulted on every report.
    public let policy: any EarlyTerminationPolicy
    /// Every trial's curve so far, in the order trials first reported.
    public private(set) var snapshot: MetricHistorySnapshot
    /// The decision that stopped each stopped trial, by trial id.
    public private(set) var stopDecisions: [Int: TerminationDecision] = [:]
    private var curveIndex: [Int: Int] = [:]

    /// An empty monitor for a study with this goal and policy.
    public init(goal: PrimaryMetricGoal, policy: any EarlyTerminationPolicy) {
        self.policy = policy
        self.snapshot = MetricHistorySnapshot(goal: goal)
    }

    /// Records `value` as the trial's next primary-metric report and returns the policy's
    /// decision at the new report count.
    ///
    /// A trial that was already stopped keeps its curve as it was at the stop (curves hold only
    /// reports before a stop decision): the value is not recorded and the original stop decision
    /// is returned again.
    ///
    /// - Precondition: `trial` was not marked finished with ``finish(trial:)``.
    public mutating func report(trial: Int, value: Double) -> TerminationDecision {
        if let stop = stopDecisions[trial] { return stop }
        let index: Int
        if let existing = curveIndex[trial] {
            index = existing
            precondition(snapshot.curves[index].isRunning, "trial \(trial) reported after finish(trial:)")
        } else {
            index = snapshot.curves.count
            curveIndex[trial] = index
            snapshot.curves.append(TrialCurve(trial: trial, values: []))
        }
        snapshot.curves[index].values.append(value)
        let decision = policy.evaluate(trial: trial, in: snapshot)
        if decision.shouldStop {
            stopDecisions[trial] = decision
            snapshot.curves[index].isRunning = false
        }
        return decision
    }

    /// Marks a trial as ended (completed or failed); its curve stays in the snapshot and keeps
    /// counting for other trials' decisions.
    public mutating func finish(trial: Int) {
        if let index = curveIndex[trial] {
            snapshot.curves[index].isRunning = false
        } else {
            curveIndex[trial] = snapshot.curves.count
            snapshot.curves.append(TrialCurve(trial: trial, values: [], isRunning: false))
        }
    }

    /// `true` when the policy has stopped `trial`.
    public func shouldPrune(trial: Int) -> Bool {
        stopDecisions[trial] != nil
    }

    /// The curve of `trial`, or `nil` when it has not reported.
    public func curve(for trial: Int) -> TrialCurve? {
        curveIndex[trial].map { snapshot.curves[$0] }
    }
}
