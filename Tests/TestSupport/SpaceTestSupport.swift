public import Foundation
import Optimizer

/// Helpers shared by the search-space, sampling and YAML tests.
public enum SpaceTestSupport {
    /// The package root (found from this file's path).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    public static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    public static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    /// Kolmogorov–Smirnov statistic D = sup |Fₙ(x) − F(x)| of `samples` against `cdf`.
    public static func ksStatistic(_ samples: [Double], cdf: (Double) -> Double) -> Double {
        let sorted = samples.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, abs(Double(i + 1) / n - f), abs(f - Double(i) / n))
        }
        return d
    }

    /// Asymptotic KS critical value at significance α = 0.001: √(−ln(α/2)/2)/√n.
    /// A correct sampler exceeds it with probability 0.001 (per test, per seed).
    public static func ksCritical(n: Int) -> Double { (-log(0.0005) / 2).squareRoot() / Double(n).squareRoot() }

    /// Pearson's χ² statistic of `counts` against equal expected frequencies.
    public static func chiSquare(_ counts: [Int]) -> Double {
        let total = Double(counts.reduce(0, +))
        let expected = total / Double(counts.count)
        return counts.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
    }

    /// Upper 0.001 quantile of χ² with `k` degrees of freedom (Wilson–Hilferty, z = 3.0902):
    /// a correct sampler exceeds it with probability ≈ 0.001.
    public static func chiSquareCritical(degreesOfFreedom k: Int) -> Double {
        let kk = Double(k)
        let a = 2 / (9 * kk)
        return kk * pow(1 - a + 3.0902 * a.squareRoot(), 3)
    }
}
