import Foundation
import Optimizer

/// The plain, greppable line printed for each sweep event when standard output is not a
/// terminal (CI logs, pipes, files). The format is stable; scripts may parse it:
///
/// ```
/// sweep started: up to 4 trials at once
/// sweep resumed: up to 4 trials at once
/// code snapshot: 12 files, 0.1 MB from /work/src in 0.01 s (.amlignore: 3 excluded)
/// code snapshot (reused): 12 files, 0.1 MB from /work/src in 0.01 s
/// trial 3 started: lr=0.01 layers=2
/// trial 7 started (re-run of trial 3): lr=0.01 layers=2
/// trial 3 accuracy=0.91 report 4
/// trial 3 accuracy=0.91 report 4 step=40
/// trial 3 accuracy=0.95 report 7 (after stop)
/// trial 3 stopped by policy at report 6: <policy's reason>
/// trial 3 completed accuracy=0.93 (12.4 s) (best so far)
/// trial 3 cancelled accuracy=0.71 (3.1 s): <reason>
/// trial 3 failed (no accuracy) (0.2 s): exit code 1; stderr: <last line>
/// warning: trial 3 [stdout]: <diagnostic>
/// ```
///
/// - Only the primary metric is printed, one line per report (cross-channel duplicates are
///   not repeated).
/// - The word after `trial ID` is `started`, the metric name, `stopped`, or the final status
///   (`completed`, `failed`, `cancelled`, `interrupted`).
/// - Final lines give the trial's value (its best report) or `(no METRIC)`, the duration,
///   `(best so far)` when the trial is the best at that moment, and `: reason` when there is one.
/// - User text (values, reasons) never breaks a line: control characters become spaces.
package enum SweepEventLine {
    /// The line for `event`, or `nil` when the event prints nothing (other metrics,
    /// duplicates). `isBest` marks a finished trial that is the best so far.
    package static func line(for event: SweepEvent, objective: Objective, isBest: Bool = false) -> String? {
        switch event {
        case .sweepStarted(_, let resumed, let concurrency):
            return "sweep \(resumed ? "resumed" : "started"): up to \(concurrency) trial\(concurrency == 1 ? "" : "s") at once"
        case .codeSnapshot(let record, let reused):
            return oneLine("code snapshot\(reused ? " (reused)" : ""): \(record.summary)")
        case .trialStarted(let trial):
            let rerun = trial.rerunOf.map { " (re-run of trial \($0))" } ?? ""
            return oneLine("trial \(trial.id) started\(rerun): \(SweepProgress.parameters(trial.configuration))")
        case .metric(let metric):
            guard metric.name == objective.primaryMetric, !metric.duplicate else { return nil }
            let step = metric.step.map { " step=\($0)" } ?? ""
            let late = metric.afterStop ? " (after stop)" : ""
            return oneLine("trial \(metric.trial) \(metric.name)=\(metric.value) report \(metric.reportIndex ?? 0)\(step)\(late)")
        case .diagnostic(let diagnostic):
            return oneLine("warning: \(diagnostic)")
        case .trialStopped(let decision):
            return oneLine("trial \(decision.trial) stopped by policy at report \(decision.reportCount): \(decision.reason)")
        case .trialFinished(let trial, let value):
            let metric = value.map { " \(objective.primaryMetric)=\($0)" } ?? " (no \(objective.primaryMetric))"
            let duration = trial.started.flatMap { s in trial.ended.map { " (\(String(format: "%.1f s", $0.timeIntervalSince(s))))" } } ?? ""
            let best = isBest && value != nil ? " (best so far)" : ""
            let reason = trial.reason.map { ": \($0)" } ?? ""
            return oneLine("trial \(trial.id) \(trial.status.rawValue)\(metric)\(duration)\(best)\(reason)")
        }
    }

    /// `text` with control characters (newlines, escapes) replaced by spaces.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : $0 }))
    }
}
