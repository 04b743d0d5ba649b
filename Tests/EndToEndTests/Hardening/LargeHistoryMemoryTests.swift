import Foundation
import Testing
import TestSupport

/// Memory above the large-history threshold, measured on the real binary (its own process, so
/// no other test's allocations count): `hdbench bench speed` with the threshold and the subset
/// lowered to 200 rows, on a history of 6,000. One n×n matrix of doubles is 288 MB; both the
/// cold suggestions' peak and the sequential phase's (the kernel's high-water mark, reset
/// before it) must stay below it, so no n×n matrix is built, let alone copied, per suggestion.
/// (Measured with the release binary: 30 MiB for both; with `--large-model exact`, the exact GP
/// with a kept factor, 610 MiB, so the check can fail.)
@Suite struct LargeHistoryMemoryTests {
    @Test("no n×n matrix above the threshold: peak RSS below n² doubles at n = 6,000")
    func peakBelowOneSquareMatrix() throws {
        let n = 6_000
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("hdbench-large-memory-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let run = try HDBenchRun.run(["bench", "speed", "--n", "\(n)", "--d", "2", "--repeats", "1", "--sequential", "2",
                                      "--pending", "4", "--threshold", "200", "--subset-size", "200",
                                      "--no-path-off-baseline", "--no-dpotrf", "--json"], in: work, timeout: 300)
        #expect(run.status == 0 && !run.signalled, "\(run)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run)")
        #expect(object["subset_rows"] as? Int == 200)
        let square = n * n * 8
        #if os(Linux)
        let cold = try #require(object["cold_peak_rss_bytes"] as? Int)
        let sequential = try #require(object["peak_rss_bytes"] as? Int)
        #expect(cold < square && sequential < square, "cold \(cold / 1_048_576) MiB, sequential \(sequential / 1_048_576) MiB")
        #endif
    }
}
