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
    /// Successive suggestions after the cold ones, each told its result before the next (as a
    /// sweep at concurrency 1 does); 0 = none.
    package var sequential = 0
    /// Pending (running) trials every suggestion is made with: k quasi-random points the
    /// model takes in by ``BayesianOptimizerOptions/pendingStrategy`` (kriging believer), as a
    /// sweep at concurrency k + 1 does; 0 = none.
    package var pending = 0
    /// With the sequential phase: also time one cold suggestion with the large-history path off
    /// (the exact GP on all n rows). Costs O(n²) memory and O(n³) time: off for n = 20,000.
    package var pathOffBaseline = true
    /// Measure `dpotrf` at n at the end of the run (three n×n matrices, O(n³)).
    package var measuresDpotrf = true

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
        /// CPU seconds of the process over the timed cold suggestions (median): what the
        /// suggestion costs without the waiting a shared machine adds to wall time.
        package var suggestCPUSeconds: Double
        package var suggestSecondsMin: Double
        package var fitSecondsMin: Double
        package var acquisitionSecondsMin: Double
        package var blas: String
        package var threads: Int
        /// `nil` when not measured (``measuresDpotrf``).
        package var dpotrfGflops: Double?
        package var repeats: Int
        package var warm: Bool
        /// L-BFGS-B evaluations in the last hyperparameter fit (all starts).
        package var fitEvaluations: Int
        /// Batched rounds of the acquisition's gradient phase in the last suggestion.
        package var acquisitionRounds: Int
        /// Peak resident bytes over the history and the cold suggestions (`VmHWM`).
        package var coldPeakRSSBytes: Int?
        /// With the sequential phase: one cold suggestion with the large-history path off
        /// (threshold `Int.max`, every suggestion refits and scores every candidate exactly: the
        /// behaviour before it), timed after the cold ones in the same process, and its peak resident bytes.
        package var baselineSuggestSeconds: Double?
        package var baselinePeakRSSBytes: Int?
        /// The sequential phase, when asked for.
        package var sequential: Sequential?
        /// Pending trials each suggestion was made with.
        package var pending: Int
        /// Rows of the subset-of-data GP in the last cold suggestion (`nil`: every row).
        package var subsetRows: Int?
    }

    /// K successive suggestions on a growing history, warm state kept between them.
    package struct Sequential: Sendable, Codable {
        package var count: Int
        /// Median wall seconds per suggestion (excluding the untimed first one at n, which
        /// fits hyperparameters as a sweep's first suggestion would).
        package var suggestSeconds: Double
        package var suggestSecondsMean: Double
        package var suggestSecondsMax: Double
        /// Median CPU seconds of the process per suggestion.
        package var suggestCPUSeconds: Double
        package var fitSecondsMedian: Double
        package var acquisitionSecondsMedian: Double
        /// Candidates scored exactly (median), of `candidateCount`.
        package var exactlyScoredMedian: Double
        /// Batched gradient rounds (median).
        package var acquisitionRoundsMedian: Double
        /// How many of the K suggestions refitted θ, kept and extended the factor, re-anchored it,
        /// kept θ on a subset (``LargeHistoryModel/subset``).
        package var keeps: Int
        package var refits: Int
        package var extensions: Int
        package var reanchors: Int
        /// Peak resident bytes during the sequential phase (the kernel's high-water mark reset
        /// before it through /proc/self/clear_refs; nil where that is not possible).
        package var peakRSSBytes: Int?
    }

    /// The function whose history is used: Hartmann-6 when d = 6, otherwise Ackley in d dimensions.
    package var function: TestFunction { d == 6 ? .hartmann6 : .ackley(d) }

    package func run() throws -> Result {
        precondition(n >= 1 && d >= 1 && repeats >= 1, "SpeedBenchmark: n \(n), d \(d), repeats \(repeats)")
        BLAS.setThreadCount(threads)
        let f = function
        let x = QuasiRandom.unitCube(count: n, dimension: d, seed: seed)
        let y = (0..<n).map { -f.evaluate(unitCube: x.row($0)) }
        let running = pendingPoints
        let clock = ContinuousClock()

        var optimizer = BayesianOptimizer(options: options)
        var rng = SplitMix64(seed: seed, stream: 1)
        if warm {
            let candidates = QuasiRandom.unitCube(count: options.acquisition.candidateCount, dimension: d, seed: seed &+ 999)
            _ = try optimizer.suggest(observed: x, values: y, pending: running, candidates: candidates, warm: false, using: &rng)
        }
        var fits: [Double] = [], acquisitions: [Double] = [], totals: [Double] = [], cpu: [Double] = []
        // Only counts are kept from the last suggestion: holding it would keep its n×n factor alive.
        var lastFitEvaluations = 0, lastRounds = 0
        var subsetRows: Int?
        for r in 0..<repeats {
            let candidates = QuasiRandom.unitCube(count: options.acquisition.candidateCount, dimension: d, seed: seed &+ UInt64(r) &+ 1)
            var local = optimizer
            let start = clock.now
            let cpuStart = Self.processCPUSeconds()
            let s = try local.suggest(observed: x, values: y, pending: running, candidates: candidates, warm: warm, using: &rng)
            subsetRows = s.subsetRows
            totals.append(BayesianOptimizer.seconds(clock.now - start))
            cpu.append(Self.processCPUSeconds() - cpuStart)
            fits.append(s.fitSeconds)
            acquisitions.append(s.acquisitionSeconds)
            lastFitEvaluations = s.fit.runs.map(\.evaluations).reduce(0, +)
            lastRounds = s.maximum.batchedRounds
        }
        let coldPeak = Self.peakRSSBytes()
        // The baseline is timed after the cold suggestions, so that neither pays the process's
        // first-touch costs alone; its peak is read after a reset.
        _ = Self.resetPeakRSS()
        var baselineSeconds: Double?, baselinePeak: Int?
        if sequential > 0, pathOffBaseline {
            var legacy = options
            legacy.largeHistory.threshold = .max
            var baseline = BayesianOptimizer(options: legacy)
            var baselineRNG = SplitMix64(seed: seed, stream: 1)
            let candidates = QuasiRandom.unitCube(count: options.acquisition.candidateCount, dimension: d, seed: seed &+ 1)
            let start = clock.now
            _ = try baseline.suggest(observed: x, values: y, pending: running, candidates: candidates, warm: false, using: &baselineRNG)
            baselineSeconds = BayesianOptimizer.seconds(clock.now - start)
            baselinePeak = Self.peakRSSBytes()
        }
        var sequentialResult: Sequential?
        if sequential > 0 {
            sequentialResult = try runSequential(x: x, y: y, function: f)
        }
        return Result(n: n, d: d, function: f.name,
                      fitSeconds: quantile(fits, 0.5), acquisitionSeconds: quantile(acquisitions, 0.5),
                      suggestSeconds: quantile(totals, 0.5), suggestCPUSeconds: quantile(cpu, 0.5), suggestSecondsMin: totals.min()!,
                      fitSecondsMin: fits.min()!, acquisitionSecondsMin: acquisitions.min()!,
                      blas: BLAS.configuration, threads: BLAS.threadCount,
                      dpotrfGflops: measuresDpotrf ? Self.dpotrfGflops(n: n, seed: seed) : nil, repeats: repeats, warm: warm,
                      fitEvaluations: lastFitEvaluations,
                      acquisitionRounds: lastRounds,
                      coldPeakRSSBytes: coldPeak, baselineSuggestSeconds: baselineSeconds, baselinePeakRSSBytes: baselinePeak,
                      sequential: sequentialResult, pending: pending, subsetRows: subsetRows)
    }

    /// The ``pending`` running trials: quasi-random points apart from the history's.
    private var pendingPoints: Matrix? {
        pending > 0 ? QuasiRandom.unitCube(count: pending, dimension: d, seed: seed &+ 5_000_011) : nil
    }

    /// One untimed suggestion at n (a sweep's first), then `sequential` timed ones, each after
    /// appending the previous suggestion and its value to the history.
    private func runSequential(x start: Matrix, y startValues: [Double], function f: TestFunction) throws -> Sequential {
        let resetWorked = Self.resetPeakRSS()
        let clock = ContinuousClock()
        var optimizer = BayesianOptimizer(options: options)
        var x = start, y = startValues
        var rng = SplitMix64(seed: seed, stream: 2)
        let running = pendingPoints
        func candidates(_ step: Int) -> Matrix {
            QuasiRandom.unitCube(count: options.acquisition.candidateCount, dimension: d, seed: seed &+ 10_000 &+ UInt64(step))
        }
        var point = try optimizer.suggest(observed: x, values: y, pending: running, candidates: candidates(0), using: &rng).point
        var totals: [Double] = [], fits: [Double] = [], acquisitions: [Double] = [], cpu: [Double] = []
        var refits = 0, extensions = 0, reanchors = 0, keeps = 0
        var scored: [Double] = [], rounds: [Double] = []
        for step in 1...sequential {
            x = x.appendingRows(Matrix(rowVectors: [point]))
            y.append(-f.evaluate(unitCube: point))
            var stepRNG = SplitMix64(seed: seed, stream: 2 &+ UInt64(step))
            let began = clock.now
            let cpuStart = Self.processCPUSeconds()
            let s = try optimizer.suggest(observed: x, values: y, pending: running, candidates: candidates(step), using: &stepRNG)
            totals.append(BayesianOptimizer.seconds(clock.now - began))
            cpu.append(Self.processCPUSeconds() - cpuStart)
            fits.append(s.fitSeconds)
            acquisitions.append(s.acquisitionSeconds)
            scored.append(Double(s.maximum.exactlyScored))
            rounds.append(Double(s.maximum.batchedRounds))
            switch s.decision {
            case .refit?, nil: refits += 1
            case .extend?: extensions += 1
            case .reanchor?: reanchors += 1
            case .keep?: keeps += 1
            }
            point = s.point
        }
        return Sequential(count: sequential, suggestSeconds: quantile(totals, 0.5),
                          suggestSecondsMean: totals.reduce(0, +) / Double(totals.count), suggestSecondsMax: totals.max()!,
                          suggestCPUSeconds: quantile(cpu, 0.5),
                          fitSecondsMedian: quantile(fits, 0.5), acquisitionSecondsMedian: quantile(acquisitions, 0.5),
                          exactlyScoredMedian: quantile(scored, 0.5), acquisitionRoundsMedian: quantile(rounds, 0.5),
                          keeps: keeps, refits: refits, extensions: extensions, reanchors: reanchors,
                          peakRSSBytes: resetWorked ? Self.peakRSSBytes() : nil)
    }

    /// CPU seconds (user + system, all threads) the process has used so far.
    package static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// The process's peak resident set (`VmHWM` of /proc/self/status), nil off Linux.
    package static func peakRSSBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kb.map { $0 * 1024 }
        }
        return nil
    }

    /// Resets the peak resident set to the current one (writes 5 to /proc/self/clear_refs,
    /// Linux ≥ 4.0); false when that is not possible.
    package static func resetPeakRSS() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
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
