/// One trial's primary-metric reports as an early-termination decision sees them: values
/// logged before any stop decision, in order, cross-channel duplicates removed; non-finite
/// values included (they count as reports).
///
/// Mirrors the policies' `TrialCurve` field for field, so an adapter is a one-liner.
public struct PrimaryMetricCurve: Sendable, Hashable {
    /// The trial's id.
    public var trial: Int
    /// Primary-metric values in report order (n = count).
    public var values: [Double]
    /// `true` while the trial's process runs.
    public var isRunning: Bool

    public init(trial: Int, values: [Double], isRunning: Bool) {
        self.trial = trial
        self.values = values
        self.isRunning = isRunning
    }
}

/// Every started trial's primary-metric curve at one moment (running and ended trials).
public struct PrimaryMetricSnapshot: Sendable, Hashable {
    /// The direction in which the primary metric improves.
    public var goal: PrimaryMetricGoal
    /// One curve per started trial, by trial id.
    public var curves: [PrimaryMetricCurve]

    public init(goal: PrimaryMetricGoal, curves: [PrimaryMetricCurve]) {
        self.goal = goal
        self.curves = curves
    }
}

/// A decision to stop a running trial, with the reason shown to the user and stored.
public struct TrialStopDecision: Sendable, Hashable {
    /// Human-readable justification; never empty.
    public var reason: String

    public init(reason: String) {
        precondition(!reason.isEmpty, "a TrialStopDecision needs a reason")
        self.reason = reason
    }
}

/// Where an early-termination policy plugs into the sweep.
///
/// The runner calls ``decide`` each time a running trial logs one more primary-metric value,
/// with the snapshot as of that report and the trial's id. A returned decision cancels the
/// trial (SIGTERM, grace period, SIGKILL); the decision is stored with its reason and report
/// count, the trial ends as ``TrialStatus/cancelled`` and can still be best, and reports that
/// arrive afterwards are stored flagged `after_stop`. Policies do their own
/// `evaluation_interval` / `delay_evaluation` checks.
public struct EarlyTerminationHook: Sendable {
    /// The decision for the trial with the given id; `nil` to let it run.
    public var decide: @Sendable (_ snapshot: PrimaryMetricSnapshot, _ trial: Int) -> TrialStopDecision?

    public init(decide: @escaping @Sendable (_ snapshot: PrimaryMetricSnapshot, _ trial: Int) -> TrialStopDecision?) {
        self.decide = decide
    }
}
