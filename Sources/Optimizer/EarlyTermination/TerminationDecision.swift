/// What an early-termination policy decided about one trial at one report, and why.
///
/// The reason is required and meant for people: it is shown in progress views, reports and
/// replay output, e.g. `n=6: best-so-far 0.71 < 0.8/(1+0.1) = 0.7273, best of 5 trials with ≥ 6
/// reports (bandit)`.
public struct TerminationDecision: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Keep the trial running or stop it (it then ends as Cancelled and keeps its metrics).
    public enum Action: String, Sendable, Hashable, Codable {
        /// Keep the trial running.
        case `continue`
        /// Stop the trial now.
        case stop
    }

    /// The trial the decision is about.
    public var trial: Int
    /// Keep running or stop.
    public var action: Action
    /// The number of reports the trial had logged when the decision was made (n).
    public var reportCount: Int
    /// Human-readable justification; never empty.
    public var reason: String

    /// - Precondition: `reason` is not empty.
    public init(trial: Int, action: Action, reportCount: Int, reason: String) {
        precondition(!reason.isEmpty, "a TerminationDecision needs a non-empty reason (trial \(trial), n=\(reportCount))")
        self.trial = trial
        self.action = action
        self.reportCount = reportCount
        self.reason = reason
    }

    /// `true` when the policy stops the trial.
    public var shouldStop: Bool { action == .stop }

    /// `trial 3: stop — <reason>`.
    public var description: String { "trial \(trial): \(action.rawValue) — \(reason)" }

    static func `continue`(_ trial: Int, _ reportCount: Int, _ reason: String) -> TerminationDecision {
        TerminationDecision(trial: trial, action: .continue, reportCount: reportCount, reason: reason)
    }

    static func stop(_ trial: Int, _ reportCount: Int, _ reason: String) -> TerminationDecision {
        TerminationDecision(trial: trial, action: .stop, reportCount: reportCount, reason: reason)
    }
}
