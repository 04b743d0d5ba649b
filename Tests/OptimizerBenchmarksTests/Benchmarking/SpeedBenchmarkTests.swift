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
        bench.options.largeHistory.model = .exact
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

    /// The default subset model with pending trials: every suggestion is made on a subset of
    /// 30 of the 60–63 rows plus the 5 pending points; the untimed first one fits θ, the three
    /// timed ones keep it (``LargeHistoryOptions/subsetRefitEvery`` is 20).
    @Test func pendingTrialsWithTheSubsetModel() throws {
        var bench = SpeedBenchmark(n: 60, d: 2)
        bench.repeats = 1
        bench.threads = BLAS.threadCount
        bench.sequential = 3
        bench.pending = 5
        bench.measuresDpotrf = false
        bench.options.largeHistory.threshold = 30
        bench.options.largeHistory.subsetSize = 30
        bench.options.acquisition.candidateCount = 128
        let r = try bench.run()
        #expect(r.pending == 5 && r.subsetRows == 30 && r.dpotrfGflops == nil)
        let q = try #require(r.sequential)
        #expect(q.count == 3 && q.extensions == 0 && q.reanchors == 0 && q.keeps == 3, "θ is kept between refits")
        #expect(r.baselineSuggestSeconds != nil)
    }

    /// ask/tell throughput in windows: every window is timed and counted.
    @Test func askTellWindows() throws {
        let r = try StudyThroughputBenchmark(trials: 2_500, window: 1_000).run()
        #expect(r.windows.map(\.trials) == [1_000, 1_000, 500])
        #expect(r.windows.map(\.start) == [0, 1_000, 2_000])
        #expect(r.windows.allSatisfy { $0.pairsPerSecond > 0 } && r.slowestOverFirst > 0)
    }
}
