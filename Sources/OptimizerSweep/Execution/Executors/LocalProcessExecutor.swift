#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation
import Synchronization

/// Runs each trial as `/bin/sh -c <command>` on this machine, leading its own process group
/// (``TrialProcess``): the first ``TrialExecutor``.
///
/// - Start: `posix_spawn` with clean signal state, stdout/stderr straight into the trial
///   folder's logs. The handle's identifier is the pid (= process group id).
/// - Poll: reaps the group's exited members (`waitpid(-pgid, WNOHANG)`); the leader's status is
///   remembered, and the trial has leftovers while any process of its group is alive.
/// - Terminate / kill: SIGTERM / SIGKILL to the whole group.
/// - Re-attach: never — a process started by a controller that died is not this process's child
///   and cannot be waited for. ``discard(_:folder:)`` kills what is left of its group after
///   checking (in `/proc`) that the group really is the trial's: pids are reused.
/// - ``prepare()`` makes this process a child subreaper (Linux), so processes a trial leaves
///   behind are re-parented here and reaped rather than left as zombies of init.
public final class LocalProcessExecutor: TrialExecutor {
    public let name = "local"
    /// Leader exit statuses already collected, by pid.
    private let exits = Mutex<[pid_t: TrialTermination]>([:])

    public init() {}

    public func prepare() {
        TrialProcess.becomeChildSubreaper()
    }

    public func start(_ launch: TrialLaunch) throws -> TrialHandle {
        let process = try TrialProcess.spawn(command: launch.command, directory: launch.workingDirectory,
                                             environment: launch.environment, stdoutPath: launch.stdoutPath,
                                             stderrPath: launch.stderrPath)
        return TrialHandle(executor: name, identifier: String(process.pid), host: ProcessInfo.processInfo.hostName)
    }

    public func poll(_ handles: [TrialHandle]) -> [TrialHandle: TrialExecutionStatus] {
        var statuses: [TrialHandle: TrialExecutionStatus] = [:]
        for handle in handles {
            guard let process = Self.process(handle) else {
                statuses[handle] = .ended(nil, leftovers: false)
                continue
            }
            let reaped = process.reap()
            let exit = exits.withLock { known -> TrialTermination? in
                if let reaped, known[process.pid] == nil { known[process.pid] = reaped }
                return known[process.pid]
            }
            if let exit {
                statuses[handle] = .ended(exit, leftovers: process.groupExists)
            } else if !process.groupExists {
                // Neither reaped nor alive: someone else collected it.
                statuses[handle] = .ended(nil, leftovers: false)
            } else {
                statuses[handle] = .active
            }
        }
        return statuses
    }

    public func terminate(_ handle: TrialHandle) {
        Self.process(handle)?.signalGroup(SIGTERM)
    }

    public func kill(_ handle: TrialHandle) {
        Self.process(handle)?.signalGroup(SIGKILL)
    }

    public func reattach(_ handle: TrialHandle) -> Bool { false }

    public func discard(_ handle: TrialHandle, folder: URL) {
        guard let pid = pid_t(handle.identifier), pid > 1 else { return }
        Self.killLeftoverGroup(pid: pid, folder: folder.path)
    }

    /// Forgets the remembered exit of a trial that is over (keeps the table small over a long
    /// sweep; a later poll of the handle would report it vanished).
    func forget(_ handle: TrialHandle) {
        guard let pid = pid_t(handle.identifier) else { return }
        _ = exits.withLock { $0.removeValue(forKey: pid) }
    }

    private static func process(_ handle: TrialHandle) -> TrialProcess? {
        guard let pid = pid_t(handle.identifier), pid > 1 else { return nil }
        return TrialProcess(pid: pid)
    }

    /// Kills what remains of a trial's process group from a crashed run, after checking (in
    /// `/proc`) that a process of that group really belongs to the trial: its environment holds
    /// the trial's `HDBENCH_METRICS_FILE`. Pids are reused, so without that check nothing is
    /// signalled.
    static func killLeftoverGroup(pid: Int32, folder: String) {
        #if os(Linux)
        let marker = "HDBENCH_METRICS_FILE=\(folder)/metrics.jsonl"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for entry in entries {
            guard Int32(entry) != nil,
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, Int32(fields[2]) == pid,
                  let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { continue }
            let variables = environment.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if variables.contains(marker) {
                Glibc.kill(-pid, SIGKILL)
                return
            }
        }
        #endif
    }
}
