import Foundation
import Testing
@testable import Optimizer
@testable import OptimizerBenchmarks

/// The warm-start benchmark: reproducible, and its arms are what they say.
@Suite struct WarmStartBenchmarkTests {
    @Test func armsAreConsistentAndRunsReproducible() throws {
        var bench = WarmStartBenchmark(problem: QualityProblem.named("branin")!, seeds: 3)
        bench.budget = 24
        bench.sourceTrials = 12
        let first = try bench.run()
        let again = try bench.run()
        #expect(first.warm.perSeed == again.warm.perSeed && first.coldLong.perSeed == again.coldLong.perSeed)
        #expect(first.newTrials == 12 && first.warm.perSeed.count == 3)
        for s in 0..<3 {
            // The long cold run contains the short one; counting the source never hurts.
            #expect(first.coldLong.perSeed[s] <= first.coldShort.perSeed[s])
            #expect(first.warmWithSource.perSeed[s] <= first.warm.perSeed[s])
        }
        let json = String(decoding: try JSONEncoder().encode(first), as: UTF8.self)
        #expect(json.contains("\"warm_log10_regret\"") && json.contains("\"cold_short_log10_regret\""))
    }
}
