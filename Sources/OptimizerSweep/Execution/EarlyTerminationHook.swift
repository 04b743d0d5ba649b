public import Optimizer

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
    /// The snapshot holds every started trial's primary-metric values logged before any stop
    /// decision, in order, cross-channel duplicates removed, non-finite values included (they
    /// count as reports).
    public var decide: @Sendable (_ snapshot: MetricHistorySnapshot, _ trial: Int) -> TrialStopDecision?

    public init(decide: @escaping @Sendable (_ snapshot: MetricHistorySnapshot, _ trial: Int) -> TrialStopDecision?) {
        self.decide = decide
    }

    /// The hook that consults `policy` (Bandit, Median stopping, Truncation selection).
    public static func policy(_ policy: any EarlyTerminationPolicy) -> EarlyTerminationHook {
        EarlyTerminationHook { snapshot, trial in
            let decision = policy.evaluate(trial: trial, in: snapshot)
            return decision.shouldStop ? TrialStopDecision(reason: decision.reason) : nil
        }
    }

    /// The hook for a sweep's `early_termination` section; `nil` when there is none.
    public static func forSpec(_ spec: EarlyTerminationSpec?) -> EarlyTerminationHook? {
        guard let spec else { return nil }
        return .policy(makePolicy(spec))
    }
}
