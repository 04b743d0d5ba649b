import Foundation
import Testing
@testable import Optimizer
import TestSupport
@testable import OptimizerBenchmarks

/// ``medianConfidenceInterval(_:level:)`` against SciPy (`Fixtures/generate_median_ci.py`) and
/// its coverage property.
@Suite struct MedianIntervalTests {
    @Test func matchesSciPysQuantileTest() throws {
        let url = SpaceTestSupport.fixtures.appendingPathComponent("median_ci.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(object["cases"] as? [[String: Any]])
        #expect(cases.count == 64)
        var nils = 0
        for c in cases {
            let values = try #require(c["values"] as? [Double]), level = try #require(c["level"] as? Double)
            let interval = medianConfidenceInterval(values, level: level)
            if let expected = c["interval"] as? [Double] {
                // Both sides pick order statistics of the same numbers: exact equality.
                #expect(interval == expected[0]...expected[1], "n=\(values.count) level=\(level)")
            } else {
                nils += 1
                #expect(interval == nil, "n=\(values.count) level=\(level): SciPy has none")
            }
        }
        #expect(nils == 12)
    }

    /// Coverage: over many samples from a skewed distribution with known median, the 90% interval
    /// holds the median at least 90% of the time (up to 3 binomial standard errors), and it is
    /// never the trivial [min, max] for 60 values.
    @Test func coversTheTrueMedian() {
        var rng = SplitMix64(seed: 11, stream: 0)
        let trueMedian = log(2.0)  // Exponential(1)
        var covered = 0
        let trials = 2000
        for _ in 0..<trials {
            let xs = (0..<60).map { _ in -log(1 - Double.random(in: 0..<1, using: &rng)) }
            guard let ci = medianConfidenceInterval(xs, level: 0.9) else { Issue.record("no interval"); return }
            if ci.contains(trueMedian) { covered += 1 }
            #expect(ci.lowerBound > xs.min()! && ci.upperBound < xs.max()!)
        }
        let rate = Double(covered) / Double(trials)
        #expect(rate >= 0.9 - 3 * (0.9 * 0.1 / Double(trials)).squareRoot(), "coverage \(rate)")
        #expect(rate <= 0.99, "coverage \(rate): far wider than the level needs")
    }

    @Test func rejectsWhatItCannotSummarise() {
        #expect(medianConfidenceInterval([]) == nil)
        #expect(medianConfidenceInterval([1, 2, .nan, 4, 5, 6, 7]) == nil)
        #expect(medianConfidenceInterval([1, 2, 3, 4, 5, 6], level: 1) == nil)
        #expect(medianConfidenceInterval([3, 1, 2, 6, 5, 4]) == 1...6)
    }
}
