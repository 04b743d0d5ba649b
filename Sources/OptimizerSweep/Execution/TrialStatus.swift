import Optimizer

/// Where a trial is in its life. Stored as its raw value.
public enum TrialStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Proposed, not started yet.
    case queued
    /// Its process is running.
    case running
    /// Exited with status 0.
    case completed
    /// Exited non-zero, was killed by a signal it was not sent by hdbench, or could not start.
    case failed
    /// Stopped by hdbench: early-termination policy, `trial_timeout`, or the sweep's `timeout`.
    case cancelled
    /// hdbench itself stopped (interrupt, crash, `kill -9`) while the trial ran; `--resume`
    /// runs its parameters again as a new trial.
    case interrupted

    /// `true` once the trial can change no more.
    public var isFinished: Bool {
        switch self {
        case .queued, .running: return false
        case .completed, .failed, .cancelled, .interrupted: return true
        }
    }
}
