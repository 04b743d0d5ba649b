public import Foundation

/// One run of the real `hdbench` binary with its standard output and standard error apart, a
/// wall-clock timeout and an optional address-space limit.
public struct HDBenchRun: Sendable, CustomStringConvertible {
    /// The exit status, or the signal number when `signalled`.
    public var status: Int32
    /// `true` when the process ended by a signal (a crash, or the timeout's SIGKILL).
    public var signalled: Bool
    /// `true` when the timeout killed it.
    public var timedOut: Bool
    public var stdout: String
    public var stderr: String
    public var seconds: Double

    public var description: String {
        "status \(status)\(signalled ? " (signal)" : "")\(timedOut ? " (timed out)" : ""), \(String(format: "%.2f", seconds)) s\n"
            + "stdout: \(stdout)\nstderr: \(stderr)"
    }

    /// The non-empty lines of standard error.
    public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// Runs `hdbench arguments` in `directory`, blocking the calling thread (not for tests that
    /// must leave the cooperative pool free). With `memoryLimitKiB` the binary runs under
    /// `ulimit -v` (through `/bin/sh`), so a run that needs more memory fails instead of
    /// swapping the machine.
    public static func run(_ arguments: [String], in directory: URL, timeout: Double = 60,
                           memoryLimitKiB: Int? = nil) throws -> HDBenchRun {
        guard let executable = HDBenchBinary.executable else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "hdbench binary not found; run `swift build` first"])
        }
        let process = Process()
        if let memoryLimitKiB {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -v \(memoryLimitKiB) && exec \"$0\" \"$@\"", executable.path] + arguments
            // OpenBLAS starts a worker thread at load that maps its buffers; when that mapping
            // fails under the limit the thread spins in blas_memory_alloc and exit() waits for it
            // forever (seen here: OpenBLAS 0.3.21, gdb shows blas_thread_shutdown_ joining it).
            // One BLAS thread starts no worker, so the limit measures hdbench's own memory.
            var environment = ProcessInfo.processInfo.environment
            environment["OPENBLAS_NUM_THREADS"] = "1"
            process.environment = environment
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        let stamp = UUID().uuidString.prefix(8)
        let outURL = directory.appendingPathComponent(".hdbench-out-\(stamp)")
        let errURL = directory.appendingPathComponent(".hdbench-err-\(stamp)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = Date()
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        try? out.close()
        try? err.close()
        let seconds = Date().timeIntervalSince(start)
        return HDBenchRun(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal, timedOut: timedOut,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "", seconds: seconds)
    }
}
