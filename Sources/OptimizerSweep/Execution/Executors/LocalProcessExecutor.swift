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
/// - A trial's processes are its process group *and* every process whose environment carries
///   the trial's `HDBENCH_METRICS_FILE` (found in `/proc`), so a descendant that called
///   `setsid()` to leave the group is still the trial's. Poll, terminate and kill act on both;
///   a trial has leftovers while any of them is alive.
/// - Poll: reaps the group's exited members (`waitpid(-pgid, WNOHANG)`); with
///   ``adoptsOrphans`` every exited child (`waitpid(-1)`), since as child subreaper this process
///   inherits the trial descendants whose parents exited: none accumulates as a zombie.
/// - Dies with the controller: next to each trial runs a watcher (`sh`, its own process group,
///   no trial environment) that checks twice a second that the controller is alive and, once it
///   is not (`kill -9` included), kills the trial's group and marked processes. It is ended with
///   its trial. So a controller killed outright leaves no trial running for longer than about
///   half a second; `--resume` then reads what the trials wrote meanwhile from their logs.
/// - Re-attach: never — a process started by a controller that died is not this process's child
///   and cannot be waited for. ``discard(_:folder:)`` kills what is left of it.
/// - ``prepare()`` makes this process a child subreaper (Linux) when it ``adoptsOrphans``;
///   ``shutdown()`` ends every process any trial left behind.
public final class LocalProcessExecutor: TrialExecutor {
    public let name = "local"
    /// Whether this process becomes a child subreaper (Linux) in ``prepare()`` and ``poll(_:)``
    /// reaps every exited child (`waitpid(-1)`), not only trial process groups: then every
    /// process a trial leaves behind is re-parented here and reaped, none lingers as a zombie.
    /// Right for a process that runs nothing else (the `hdbench` command line). A program
    /// embedding the sweep keeps the default `false`: a subreaper inherits *every* orphan below
    /// it (daemons its other children start included) and must reap them all, which would take
    /// exit statuses its own child-process code is waiting for. Trial descendants that left
    /// their group are then re-parented to init, which reaps them; they are still found (by
    /// their environment) and ended with their trial.
    public let adoptsOrphans: Bool

    private struct Running {
        var marker: String
        var watcher: pid_t?
        var exit: TrialTermination?
    }

    /// Trials started and not yet forgotten, by leader pid.
    private let trials = Mutex<[pid_t: Running]>([:])
    /// Every marker ever started (for ``shutdown()``).
    private let markers = Mutex<Set<String>>([])
    private let tableCache = Mutex<(time: ContinuousClock.Instant, table: ProcessTable)?>(nil)

    public init(adoptsOrphans: Bool = false) {
        self.adoptsOrphans = adoptsOrphans
    }

    public func prepare() {
        if adoptsOrphans { TrialProcess.becomeChildSubreaper() }
    }

    public func start(_ launch: TrialLaunch) throws -> TrialHandle {
        let process = try TrialProcess.spawn(command: launch.command, directory: launch.workingDirectory,
                                             environment: launch.environment, stdoutPath: launch.stdoutPath,
                                             stderrPath: launch.stderrPath)
        let marker = Self.marker(folder: launch.folder.path)
        let watcher = Self.spawnWatcher(group: process.pid, marker: marker)
        trials.withLock { $0[process.pid] = Running(marker: marker, watcher: watcher) }
        markers.withLock { _ = $0.insert(marker) }
        return TrialHandle(executor: name, identifier: String(process.pid), host: ProcessInfo.processInfo.hostName)
    }

