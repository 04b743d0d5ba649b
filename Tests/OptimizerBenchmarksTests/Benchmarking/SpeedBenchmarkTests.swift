import Foundation
import Testing
@testable import OptimizerBenchmarks
import Optimizer

/// `hdbench bench speed --sequential K` at test size (threshold lowered so the large-history
/// path runs): K suggestions, each on a history one longer, counted by what they did.
@Suite struct SpeedBenchmarkTests {
    @Test func sequentialSuggestionsAreTimedAndExtendTheFactor() throws {
        var bench = SpeedBenchmark(n: 40, d: 2)
        bench.repeats = 1
        // `run()` sets the process-wide BLAS thread count; keep it as it is, so tests running
        // alongside (which compare runs bit for bit) do not see it change under them.
        bench.threads = BLAS.threadCount
        bench.sequential = 4
        bench.options.largeHistory.threshold = 30
        bench.options.acquisition.candidateCount = 128
        let r = try bench.run()
        let q = try #require(r.sequential)
        #expect(q.count == 4 && q.refits + q.extensions + q.reanchors == 4)
        #expect(q.extensions == 4, "the first suggestion at n = 40 refits (untimed); the next four extend")
        #expect(q.suggestSeconds > 0 && q.suggestSecondsMax >= q.suggestSeconds)
        #if os(Linux)
        #expect((r.coldPeakRSSBytes ?? 0) > 0)
        #endif
    }
}
