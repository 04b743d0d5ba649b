#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation
import Synchronization

/// Runs each trial as a Slurm batch job (`sbatch`): the second ``TrialExecutor``.
///
/// - Submission: `sbatch --parsable` with the trial's environment as sbatch's own (Slurm's
///   default `--export=ALL` hands it to the job), `--output`/`--error` onto the trial folder's
///   logs (append mode), `--chdir` the trial's working directory, `--time` = `trial_timeout` +
///   grace + 1 minute when there is one, `--nodes`, `--gres=gpu:N` and every `--NAME=VALUE` of
///   ``Configuration/options``. The trial folder must be on a filesystem the compute nodes share
///   with the controller: metrics are read from it.
/// - The batch script (`<folder>/hdbench-job.sh`) runs the command in its own process group,
///   forwards SIGTERM to it, and writes the command's exit status to `<folder>/exit-status`
///   (atomically) before it ends: no accounting database is needed to know how a trial ended.
/// - Status: one `squeue` call per poll for every job (`-t all` keeps finished jobs for
///   `MinJobAge`), plus the exit-status files. Reported ``TrialExecutionStatus/lost(_:)`` —
///   the runner then runs the parameters again as a new trial, keeping what the first attempt
///   logged — are: a job that ends without writing its status (cancelled while pending, its node
///   lost, out of memory), a job ended by a signal hdbench did not send (preemption, time
///   limit, someone's `scancel`), and a job Slurm requeued (seen running, then pending again;
///   or restarted: its script then only marks the folder `requeued` and exits).
/// - Terminate: `scancel` (SIGTERM to every process of the job; Slurm's `KillWait` later
///   SIGKILL). Kill: `scancel --signal=KILL --full`.
/// - Re-attach: a job recorded by a controller that died is watched again if Slurm still lists
///   it or it wrote its exit status; otherwise it is cancelled (``discard(_:folder:)``) and
///   its parameters run again.
public final class SlurmExecutor: TrialExecutor {
    /// How jobs are submitted.
    public struct Configuration: Sendable {
        /// Extra `sbatch` options, each passed as `--NAME=VALUE` (`partition=gpu`, `account=abc`).
        public var options: [(name: String, value: String)]
        /// `--nodes` per trial (Azure's `resources.instance_count`), when more than one.
        public var nodes: Int?
        /// `--gres=gpu:N` per trial.
        public var gpusPerTrial: Int?
        /// Seconds between SIGTERM and SIGKILL the sweep allows (added to `--time`).
        public var gracePeriod: TimeInterval

        public init(options: [(name: String, value: String)] = [], nodes: Int? = nil, gpusPerTrial: Int? = nil,
                    gracePeriod: TimeInterval = 5) {
            self.options = options
            self.nodes = nodes
            self.gpusPerTrial = gpusPerTrial
            self.gracePeriod = gracePeriod
        }
    }

    /// Why Slurm cannot be used.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    public let name = "slurm"
    public let configuration: Configuration

    private struct Job {
        var folder: URL
        var node: String?
        var seenRunning = false
        /// hdbench asked Slurm to end it (a signal then is ours, not a preemption).
        var cancelledByUs = false
    }

