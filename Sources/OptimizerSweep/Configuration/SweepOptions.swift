public import Foundation
import Optimizer

/// How ``SweepRunner`` runs trials on this machine (what the YAML does not say).
public struct SweepOptions: Sendable {
    /// Overrides the YAML's `max_concurrent_trials` (the CLI's `--max-concurrent`).
    public var maxConcurrentTrials: Int?
    /// How many trials this machine runs at once when neither the YAML nor
    /// ``maxConcurrentTrials`` says: the number of logical cores [decided] — trials are usually
    /// CPU-bound, and more at once only slows each down. An explicit value is honoured as given.
    public var executorCapacity: Int
    /// Seconds between SIGTERM and SIGKILL when a trial is cancelled. Default 5.
    public var gracePeriod: TimeInterval
    /// How often running trials' files and exit status are checked. Default 0.05 s; each check's
    /// metric values are committed together.
    public var pollInterval: TimeInterval
    /// The environment every trial starts from (default: this process's).
    public var baseEnvironment: [String: String]
    /// How each trial's working copy of the code snapshot is made (`--working-copy`). Default
    /// ``WorkingCopyMode/auto``.
    public var workingCopy: WorkingCopyMode

    public init(
        maxConcurrentTrials: Int? = nil,
        executorCapacity: Int = ProcessInfo.processInfo.activeProcessorCount,
        gracePeriod: TimeInterval = 5,
        pollInterval: TimeInterval = 0.05,
        baseEnvironment: [String: String] = ProcessInfo.processInfo.environment,
        workingCopy: WorkingCopyMode = .auto
    ) {
        self.workingCopy = workingCopy
        self.maxConcurrentTrials = maxConcurrentTrials
        self.executorCapacity = max(1, executorCapacity)
        self.gracePeriod = gracePeriod
        self.pollInterval = pollInterval
        self.baseEnvironment = baseEnvironment
    }

    /// Trials run at once: ``maxConcurrentTrials`` if set, else the YAML's
    /// `max_concurrent_trials`, else min(`max_total_trials`, ``executorCapacity``); at least 1.
    public func effectiveConcurrency(for limits: Limits) -> Int {
        if let explicit = maxConcurrentTrials ?? limits.maxConcurrentTrials { return max(1, explicit) }
        return max(1, min(limits.maxTotalTrials, executorCapacity))
    }
}
