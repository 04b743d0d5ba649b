public import Foundation

/// Starts, watches, stops and re-attaches trials: the seam between a sweep's state machine
/// (``SweepRunner``: what to run, limits, policies, the store) and where trials run.
///
/// ``LocalProcessExecutor`` runs each trial as a process group on this machine. A cluster
/// executor (Slurm, Kubernetes Jobs) implements the same five operations against its scheduler.
/// Metrics never pass through the executor: a trial writes `stdout.log`, `stderr.log`,
/// `metrics.jsonl` and `mlruns/` into its folder, which the runner reads wherever the trial ran
/// (on a cluster, a shared filesystem).
///
/// Contract:
/// - ``start(_:)`` returns once the trial is submitted; the handle it returns is stored with the
///   trial before anything else happens, so a controller that dies right after can find it.
/// - ``poll(_:)`` is called about every poll interval with every live handle, and reports each
///   one's status in one call (a scheduler answers for all jobs with one query). Once a trial's
///   command has ended, every later poll reports the same termination.
/// - ``terminate(_:)`` asks politely (SIGTERM); ``kill(_:)`` ends at once. The runner waits its
///   grace period between them and keeps polling until the trial is ``TrialExecutionStatus/ended(_:leftovers:)``
///   without leftovers.
/// - ``reattach(_:folder:)``: after a crash of the controller, whether a recorded trial is still being
///   run and can be watched again (its results then arrive as if nothing had happened).
///   Otherwise the runner calls ``discard(_:folder:)`` and runs the trial's parameters again.
public protocol TrialExecutor: Sendable {
    /// The name recorded in each ``TrialHandle`` (`local`, `slurm`).
    var name: String { get }

    /// Submits a trial.
    /// - Throws: a readable error when the trial cannot be started; the runner records the
    ///   trial as failed with it.
    func start(_ launch: TrialLaunch) throws -> TrialHandle

    /// The status of each handle.
    func poll(_ handles: [TrialHandle]) -> [TrialHandle: TrialExecutionStatus]

    /// Asks the trial to stop (SIGTERM to all of its processes).
    func terminate(_ handle: TrialHandle)

    /// Ends the trial at once (SIGKILL).
    func kill(_ handle: TrialHandle)

    /// Whether a trial recorded by an earlier controller (its folder `folder`) can be watched
    /// again; if so the executor watches it from now on.
    func reattach(_ handle: TrialHandle, folder: URL) -> Bool

    /// Ends what is left of a trial recorded by an earlier controller that is not re-attached.
    func discard(_ handle: TrialHandle, folder: URL)

    /// Called once before the first trial starts.
    func prepare()

    /// Called once after the last trial ended: anything the executor started is gone after it.
    func shutdown()

    /// Called once a trial is recorded as ended: the executor may forget it.
    func finished(_ handle: TrialHandle)

    /// The handle with what the executor learnt since the start (the node a job ran on).
    func located(_ handle: TrialHandle) -> TrialHandle
}

extension TrialExecutor {
    public func prepare() {}
    public func shutdown() {}
    public func finished(_ handle: TrialHandle) {}
    public func located(_ handle: TrialHandle) -> TrialHandle { handle }
}

/// How an executor finds a trial again: stored with the trial.
public struct TrialHandle: Sendable, Hashable, Codable, CustomStringConvertible {
    /// ``TrialExecutor/name`` of the executor that started it.
    public var executor: String
    /// The executor's own identifier: a process id, a job id.
    public var identifier: String
    /// Where it runs, when the executor knows (a node name).
    public var host: String?

    public init(executor: String, identifier: String, host: String? = nil) {
        self.executor = executor
        self.identifier = identifier
        self.host = host
    }

    public var description: String { "\(executor) \(identifier)" + (host.map { " on \($0)" } ?? "") }
}

/// Everything an executor needs to run one trial.
public struct TrialLaunch: Sendable {
    /// The trial's id in the experiment.
    public var trial: Int
    /// Run as `/bin/sh -c command`.
    public var command: String
    /// The working directory (the trial's code).
    public var workingDirectory: URL
    /// The complete environment.
    public var environment: [String: String]
    /// The trial folder: `stdout.log` and `stderr.log` go here.
    public var folder: URL
    /// The trial's time limit (`trial_timeout`), which a scheduler may want up front.
    public var timeLimit: TimeInterval?

    public init(trial: Int, command: String, workingDirectory: URL, environment: [String: String], folder: URL,
                timeLimit: TimeInterval? = nil) {
        self.trial = trial
        self.command = command
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.folder = folder
        self.timeLimit = timeLimit
    }

    /// `<folder>/stdout.log`.
    public var stdoutPath: String { folder.appendingPathComponent("stdout.log").path }
    /// `<folder>/stderr.log`.
    public var stderrPath: String { folder.appendingPathComponent("stderr.log").path }
}

/// How a trial's command ended.
public enum TrialTermination: Sendable, Hashable, Codable {
    /// Exited with this status.
    case exited(Int32)
    /// Ended by this signal.
    case signaled(Int32)
}

/// What an executor knows about a trial.
public enum TrialExecutionStatus: Sendable, Hashable {
    /// Queued or running.
    case active
    /// The trial's command has ended (`nil`: without a known status, e.g. the process
    /// vanished); `leftovers` while processes it started are still alive.
    case ended(TrialTermination?, leftovers: Bool)
    /// The trial stopped running for a reason outside it — its node failed, it was preempted or
    /// requeued, it was cancelled outside hdbench — and nothing of it is running any more. The
    /// runner records it failed with this reason and runs its parameters again.
    case lost(String)
}
