#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Optimizer

/// An exclusive `flock` on `<experiment>/sweep.lock`, held while a sweep runs so two hdbench
/// processes never run one experiment. The kernel drops it when the process dies, even by
/// `kill -9`, so a crashed sweep never leaves a stale lock.
final class ExperimentLock: Sendable {
    private let descriptor: Int32

    init(directory: URL) throws {
        let path = directory.appendingPathComponent("sweep.lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ExperimentStoreError.busy(directory.path)
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}

extension ExperimentStore {
    /// `true` while an hdbench process runs this experiment (holds its lock). A store whose
    /// status is still `running` but that no process holds was interrupted (`--resume` continues it).
    public func isSweepRunning() -> Bool {
        let descriptor = openForReading(directory.appendingPathComponent("sweep.lock").path)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }
}

private func openForReading(_ path: String) -> Int32 {
    open(path, O_RDONLY | O_CLOEXEC)
}