    private let jobs = Mutex<[String: Job]>([:])

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Checks that the Slurm client runs and the controller answers (`sinfo` lists the
    /// partitions), before any trial is counted.
    /// - Throws: ``Unavailable`` naming the command and its error output.
    public func checkAvailable() throws {
        let result = try Self.run(["sinfo", "-h", "-o", "%P"], environment: ProcessInfo.processInfo.environment)
        if result.status != 0 {
            let detail = result.errors.split(separator: "\n").last.map(String.init) ?? "no output"
            throw Unavailable(description: "sinfo failed (exit \(result.status)): \(detail.trimmingCharacters(in: .whitespaces))")
        }
    }

    public func start(_ launch: TrialLaunch) throws -> TrialHandle {
        let script = launch.folder.appendingPathComponent("hdbench-job.sh")
        try? FileManager.default.removeItem(at: launch.folder.appendingPathComponent("exit-status"))
        try Self.batchScript(command: launch.command, folder: launch.folder).write(to: script, atomically: true, encoding: .utf8)
        var arguments = ["sbatch", "--parsable", "--job-name=hdbench-\(launch.trial)",
                         "--output=\(launch.stdoutPath)", "--error=\(launch.stderrPath)", "--open-mode=append",
                         "--chdir=\(launch.workingDirectory.path)"]
        if let limit = launch.timeLimit {
            let minutes = Int(((limit + configuration.gracePeriod) / 60).rounded(.up)) + 1
            arguments.append("--time=\(minutes)")
        }
        if let nodes = configuration.nodes, nodes > 1 { arguments.append("--nodes=\(nodes)") }
        if let gpus = configuration.gpusPerTrial, gpus > 0 { arguments.append("--gres=gpu:\(gpus)") }
        for option in configuration.options { arguments.append("--\(option.name)=\(option.value)") }
        arguments.append(script.path)
        var environment = launch.environment
        for (key, value) in ProcessInfo.processInfo.environment where key.hasPrefix("SLURM_") && environment[key] == nil {
            environment[key] = value
        }
        let result = try Self.run(arguments, environment: environment)
        let id = result.output.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard result.status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw Unavailable(description: "sbatch rejected the trial (exit \(result.status)): \(result.errors.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        jobs.withLock { $0[id] = Job(folder: launch.folder) }
        return TrialHandle(executor: name, identifier: id)
    }

    public func poll(_ handles: [TrialHandle]) -> [TrialHandle: TrialExecutionStatus] {
        guard !handles.isEmpty else { return [:] }
        let states = queueStates(handles.map(\.identifier))
        var statuses: [TrialHandle: TrialExecutionStatus] = [:]
        for handle in handles {
            let known = jobs.withLock { $0[handle.identifier] }
            let state = states[handle.identifier]
            if let state {
                jobs.withLock { job in
                    if state.state == "RUNNING" || state.state == "COMPLETING" { job[handle.identifier]?.seenRunning = true }
                    if !state.node.isEmpty && state.node != "(null)" { job[handle.identifier]?.node = state.node }
                }
            }
            if let folder = known?.folder, Self.wasRequeued(folder) {
                _ = try? Self.run(["scancel", "--full", handle.identifier], environment: ProcessInfo.processInfo.environment)
                statuses[handle] = .lost("Slurm requeued job \(handle.identifier) (preemption, node failure or scontrol requeue)")
                continue
            }
            let exit = known.flatMap { Self.exitStatus(in: $0.folder) }
            if case .signaled(let signal)? = exit, known?.cancelledByUs == false {
                statuses[handle] = .lost("job \(handle.identifier) was ended by signal \(signal) that hdbench did not send (preemption, requeue, time limit or scancel)")
                continue
            }
            switch (exit, state?.state) {
            case (let exit?, let s):
                statuses[handle] = .ended(exit, leftovers: s == "RUNNING" || s == "COMPLETING")
            case (nil, "PENDING"?) where known?.seenRunning == true, (nil, "REQUEUED"?), (nil, "REQUEUE_HOLD"?), (nil, "REQUEUE_FED"?):
                _ = try? Self.run(["scancel", "--full", handle.identifier], environment: ProcessInfo.processInfo.environment)
                statuses[handle] = .lost("Slurm put job \(handle.identifier) back in the queue (requeued or preempted)")
            case (nil, "PENDING"?), (nil, "RUNNING"?), (nil, "CONFIGURING"?), (nil, "COMPLETING"?), (nil, "SUSPENDED"?),
                 (nil, "RESIZING"?), (nil, "SIGNALING"?), (nil, "STAGE_OUT"?):
                statuses[handle] = .active
            case (nil, let s?):
                let reason = states[handle.identifier]?.reason ?? ""
                statuses[handle] = .lost("Slurm job \(handle.identifier) ended \(s)\(reason.isEmpty || reason == "None" ? "" : " (\(reason))") without the trial's exit status")
            case (nil, nil):
                statuses[handle] = .lost("Slurm no longer lists job \(handle.identifier) and the trial wrote no exit status")
            }
        }
        return statuses
    }

    public func terminate(_ handle: TrialHandle) {
        jobs.withLock { $0[handle.identifier]?.cancelledByUs = true }
        _ = try? Self.run(["scancel", handle.identifier], environment: ProcessInfo.processInfo.environment)
    }

    public func kill(_ handle: TrialHandle) {
        jobs.withLock { $0[handle.identifier]?.cancelledByUs = true }
        _ = try? Self.run(["scancel", "--signal=KILL", "--full", handle.identifier], environment: ProcessInfo.processInfo.environment)
    }

    /// Re-attaches to a job recorded by an earlier controller: `true` (and the job is watched
    /// again) when Slurm still lists it or its exit status is in `folder`.
    public func reattach(_ handle: TrialHandle, folder: URL) -> Bool {
        guard handle.executor == name else { return false }
        let listed = queueStates([handle.identifier])[handle.identifier] != nil
        guard listed || Self.exitStatus(in: folder) != nil else { return false }
        jobs.withLock { $0[handle.identifier] = Job(folder: folder, seenRunning: true) }
        return true
    }

    public func discard(_ handle: TrialHandle, folder: URL) {
        guard handle.executor == name else { return }
        kill(handle)
    }

    /// The handle with the node the job ran on: as its script recorded it (`slurm-node`), else
    /// as `squeue` last showed it.
    public func located(_ handle: TrialHandle) -> TrialHandle {
        var located = handle
        let job = jobs.withLock { $0[handle.identifier] }
        let recorded = job.flatMap { try? String(contentsOf: $0.folder.appendingPathComponent("slurm-node"), encoding: .utf8) }?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if let node = recorded, !node.isEmpty {
            located.host = node
        } else if let node = job?.node, !node.isEmpty {
            located.host = node
        }
        return located
    }

    /// Forgets a job whose trial was recorded.
    public func finished(_ handle: TrialHandle) {
        _ = jobs.withLock { $0.removeValue(forKey: handle.identifier) }
    }

    // MARK: - Slurm commands

    struct QueueState {
        var state: String
        var reason: String
        var node: String
    }

    /// One `squeue` for all `ids` (finished jobs included while Slurm keeps them).
    private func queueStates(_ ids: [String]) -> [String: QueueState] {
        guard let result = try? Self.run(["squeue", "-h", "-t", "all", "-o", "%i|%T|%r|%N", "-j", ids.joined(separator: ",")],
                                         environment: ProcessInfo.processInfo.environment) else { return [:] }
        var states: [String: QueueState] = [:]
        for line in result.output.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { continue }
            states[fields[0]] = QueueState(state: fields[1], reason: fields[2], node: fields[3])
        }
        return states
    }

    /// The batch script: the command in its own session and process group (`setsid`; a batch
    /// script has no terminal, so `set -m` cannot make one), SIGTERM forwarded to that group,
    /// its exit status written next to the logs. After a SIGTERM the script waits until the
    /// whole group has ended, not only the command's shell: a trial's handler that is still
    /// cleaning up (a shell runs its trap only once its foreground child returns) would
    /// otherwise be killed by Slurm as soon as the batch script exits. Slurm's `KillWait` and
    /// the controller's grace period bound that wait.
    /// (Slurm runs a copy of the script from its spool folder, so the trial folder is written in.)
    static func batchScript(command: String, folder: URL) -> String {
        """
        #!/bin/sh
        # Written by hdbench: runs one trial and records how it ended in its folder's exit-status.
        folder=\(shellQuoted(folder.path))
        if [ "${SLURM_RESTART_COUNT:-0}" -gt 0 ]; then
          # Requeued by Slurm: hdbench runs the parameters again as a new trial instead.
          touch "$folder/requeued"
          exit 0
        fi
        echo "${SLURMD_NODENAME:-}" > "$folder/slurm-node"
        terminating=
        if command -v setsid >/dev/null 2>&1; then
          setsid /bin/sh -c \(shellQuoted(command)) &
        else
          /bin/sh -c \(shellQuoted(command)) &
        fi
        child=$!
        trap 'terminating=1; kill -TERM -"$child" 2>/dev/null || kill -TERM "$child" 2>/dev/null' TERM INT
        while :; do
          wait "$child"
          status=$?
          kill -0 "$child" 2>/dev/null || break
        done
        if [ -n "$terminating" ]; then
          while kill -0 -"$child" 2>/dev/null; do sleep 0.1; done
        fi
        echo "$status" > "$folder/exit-status.tmp" && mv "$folder/exit-status.tmp" "$folder/exit-status"
        exit "$status"

        """
    }

    /// Whether the job's script found itself restarted by Slurm.
    static func wasRequeued(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("requeued").path)
    }

