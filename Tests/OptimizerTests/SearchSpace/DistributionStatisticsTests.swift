import Foundation
import Testing
@testable import Optimizer
import TestSupport

/// Statistical checks with fixed seeds. Each KS / χ² test uses the 0.001 critical value: a
/// correct sampler fails a given (test, seed) with probability 0.001; the seeds are fixed, so
/// the outcome is deterministic.
@Suite("Parameter expressions: distributions")
struct DistributionStatisticsTests {
    let n = 4000

    func numeric(_ e: ParameterExpression, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in e.sample(using: &rng).numericValue! }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func uniformIsUniform(seed: UInt64) {
        let d = SpaceTestSupport.ksStatistic(numeric(.uniform(-1, 3), seed: seed)) { min(max(($0 + 1) / 4, 0), 1) }
        #expect(d < SpaceTestSupport.ksCritical(n: n), "seed \(seed): D = \(d)")
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func logUniformIsUniformInLogSpace(seed: UInt64) {
        let logs = numeric(.logUniform(-6, -1), seed: seed).map { log($0) }
        let d = SpaceTestSupport.ksStatistic(logs) { min(max(($0 + 6) / 5, 0), 1) }
        #expect(d < SpaceTestSupport.ksCritical(n: n), "seed \(seed): D = \(d)")
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func normalIsNormal(seed: UInt64) {
        let d = SpaceTestSupport.ksStatistic(numeric(.normal(mu: 2, sigma: 0.5), seed: seed)) {
            ParameterExpression.normalCDF(($0 - 2) / 0.5)
        }
        #expect(d < SpaceTestSupport.ksCritical(n: n), "seed \(seed): D = \(d)")
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func logNormalIsLogNormal(seed: UInt64) {
        let d = SpaceTestSupport.ksStatistic(numeric(.logNormal(mu: -1, sigma: 2), seed: seed)) {
            $0 <= 0 ? 0 : ParameterExpression.normalCDF((log($0) + 1) / 2)
        }
        #expect(d < SpaceTestSupport.ksCritical(n: n), "seed \(seed): D = \(d)")
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func choiceAndRandintAreEquallyLikely(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let options: [ChoiceOption] = ["a", "b", "c", 4, 5.5]
        var choiceCounts = [Int](repeating: 0, count: options.count)
        var randintCounts = [Int](repeating: 0, count: 7)
        for _ in 0..<n {
            let v = ParameterExpression.choice(options).sample(using: &rng)
            choiceCounts[options.firstIndex { $0 == .literal(v) }!] += 1
            if case .int(let k) = ParameterExpression.randint(upper: 7).sample(using: &rng) { randintCounts[k] += 1 }
        }
        #expect(SpaceTestSupport.chiSquare(choiceCounts) < SpaceTestSupport.chiSquareCritical(degreesOfFreedom: 4), "\(choiceCounts)")
        #expect(SpaceTestSupport.chiSquare(randintCounts) < SpaceTestSupport.chiSquareCritical(degreesOfFreedom: 6), "\(randintCounts)")
    }

    @Test func quniformEndpointsGetHalfCells() {
        // quniform(0, 4, 1): 0 and 4 have probability 1/8, 1…3 have 1/4 (rounding cells cut
        // by the bounds). χ² against those expectations, 4 degrees of freedom, α = 0.001.
        var rng = SplitMix64(seed: 11)
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<n {
            if case .int(let k) = ParameterExpression.quniform(0, 4, q: 1).sample(using: &rng) { counts[k] += 1 }
        }
        let expected = [0.125, 0.25, 0.25, 0.25, 0.125].map { $0 * Double(n) }
        let chi = zip(counts, expected).reduce(0.0) { $0 + pow(Double($1.0) - $1.1, 2) / $1.1 }
        #expect(chi < SpaceTestSupport.chiSquareCritical(degreesOfFreedom: 4), "\(counts)")
    }
}
