public import Foundation
import Optimizer

/// What happens during a sweep, in order, for progress views and logs.
public enum SweepEvent: Sendable {
    /// The sweep began (or resumed) in `directory`, running up to `concurrency` trials at once.
    case sweepStarted(directory: URL, resumed: Bool, concurrency: Int)
    /// The code snapshot every trial's working copy is made from: taken now, or (`reused`)
    /// the one a resumed sweep started with.
    case codeSnapshot(CodeSnapshotRecord, reused: Bool)
    /// A trial's process started (its record holds the command as run and its folder).
    case trialStarted(TrialRecord)
    /// A metric value was read and stored.
    case metric(MetricRecord)
    /// Something worth the user's attention (unparsable line, non-finite value, …).
    case diagnostic(DiagnosticRecord)
    /// An early-termination decision stopped a trial; it ends with ``trialFinished(_:value:)``.
    case trialStopped(StopDecisionRecord)
    /// A trial ended (any status); `value` is its best primary-metric value, if any.
    case trialFinished(TrialRecord, value: Double?)
}
