#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Optimizer

/// A trial's shell command running as the leader of its own process group.
///
/// Spawned with `posix_spawn`, never Foundation `Process` (which on Linux hands the spawning
/// thread's signal mask to the child, so SIGTERM would never arrive):
/// - `POSIX_SPAWN_SETSIGMASK` with an empty mask and `POSIX_SPAWN_SETSIGDEF` for SIGTERM, SIGINT,
///   SIGHUP, SIGQUIT and SIGPIPE, so the trial starts with default signal handling whatever the
///   spawning thread had blocked or ignored;
/// - `POSIX_SPAWN_SETPGROUP` with group 0: the child leads a new process group whose id is its
///   pid, so one `kill(-pgid, …)` reaches every process the trial starts;
/// - stdin from `/dev/null`; stdout and stderr opened by the child straight onto the trial
///   folder's `stdout.log` / `stderr.log` (the logs survive a crash of hdbench);
/// - every other descriptor closed in the child; working directory set by
///   `posix_spawn_file_actions_addchdir_np`.
///
/// Reaping uses `waitpid(-pgid, WNOHANG)`, which collects the leader and, when this process is
/// a child subreaper (see ``TrialProcess/becomeChildSubreaper()``), the trial's orphaned
/// grandchildren too, so none lingers as a zombie.
struct TrialProcess: Sendable {
    /// The leader's pid, equal to the process group id.
    let pid: pid_t

    enum SpawnError: Error, CustomStringConvertible {
        case missingDirectory(String)
        case spawnFailed(errno: Int32, detail: String)

        var description: String {
            switch self {
            case .missingDirectory(let path):
                return "code folder \(path) does not exist"
            case .spawnFailed(let code, let detail):
                return "cannot start /bin/sh (\(detail)): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Starts `/bin/sh -c command` in `directory` with exactly `environment`.
    static func spawn(
        command: String,
        directory: URL,
        environment: [String: String],
        stdoutPath: String,
        stderrPath: String
    ) throws -> TrialProcess {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SpawnError.missingDirectory(directory.path)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        try check(posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0), "stdin")
        try check(posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_APPEND, 0o644), "stdout.log")
        try check(posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_APPEND, 0o644), "stderr.log")
        try check(SpawnExtensions.addCloseFrom(&actions, 3), "closefrom")
        try check(SpawnExtensions.addChdir(&actions, directory.path), "chdir")

        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE] { sigaddset(&defaults, signal) }
        try check(posix_spawnattr_setsigmask(&attributes, &emptyMask), "sigmask")
        try check(posix_spawnattr_setsigdefault(&attributes, &defaults), "sigdefault")
        try check(posix_spawnattr_setpgroup(&attributes, 0), "pgroup")
        let flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)), "flags")

        let arguments = ["/bin/sh", "-c", command]
        let environmentLines = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let result = withCStrings(arguments) { argv in
            withCStrings(environmentLines) { envp in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
            }
        }
        if result != 0 {
            throw SpawnError.spawnFailed(errno: result, detail: "posix_spawn in \(directory.path)")
        }
        return TrialProcess(pid: pid)
    }

    /// Sends `signal` to every process of the trial's group. Returns `false` when the group is gone.
    @discardableResult
    func signalGroup(_ signal: Int32) -> Bool {
        kill(-pid, signal) == 0
    }

    /// `true` while any process of the trial's group exists (zombies not yet reaped included).
    var groupExists: Bool {
        if kill(-pid, 0) == 0 { return true }
        return errno == EPERM
    }

    /// Reaps every finished child in the trial's process group without blocking; returns the
    /// leader's termination when it is among them.
    func reap() -> TrialTermination? {
        var leader: TrialTermination?
        while true {
            var status: Int32 = 0
            let reaped = waitpid(-pid, &status, WNOHANG)
            if reaped <= 0 {
                if reaped < 0 && errno == EINTR { continue }
                break
            }
            if reaped == pid { leader = Self.decode(status) }
        }
        return leader
    }

    static func decode(_ status: Int32) -> TrialTermination {
        // WIFEXITED / WEXITSTATUS / WTERMSIG are C macros Swift does not import.
        let low = status & 0x7f
        if low == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(low)
    }

    /// Makes this process the reaper of orphaned descendants (Linux `PR_SET_CHILD_SUBREAPER`):
    /// a trial's background grandchildren are re-parented here instead of to PID 1, which in
    /// containers often never reaps them. Idempotent; a no-op elsewhere.
    static func becomeChildSubreaper() {
        SpawnExtensions.setChildSubreaper()
    }

    private static func check(_ code: Int32, _ what: String) throws {
        if code != 0 { throw SpawnError.spawnFailed(errno: code, detail: what) }
    }
}

/// Runs `body` with a NULL-terminated `char *[]` built from `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}

/// glibc functions that Swift's Glibc module does not import (they are behind `_GNU_SOURCE`,
/// or variadic), looked up once with `dlsym` and called through their exact C types.
private enum SpawnExtensions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    /// `prctl` is variadic in C; every argument we pass is an integer, which the Linux x86-64
    /// and AArch64 ABIs pass identically to a non-variadic call.
    typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32

    static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }

    static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let function = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self) else { return ENOSYS }
        return function(actions, path)
    }

    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32 {
        // Missing before glibc 2.34: descriptors then leak into trials, which is harmless
        // (GRDB/SQLite and our tails open theirs close-on-exec).
        guard let function = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self) else { return 0 }
        return function(actions, lowest)
    }

    static func setChildSubreaper() {
        #if os(Linux)
        let prSetChildSubreaper: Int32 = 36  // <linux/prctl.h>
        guard let prctl = symbol("prctl", as: Prctl.self) else { return }
        _ = prctl(prSetChildSubreaper, 1, 0, 0, 0)
        #endif
    }
}