    public func poll(_ handles: [TrialHandle]) -> [TrialHandle: TrialExecutionStatus] {
        if adoptsOrphans { reapAnyChild() }
        // First collect every leader's exit, then look for what is left of the ended trials
        // with one /proc scan for all of them.
        var exits: [TrialHandle: (process: TrialProcess, exit: TrialTermination?, marker: String?)] = [:]
        for handle in handles {
            guard let process = Self.process(handle) else { continue }
            let reaped = process.reap()
            exits[handle] = trials.withLock { known in
                if let reaped, known[process.pid]?.exit == nil { known[process.pid]?.exit = reaped }
                return (process, known[process.pid]?.exit, known[process.pid]?.marker)
            }
        }
        let ended = Set(exits.values.compactMap { $0.exit == nil ? nil : $0.marker })
        let table = ended.isEmpty ? nil : ProcessTable.read(subtreeOnly: adoptsOrphans)
        let marked = table?.live(withMarkers: ended) ?? [:]
        var statuses: [TrialHandle: TrialExecutionStatus] = [:]
        for handle in handles {
            guard let (process, exit, marker) = exits[handle] else {
                statuses[handle] = .ended(nil, leftovers: false)
                continue
            }
            if let exit {
                let leftovers = marker.flatMap { marked[$0] } ?? []
                let groupAlive = process.groupExists && (table?.hasLive(inGroup: process.pid) ?? true)
                statuses[handle] = .ended(exit, leftovers: groupAlive || !leftovers.isEmpty)
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
        signal(handle, SIGTERM)
    }

    public func kill(_ handle: TrialHandle) {
        signal(handle, SIGKILL)
    }

    public func reattach(_ handle: TrialHandle, folder: URL) -> Bool { false }

    public func discard(_ handle: TrialHandle, folder: URL) {
        let marker = Self.marker(folder: folder.path)
        for pid in ProcessTable.read(subtreeOnly: false).live(withMarker: marker) { Glibc.kill(pid, SIGKILL) }
    }

    public func shutdown() {
        let all = markers.withLock { $0 }
        for pids in ProcessTable.read(subtreeOnly: adoptsOrphans).live(withMarkers: all).values {
            for pid in pids { Glibc.kill(pid, SIGKILL) }
        }
        let watchers = trials.withLock { known in known.values.compactMap(\.watcher) }
        for watcher in watchers { Self.endWatcher(watcher) }
        if adoptsOrphans { reapAnyChild() }
    }

    /// Ends the trial's watcher and forgets the trial (its exit status was recorded).
    public func finished(_ handle: TrialHandle) {
        guard let pid = pid_t(handle.identifier) else { return }
        if let watcher = trials.withLock({ $0.removeValue(forKey: pid)?.watcher }) { Self.endWatcher(watcher) }
    }

    // MARK: - Processes

    private func signal(_ handle: TrialHandle, _ signal: Int32) {
        guard let process = Self.process(handle) else { return }
        process.signalGroup(signal)
        if let marker = trials.withLock({ $0[process.pid]?.marker }) {
            for pid in recentTable().live(withMarker: marker) { Glibc.kill(pid, signal) }
        }
    }

    /// A `/proc` snapshot at most 20 ms old: cancelling many trials at once (the sweep's
    /// timeout) scans the process table once, not once per trial. A process started since is
    /// in the trial's group, which is signalled directly.
    private func recentTable() -> ProcessTable {
        let now = ContinuousClock.now
        if let cached = tableCache.withLock({ cache in cache.flatMap { now - $0.time < .milliseconds(20) ? $0.table : nil } }) {
            return cached
        }
        let table = ProcessTable.read(subtreeOnly: adoptsOrphans)
        tableCache.withLock { $0 = (now, table) }
        return table
    }

    /// Collects every exited child; a trial leader's status is kept for its next poll.
    private func reapAnyChild() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid < 0 && errno == EINTR { continue }
            guard pid > 0 else { return }
            let termination = TrialProcess.decode(status)
            trials.withLock { known in
                if known[pid] != nil, known[pid]?.exit == nil { known[pid]?.exit = termination }
            }
        }
    }

    private static func process(_ handle: TrialHandle) -> TrialProcess? {
        guard let pid = pid_t(handle.identifier), pid > 1 else { return nil }
        return TrialProcess(pid: pid)
    }

    /// The environment entry that marks a trial's processes.
    static func marker(folder: String) -> String {
        "HDBENCH_METRICS_FILE=\(folder)/metrics.jsonl"
    }