    /// `<folder>/exit-status` as a termination (shell convention: 128 + n is signal n).
    static func exitStatus(in folder: URL) -> TrialTermination? {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("exit-status"), encoding: .utf8),
              let code = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return code > 128 && code < 128 + 65 ? .signaled(code - 128) : .exited(code)
    }

    struct CommandResult {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs a Slurm client command to completion (they answer in milliseconds).
    static func run(_ arguments: [String], environment: [String: String]) throws -> CommandResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hdbench-slurm-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let token = UUID().uuidString.prefix(8)
        let out = scratch.appendingPathComponent("\(token).out"), err = scratch.appendingPathComponent("\(token).err")
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let command = arguments.map(shellQuoted).joined(separator: " ")
        let process: TrialProcess
        do {
            process = try TrialProcess.spawn(command: "exec " + command, directory: scratch, environment: environment,
                                             stdoutPath: out.path, stderrPath: err.path)
        } catch {
            throw Unavailable(description: "cannot run \(arguments[0]): \(error)")
        }
        var status: Int32 = 0
        while waitpid(process.pid, &status, 0) < 0 && errno == EINTR {}
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        if code == 127 { throw Unavailable(description: "\(arguments[0]) not found on PATH (is the Slurm client installed?)") }
        return CommandResult(status: code, output: output, errors: errors)
    }
}
