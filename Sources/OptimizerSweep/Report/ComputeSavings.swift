import Foundation
import Optimizer

/// An estimate of the compute an early-termination policy saved.
///
/// A stopped trial would, had it run on, most likely have logged as many reports as a trial
/// that ran to completion. So:
///
/// ```
/// full          = the most reports any completed trial logged (the sweep's run length)
/// reports saved = Σ over stopped trials of max(0, full − reports it logged)
/// seconds saved = Σ over stopped trials of (reports saved by it) × (its seconds per report)
/// ```
///
/// With no completed trial the run length is unknown and only the number of stopped trials is
/// given. The estimate ignores start-up cost and assumes a constant time per report.
public struct ComputeSavings: Sendable, Hashable {
    /// What one trial used.
    public struct TrialUsage: Sendable, Hashable {
        /// How the trial ended.
        public var status: TrialStatus
        /// Primary-metric reports logged before any stop.
        public var reportCount: Int
        /// Wall seconds it ran, if known.
        public var seconds: Double?
        /// True when an early-termination policy stopped it.
        public var stoppedByPolicy: Bool

        /// The usage of one trial.
        public init(status: TrialStatus, reportCount: Int, seconds: Double?, stoppedByPolicy: Bool) {
            self.status = status
            self.reportCount = reportCount
            self.seconds = seconds
            self.stoppedByPolicy = stoppedByPolicy
        }

        /// The usage of a stored trial.
        public init(result: TrialResult) {
            var seconds: Double?
            if let started = result.trial.started, let ended = result.trial.ended { seconds = ended.timeIntervalSince(started) }
            self.init(status: result.trial.status, reportCount: result.reportCount, seconds: seconds,
                      stoppedByPolicy: result.stopDecision != nil)
        }
    }

    /// Trials stopped by the policy.

    public var stoppedTrials: Int
    /// Reports a completed trial logs (the maximum over completed trials); `nil` if none completed.
    public var fullRunReports: Int?
    /// Estimated reports not run; `nil` when ``fullRunReports`` is unknown.
    public var reportsSaved: Int?
    /// Estimated seconds not run; `nil` when unknown.
    public var secondsSaved: Double?
    /// Reports actually run by all trials (for a percentage).
    public var reportsRun: Int

    /// The estimate for `trials`.
    public init(trials: [TrialUsage]) {
        stoppedTrials = trials.filter(\.stoppedByPolicy).count
        reportsRun = trials.reduce(0) { $0 + $1.reportCount }
        let full = trials.filter { $0.status == .completed }.map(\.reportCount).max()
        fullRunReports = full
        guard let full, full > 0 else { reportsSaved = nil; secondsSaved = nil; return }
        var reports = 0
        var seconds = 0.0
        var secondsKnown = false
        for trial in trials where trial.stoppedByPolicy {
            let missing = max(0, full - trial.reportCount)
            reports += missing
            if let s = trial.seconds, trial.reportCount > 0 {
                seconds += Double(missing) * s / Double(trial.reportCount)
                secondsKnown = true
            }
        }
        reportsSaved = reports
        secondsSaved = secondsKnown ? seconds : nil
    }

    /// Share of the estimated total reports that were saved, in 0…1; `nil` when unknown.
    public var fractionSaved: Double? {
        guard let reportsSaved, reportsSaved + reportsRun > 0 else { return nil }
        return Double(reportsSaved) / Double(reportsSaved + reportsRun)
    }

    /// One line: `3 trials stopped early, ~45 reports (~38 s, 21%) not run`.
    public var summary: String {
        if stoppedTrials == 0 { return "no trial stopped early" }
        var text = "\(stoppedTrials) trial\(stoppedTrials == 1 ? "" : "s") stopped early"
        guard let reportsSaved else { return text + " (no completed trial yet to estimate the reports saved)" }
        var details: [String] = []
        if let secondsSaved { details.append("~" + Self.duration(secondsSaved)) }
        if let fractionSaved { details.append(String(format: "%.0f%%", fractionSaved * 100)) }
        text += ", ~\(reportsSaved) reports"
        if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
        return text + " not run"
    }

    /// `42 s`, `3m 05s`, `2h 04m`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 60 { return seconds < 10 ? String(format: "%.1f s", seconds) : String(format: "%.0f s", seconds) }
        let total = Int(seconds.rounded())
        if total < 3600 { return String(format: "%dm %02ds", total / 60, total % 60) }
        return String(format: "%dh %02dm", total / 3600, (total % 3600) / 60)
    }
}
