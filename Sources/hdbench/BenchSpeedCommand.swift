import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench bench speed`: time full Bayesian suggestions at a given history size.
struct BenchSpeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speed",
        abstract: "Time Bayesian suggestions (hyperparameter fit + acquisition) on n observations in d dimensions.",
        discussion: """
        Builds a history of N quasi-random observations of Hartmann-6 (d = 6) or Ackley (other d), \
        then times R suggestions from a cold start (or warm with --warm). Prints the median and \
        minimum seconds, the BLAS build and thread count, and dpotrf GFLOP/s at n = N measured in \
        the same run, as a baseline for ratios. With --sequential K, then makes K successive \
        suggestions on a growing history (each told its value before the next, warm state kept, as a \
        sweep does) and prints their median seconds and the peak resident set of that phase; it \
        first times one cold suggestion with the large-history path off (the behaviour before it) \
        as a baseline in the same process.
        """
    )

    @Option(help: "Observations in the history.") var n: Int = 500
    @Option(help: "Input dimension.") var d: Int = 6
    @Option(help: "Timed suggestions.") var repeats: Int = 3
    @Option(help: "Seed of the history and the sampler.") var seed: UInt64 = 0
    @Option(help: "OpenBLAS threads.") var threads: Int = 1
    @Flag(help: "Warm-start the hyperparameter fit from a preceding fit.") var warm = false
    @Option(help: "After the cold suggestions, K successive suggestions on a growing history (each told its value before the next, warm state kept); 0 = none.")
    var sequential: Int = 0
    @Option(help: "Pending (running) trials every suggestion is made with, taken in by the kriging believer; 0 = none.")
    var pending: Int = 0
    @Option(help: "The model above 1,000 observations: subset (a subset-of-data GP, the default) or exact (the exact GP with a kept factor).")
    var largeModel: ModelArgument = .subset
    @Option(help: "Observations above which the large-history model applies (default 1,000).")
    var threshold: Int = LargeHistoryOptions().threshold
    @Option(help: "Rows of the subset-of-data GP (default 1,000).")
    var subsetSize: Int = LargeHistoryOptions().subsetSize
    @Flag(inversion: .prefixedNo, help: "With --sequential, also time one cold suggestion with the large-history path off (the exact GP on every row; O(n²) memory).")
    var pathOffBaseline = true
    @Flag(inversion: .prefixedNo, help: "Measure dpotrf GFLOP/s at n = N at the end (three N×N matrices).")
    var dpotrf = true
    @Option(help: "Instead of the Bayesian suggestions: N ask/tell pairs of a library Study with the random sampler, timed per --window trials.")
    var askTell: Int?
    @Option(help: "With --ask-tell: trials per timed window.") var window: Int = 100_000
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard n >= 1 else { throw ValidationError("--n must be ≥ 1 (got \(n))") }
        guard d >= 1 && d <= 100 else { throw ValidationError("--d must be in 1…100 (got \(d))") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1 (got \(repeats))") }
        guard sequential >= 0 else { throw ValidationError("--sequential must be ≥ 0 (got \(sequential))") }
        if let askTell, askTell < 1 { throw ValidationError("--ask-tell must be ≥ 1 (got \(askTell))") }
        guard window >= 1 else { throw ValidationError("--window must be ≥ 1 (got \(window))") }
        guard threshold >= 1 else { throw ValidationError("--threshold must be ≥ 1 (got \(threshold))") }
        guard subsetSize >= 1 else { throw ValidationError("--subset-size must be ≥ 1 (got \(subsetSize))") }
        guard pending >= 0 else { throw ValidationError("--pending must be ≥ 0 (got \(pending))") }
        guard threads >= 1 else { throw ValidationError("--threads must be ≥ 1 (got \(threads))") }
    }

    func run() throws {
        if let askTell { return try runAskTell(trials: askTell) }
        var bench = SpeedBenchmark(n: n, d: d)
        bench.repeats = repeats
        bench.seed = seed
        bench.threads = threads
        bench.warm = warm
        bench.sequential = sequential
        bench.pending = pending
        bench.pathOffBaseline = pathOffBaseline
        bench.measuresDpotrf = dpotrf
        bench.options.largeHistory.model = largeModel == .subset ? .subset : .exact
        bench.options.largeHistory.threshold = threshold
        bench.options.largeHistory.subsetSize = subsetSize
        let r = try bench.run()
        if json {
            var object: [String: Any] = [
                "n": r.n, "d": r.d, "fit_seconds": r.fitSeconds, "acquisition_seconds": r.acquisitionSeconds,
                "suggest_seconds": r.suggestSeconds, "suggest_seconds_min": r.suggestSecondsMin,
                "suggest_cpu_seconds": r.suggestCPUSeconds,
                "blas": r.blas, "threads": r.threads,
                "function": r.function, "warm": r.warm, "repeats": r.repeats,
                "fit_evaluations": r.fitEvaluations, "acquisition_rounds": r.acquisitionRounds,
                "pending": r.pending, "large_model": largeModel.rawValue,
            ]
            if let rows = r.subsetRows { object["subset_rows"] = rows }
            if let g = r.dpotrfGflops { object["dpotrf_gflops"] = g }
            if let peak = r.coldPeakRSSBytes { object["cold_peak_rss_bytes"] = peak }
            if let b = r.baselineSuggestSeconds { object["baseline_suggest_seconds"] = b }
            if let peak = r.baselinePeakRSSBytes { object["baseline_peak_rss_bytes"] = peak }
            if let q = r.sequential {
                object["sequential"] = q.count
                object["sequential_suggest_seconds"] = q.suggestSeconds
                object["sequential_suggest_seconds_mean"] = q.suggestSecondsMean
                object["sequential_suggest_seconds_max"] = q.suggestSecondsMax
                object["sequential_suggest_cpu_seconds"] = q.suggestCPUSeconds
                object["sequential_fit_seconds"] = q.fitSecondsMedian
                object["sequential_acquisition_seconds"] = q.acquisitionSecondsMedian
                object["sequential_exactly_scored"] = q.exactlyScoredMedian
                object["sequential_acquisition_rounds"] = q.acquisitionRoundsMedian
                object["sequential_refits"] = q.refits
                object["sequential_extensions"] = q.extensions
                object["sequential_reanchors"] = q.reanchors
                object["sequential_keeps"] = q.keeps
                if let peak = q.peakRSSBytes { object["peak_rss_bytes"] = peak }
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("bench speed: n=\(r.n) d=\(r.d) function=\(r.function) \(r.warm ? "warm" : "cold") repeats=\(r.repeats) pending=\(r.pending) model=\(r.subsetRows.map { "subset of \($0) rows" } ?? "every row")")
            print("blas: \(r.blas)  threads: \(r.threads)  dpotrf(n=\(r.n)): \(r.dpotrfGflops.map { "\(fmt($0)) GFLOP/s" } ?? "not measured")")
            print("            median      min")
            print("fit         \(fmt(r.fitSeconds))s  \(fmt(r.fitSecondsMin))s   (\(r.fitEvaluations) likelihood evaluations)")
            print("acquisition \(fmt(r.acquisitionSeconds))s  \(fmt(r.acquisitionSecondsMin))s   (\(r.acquisitionRounds) batched rounds)")
            print("suggest     \(fmt(r.suggestSeconds))s  \(fmt(r.suggestSecondsMin))s   (CPU \(fmt(r.suggestCPUSeconds))s)")
            if let peak = r.coldPeakRSSBytes { print("cold peak RSS \(peak / 1_048_576) MiB") }
            if let b = r.baselineSuggestSeconds {
                print("baseline    \(fmt(b))s  one cold suggestion with the large-history path off (before it), peak RSS \(r.baselinePeakRSSBytes.map { "\($0 / 1_048_576) MiB" } ?? "?")")
            }
            if let q = r.sequential {
                print("sequential  \(q.count) suggestions: median \(fmt(q.suggestSeconds))s  mean \(fmt(q.suggestSecondsMean))s  max \(fmt(q.suggestSecondsMax))s  (CPU median \(fmt(q.suggestCPUSeconds))s)")
                print("            fit \(fmt(q.fitSecondsMedian))s  acquisition \(fmt(q.acquisitionSecondsMedian))s (medians; \(Int(q.exactlyScoredMedian)) candidates scored exactly, \(Int(q.acquisitionRoundsMedian)) gradient rounds); refits \(q.refits), extensions \(q.extensions), re-anchors \(q.reanchors), θ kept on a subset \(q.keeps)")
                print("            peak RSS \(q.peakRSSBytes.map { "\($0 / 1_048_576) MiB" } ?? "not measurable here")")
            }
        }
    }

    /// `--ask-tell N`: throughput per window, as JSON with --json.
    private func runAskTell(trials: Int) throws {
        var bench = StudyThroughputBenchmark(trials: trials, window: window)
        bench.seed = seed
        let r = try bench.run()
        if json {
            let windows: [[String: Any]] = r.windows.map {
                ["start": $0.start, "trials": $0.trials, "seconds": $0.seconds, "pairs_per_second": $0.pairsPerSecond]
            }
            var object: [String: Any] = ["ask_tell_trials": r.trials, "window": window, "windows": windows,
                                         "slowest_over_first": r.slowestOverFirst]
            if let peak = r.peakRSSBytes { object["peak_rss_bytes"] = peak }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("bench speed --ask-tell: \(r.trials) ask/tell pairs, Study with the random sampler")
            for w in r.windows {
                print("trials \(w.start)..<\(w.start + w.trials): \(String(format: "%10.0f", w.pairsPerSecond)) pairs/s")
            }
            print("slowest window / first: \(String(format: "%.3f", r.slowestOverFirst))" + (r.peakRSSBytes.map { "  peak RSS \($0 / 1_048_576) MiB" } ?? ""))
        }
    }

    /// ``LargeHistoryModel`` as an argument.
    enum ModelArgument: String, ExpressibleByArgument, CaseIterable { case subset, exact }

    private func fmt(_ x: Double) -> String { String(format: "%8.4f", x) }
}
