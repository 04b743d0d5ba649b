/// No `early_termination`: every trial runs to completion.
public struct NoTerminationPolicy: EarlyTerminationPolicy, Hashable, Codable {
    /// The policy that never stops a trial.
    public init() {}

    /// Always `.continue`.
    public func evaluate(trial: Int, in snapshot: MetricHistorySnapshot) -> TerminationDecision {
        let n = snapshot.requiredCurve(for: trial).reportCount
        return .continue(trial, n, "no early-termination policy: every trial runs to completion")
    }

    /// `none`.
    public var description: String { "none" }
}
