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
    /// Re-runs of a trial that failed (non-zero exit, signal, lost), each a new trial with the
    /// same parameters (`rerun_of` the failed one). Cancellations (a policy, a timeout, the
    /// user) are never retried. Default 0. A trial lost by its executor (preempted, node
    /// failure, requeued) is run again even without retries, up to ``lostTrialAttempts`` times.
    public var maxRetries: Int = 0
    /// Attempts of one configuration whose trials were lost by the executor, at most.
    public var lostTrialAttempts: Int = 3
    /// Accelerator slots: each running trial takes one and gets its value in
    /// `CUDA_VISIBLE_DEVICES` (and `HIP_VISIBLE_DEVICES`, `ROCR_VISIBLE_DEVICES`). A device listed
    /// K times is shared by K trials. Empty: no slots, no limit. Concurrency is capped at the
    /// number of slots.
    public var deviceSlots: [String] = []
    /// Where trial folders go (`<trialRoot>/<id>`); `nil` for `<experiment>/trials`. On a
    /// cluster this must be a filesystem the compute nodes share with the controller.
    public var trialRoot: URL?
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
        let slots = deviceSlots.isEmpty ? Int.max : deviceSlots.count
        if let explicit = maxConcurrentTrials ?? limits.maxConcurrentTrials { return max(1, min(explicit, slots)) }
        return max(1, min(limits.maxTotalTrials, executorCapacity, slots))
    }
}