    /// A `sh` loop in its own process group that kills the trial's processes once this
    /// controller is gone. `nil` if it cannot be started (the trial runs without it).
    private static func spawnWatcher(group: pid_t, marker: String) -> pid_t? {
        #if os(Linux)
        let script = """
            while kill -0 "$HDBENCH_CONTROLLER" 2>/dev/null; do sleep 0.5; done
            kill -KILL -- "-$HDBENCH_GROUP" 2>/dev/null
            for p in /proc/[0-9]*; do
              if tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qxF "$HDBENCH_MARKER"; then kill -KILL "${p#/proc/}" 2>/dev/null; fi
            done
            """
        let environment = ["PATH": "/usr/bin:/bin", "HDBENCH_CONTROLLER": String(getpid()), "HDBENCH_GROUP": String(group),
                           "HDBENCH_MARKER": marker]
        return try? TrialProcess.spawn(command: script, directory: URL(fileURLWithPath: "/"), environment: environment,
                                       stdoutPath: "/dev/null", stderrPath: "/dev/null").pid
        #else
        return nil
        #endif
    }

    private static func endWatcher(_ pid: pid_t) {
        Glibc.kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}

/// A snapshot of this process's descendants in `/proc`: pid, parent, state and, read lazily,
/// environment.
struct ProcessTable: Sendable {
    struct Entry: Sendable {
        var pid: pid_t
        var parent: pid_t
        var group: pid_t
        var state: Character

        var isLive: Bool { state != "Z" && state != "X" }
    }

    var entries: [Entry]

    /// - Parameter subtreeOnly: only this process's descendants (the default); `false` for every
    ///   process (a trial left by a controller that died is no longer below this one).
    static func read(subtreeOnly: Bool = true) -> ProcessTable {
        #if os(Linux)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return ProcessTable(entries: []) }
        var entries: [Entry] = []
        for name in names {
            guard let pid = pid_t(name), pid != getpid(),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let state = fields[0].first, let parent = pid_t(fields[1]), let group = pid_t(fields[2]) else { continue }
            entries.append(Entry(pid: pid, parent: parent, group: group, state: state))
        }
        guard subtreeOnly else { return ProcessTable(entries: entries) }
        // Only this process's descendants can be its trials' processes: as child subreaper it
        // inherits every orphan of theirs. Their environments are the only ones read.
        var children: [pid_t: [pid_t]] = [:]
        for entry in entries { children[entry.parent, default: []].append(entry.pid) }
        var subtree: Set<pid_t> = []
        var queue = children[getpid()] ?? []
        while let pid = queue.popLast() {
            guard subtree.insert(pid).inserted else { continue }
            queue += children[pid] ?? []
        }
        return ProcessTable(entries: entries.filter { subtree.contains($0.pid) })
        #else
        return ProcessTable(entries: [])
        #endif
    }

    /// Whether a live (not zombie) process belongs to process group `group`. Zombies do not
    /// count: one whose parent is init may wait a while to be reaped, and it runs nothing.
    func hasLive(inGroup group: pid_t) -> Bool {
        entries.contains { $0.group == group && $0.isLive }
    }

    /// Live (not zombie) processes whose environment contains `marker`.
    func live(withMarker marker: String) -> [pid_t] {
        live(withMarkers: [marker])[marker] ?? []
    }

    /// For each of `markers`, the live processes whose environment contains it; each process's
    /// environment is read once, whatever the number of markers.
    func live(withMarkers markers: Set<String>) -> [String: [pid_t]] {
        guard !markers.isEmpty else { return [:] }
        var found: [String: [pid_t]] = [:]
        for entry in entries where entry.isLive {
            guard let environment = Self.environment(of: entry.pid) else { continue }
            for variable in environment.split(separator: 0) where variable.first == UInt8(ascii: "H") {
                let text = String(decoding: variable, as: UTF8.self)
                if markers.contains(text) { found[text, default: []].append(entry.pid) }
            }
        }
        return found
    }

    /// `/proc/<pid>/environ`, read with one `read` of up to 256 KiB.
    private static func environment(of pid: pid_t) -> ArraySlice<UInt8>? {
        let descriptor = open("/proc/\(pid)/environ", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 256 << 10)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        return count > 0 ? buffer[0..<count] : nil
    }
}
