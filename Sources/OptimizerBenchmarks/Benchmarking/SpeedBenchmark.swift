import Foundation
package import Optimizer

/// `hdbench bench speed`: times full Bayesian suggestions (hyperparameter fit + acquisition
/// maximisation) on a history of n quasi-random observations of a d-dimensional test function,
/// and measures the machine's `dpotrf` speed at the same n in the same run.
package struct SpeedBenchmark: Sendable {
    /// Number of observations in the history.
    package var n: Int
    /// Input dimension.
    package var d: Int
    /// Timed suggestions.
    package var repeats = 3
    package var seed: UInt64 = 0
    /// Warm-start the hyperparameter fit from a preceding (untimed) fit.
    package var warm = false
    /// OpenBLAS threads for the run.
    package var threads = 1
    package var options = BayesianOptimizerOptions()

    package init(n: Int, d: Int) {
        self.n = n
        self.d = d
    }

    /// The measured figures (seconds; GFLOP/s for `dpotrf`).
    package struct Result: Sendable, Codable {
        package var n: Int
        package var d: Int
        package var function: String
        package var fitSeconds: Double
        package var acquisitionSeconds: Double
        package var suggestSeconds: Double
        package var suggestSecondsMin: Double
        package var fitSecondsMin: Double
        package var acquisitionSecondsMin: Double
        package var blas: String
        package var threads: Int
        package var dpotrfGflops: Double
        package var repeats: Int
        package var warm: Bool
        /// L-BFGS-B evaluations in the last hyperparameter fit (all starts).
        package var fitEvaluations: Int
        /// Batched rounds of the acquisition's gradient phase in the last suggestion.
        package var acquisitionRounds: Int
    }

    /// The function whose history is used: Hartmann-6 when d = 6, otherwise Ackley in d dimensions.
    package var function: TestFunction { d == 6 ? .hartmann6 : .ackley(d) }

    package func run() throws -> Result {
        precondition(n >= 1 && d >= 1 && repeats >= 1, "SpeedBenchmark: n \(n), d \(d), repeats \(repeats)")
        BLAS.setThreadCount(threads)
        let f = function
        let x = QuasiRandom.unitCube(count: n, dimension: d, seed: seed)
        let y = (0..<n).map { -f.evaluate(unitCube: x.row($0)) }
        let clock = ContinuousClock()

        var optimizer = BayesianOptimizer(options: options)
        var rng = SplitMix64(seed: seed, stream: 1)
        if warm {
            let candidates = QuasiRandom.unitCube(count: options.acquisition.candidateCount, dimension: d, seed: seed &+ 999)
            _ = try optimizer.suggest(observed: x, values: y, candidates: candidates, warm: false, using: &rng)
        }
        var fits: [Double] = [], acquisitions: [Double] = [], totals: [Double] = []
        var last: BayesianSuggestion?
        for r in 0..<repeats {
            let candidates = QuasiRandom.unitCube(count: options.acquisition.candidateCount, dimension: d, seed: seed &+ UInt64(r) &+ 1)
            var local = optimizer
            let start = clock.now
            let s = try local.suggest(observed: x, values: y, candidates: candidates, warm: warm, using: &rng)
            totals.append(BayesianOptimizer.seconds(clock.now - start))
            fits.append(s.fitSeconds)
            acquisitions.append(s.acquisitionSeconds)
            last = s
        }
        return Result(n: n, d: d, function: f.name,
                      fitSeconds: quantile(fits, 0.5), acquisitionSeconds: quantile(acquisitions, 0.5),
                      suggestSeconds: quantile(totals, 0.5), suggestSecondsMin: totals.min()!,
                      fitSecondsMin: fits.min()!, acquisitionSecondsMin: acquisitions.min()!,
                      blas: BLAS.configuration, threads: BLAS.threadCount,
                      dpotrfGflops: Self.dpotrfGflops(n: n, seed: seed), repeats: repeats, warm: warm,
                      fitEvaluations: last!.fit.runs.map(\.evaluations).reduce(0, +),
                      acquisitionRounds: last!.maximum.batchedRounds)
    }

    /// GFLOP/s of `dpotrf` on an n×n SPD matrix (n³/3 flops), best of several runs lasting
    /// at least ~0.2 s in total.
    package static func dpotrfGflops(n: Int, seed: UInt64 = 0) -> Double {
        var rng = SplitMix64(seed: seed, stream: 7)
        let b = Matrix(rows: n, columns: n, columnMajor: (0..<(n * n)).map { _ in Double.random(in: -1...1, using: &rng) })
        var a = Matrix.product(b, b, transposeA: true)
        for i in 0..<n { a[i, i] += Double(n) }
        let clock = ContinuousClock()
        var best = Double.infinity
        var spent = 0.0
        var runs = 0
        while runs < 3 || (spent < 0.2 && runs < 200) {
            let start = clock.now
            _ = try? CholeskyFactor(factoring: a)
            let s = BayesianOptimizer.seconds(clock.now - start)
            best = min(best, s)
            spent += s
            runs += 1
        }
        return Double(n) * Double(n) * Double(n) / 3 / best / 1e9
    }
}
