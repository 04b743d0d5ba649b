import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench bench policies`: Bayesian and random sampling under early termination, on
/// synthetic learning curves (``PolicyBenchmark``).
struct BenchPoliciesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies",
        abstract: "Compare random and Bayesian sampling with and without median stopping on synthetic learning curves.",
        discussion: """
            Simulated in process (no trial processes): 4 hyperparameters, curves \
            y_t = a(θ)(1 − e^{−t/τ(θ)}) + N(0, 0.01²), 30 reports per trial, 60 trials, 4 at once. \
            Arms: random+none, random+median(1,5), bayesian+median(1,5) with stopped trials' values \
            floored at the worst completed trial (the default) and as they are, bayesian+none. \
            Reports per arm: median over seeds of the winner's recorded value and of its noiseless \
            final value (q25–q75), and of the reports consumed (compute).
            """)

    @Option(help: "Runs per arm (seeds 0..<S).") var seeds: Int = 10
    @Option(help: "Trials per sweep.") var budget: Int = 60
    @Option(help: "Trials at once.") var concurrency: Int = 4
    @Flag(help: "Print JSON (every run included) instead of the table.") var json = false

    func validate() throws {
        guard seeds >= 1, budget >= 1, concurrency >= 1 else { throw CLIError("--seeds, --budget and --concurrency must be ≥ 1") }
    }

    func run() throws {
        BLAS.setThreadCount(1)
        var bench = PolicyBenchmark()
        bench.seeds = seeds
        bench.budget = budget
        bench.concurrency = concurrency
        let result = bench.run()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
            return
        }
        print("learning curves: budget \(result.budget) trials × \(result.reportCount) reports, concurrency \(result.concurrency), seeds 0..<\(result.seeds); medians over seeds")
        var rows = [["arm", "best value", "true final of best", "(q25–q75)", "reports", "% of full", "stopped", "sampler s"]]
        for arm in result.arms {
            rows.append([arm.arm, String(format: "%.4f", arm.medianBestValue), String(format: "%.4f", arm.medianBestTrueFinal),
                         String(format: "(%.4f–%.4f)", arm.bestTrueFinalQ25, arm.bestTrueFinalQ75),
                         String(format: "%.0f", arm.medianReports), String(format: "%.1f%%", arm.medianReportsPercent),
                         String(format: "%.1f", arm.medianStopped), String(format: "%.1f", arm.samplerSeconds)])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces))
        }
        print("blas: \(result.versions["blas"] ?? "?")")
    }
}
