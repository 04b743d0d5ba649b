import ArgumentParser
import Foundation
import Optimizer
import OptimizerBenchmarks

/// `hdbench bench warm-start`: a new Bayesian sweep warm-started from an earlier one on the
/// same problem, against cold sweeps of the same and of twice the length.
struct BenchWarmStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warm-start",
        abstract: "Measure what a warm start from an earlier sweep on the same problem buys a Bayesian sweep.",
        discussion: """
            Per seed: cold-N (N = --budget), and a sweep of N − --source-trials trials warm-started with the \
            first --source-trials trials of the cold run of the next seed. Prints median (q25, q75) log10 \
            simple regret of cold-(N − source), warm (own trials; and counting the source's), cold-N. \
            Problems: \(QualityProblem.names.joined(separator: ", ")).
            """)

    @Option(help: "Test problem (repeatable).") var problem: [String] = ["branin", "hartmann6"]
    @Option(help: "Runs (seeds 0..<S).") var seeds: Int = 10
    @Option(help: "Trials of the long cold run (the new sweep runs budget − source-trials).") var budget: Int = 100
    @Option(name: .customLong("source-trials"), help: "Trials of the earlier sweep given as the warm start.") var sourceTrials: Int = 50
    @Option(help: "Write the JSON results (an array, one object per problem) to this file.") var json: String?

    func validate() throws {
        for name in problem where QualityProblem.named(name) == nil {
            throw ValidationError("--problem '\(name)' is unknown; use one of \(QualityProblem.names.joined(separator: ", "))")
        }
        guard seeds >= 2 else { throw ValidationError("--seeds must be ≥ 2 (a seed's source is the next seed's run)") }
        guard sourceTrials >= 1, budget > sourceTrials else { throw ValidationError("--budget must exceed --source-trials ≥ 1") }
    }

    func run() throws {
        BLAS.setThreadCount(1)
        var results: [WarmStartBenchmark.Result] = []
        for name in problem {
            var bench = WarmStartBenchmark(problem: QualityProblem.named(name)!, seeds: seeds)
            bench.budget = budget
            bench.sourceTrials = sourceTrials
            let r = try bench.run { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            results.append(r)
            func arm(_ a: WarmStartBenchmark.Arm) -> String { String(format: "%7.3f (%.3f, %.3f)", a.median, a.q25, a.q75) }
            print("\(r.problem): seeds=\(r.seeds) source=\(r.sourceTrials) new=\(r.newTrials)  median log10 regret (q25, q75)")
            print("  cold-\(r.newTrials)                 \(arm(r.coldShort))")
            print("  warm(\(r.sourceTrials))+\(r.newTrials), own trials  \(arm(r.warm))   better than cold-\(r.newTrials) on \(r.warmBeatsColdShort) of \(r.seeds) seeds")
            print("  warm(\(r.sourceTrials))+\(r.newTrials), with source \(arm(r.warmWithSource))")
            print("  cold-\(r.sourceTrials + r.newTrials)                \(arm(r.coldLong))")
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(results).write(to: URL(fileURLWithPath: json))
        }
    }
}
