import Dispatch

/// Runs blocking work (a CPU-bound simulation) on a Dispatch thread, so it does not hold one of
/// Swift Concurrency's few cooperative threads (two on a two-core machine) that other suites'
/// async tests need to wake up on time.
public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
