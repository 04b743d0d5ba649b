import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench bench quality`: regret of a sampler on a test problem over several seeds.
struct BenchQualityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Run full optimisations of a test problem and report log10 simple regret over seeds.",
        discussion: "Problems: \(QualityProblem.names.joined(separator: ", ")). JSON follows Benchmarks/peers/README.md."
    )

    @Option(help: "Test problem.") var problem: String
    @Option(help: "random, sobol or bayesian.") var sampler: String
    @Option(help: "Evaluations per run.") var budget: Int = 100
    @Option(help: "Runs (seeds 0..<S).") var seeds: Int = 10
    @Option(help: "Trials proposed per batch (the others pending).") var concurrency: Int = 1
    @Option(help: "Bayesian: kriging-believer (default) or ignore pending trials.") var pending: String = "kriging-believer"
    @Option(help: "Write JSON to this file ('-' for standard output).") var json: String?
    @Option(help: ArgumentHelp("Per-seed log: append each finished seed to DIR/<problem>__<sampler>__b<budget>.jsonl and skip the seeds already there (resume an interrupted run).",
                               valueName: "DIR"))
    var raw: String?
    @Option(help: ArgumentHelp("Bayesian: write every suggestion of the surrogate to this file, one JSON object per line (fitted hyperparameters, incumbent, acquisition value, the point and how many of its coordinates lie on the bounds).",
                               valueName: "FILE"))
    var trace: String?
    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Bayesian sampler setting KEY=VALUE (repeatable): \(BayesianSetting.keys.map(\.key).joined(separator: ", ")).",
                               valueName: "KEY=VALUE"))
    var settings: [String] = []

    func validate() throws {
        guard QualityProblem.named(problem) != nil else {
            throw ValidationError("--problem '\(problem)' is unknown; use one of \(QualityProblem.names.joined(separator: ", "))")
        }
        guard ["random", "sobol", "bayesian"].contains(sampler) else { throw ValidationError("--sampler must be random, sobol or bayesian") }
        guard ["kriging-believer", "ignore"].contains(pending) else { throw ValidationError("--pending must be kriging-believer or ignore") }
        guard budget >= 1, seeds >= 1, concurrency >= 1 else { throw ValidationError("--budget, --seeds and --concurrency must be ≥ 1") }
        if trace != nil, sampler != "bayesian" { throw ValidationError("--trace applies to --sampler bayesian only") }
        if !settings.isEmpty {
            guard sampler == "bayesian" else { throw ValidationError("--set applies to --sampler bayesian only") }
            do { _ = try BayesianSetting.parse(settings) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        BLAS.setThreadCount(1)
        var bench = QualityBenchmark(problem: QualityProblem.named(problem)!, sampler: sampler, budget: budget, seeds: seeds)
        bench.concurrency = concurrency
        bench.bayesian = try BayesianSetting.parse(settings)
        bench.pendingStrategy = pending == "ignore" ? .ignore : .krigingBeliever
        var traced: [QualityBenchmark.SuggestionTrace] = []
        var log: URL?
        if let raw {
            try FileManager.default.createDirectory(atPath: raw, withIntermediateDirectories: true)
            log = URL(fileURLWithPath: raw).appendingPathComponent("\(problem)__\(bench.resultName)__b\(budget).jsonl")
        }
        let r: QualityBenchmark.Result
        do {
            r = try bench.run(trace: trace == nil ? nil : { traced.append($0) }, log: log)
        } catch let error as ConfigurationError {
            throw CLIError(error.description, exitCode: 2)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let trace {
            var lines = Data()
            for record in traced {
                lines.append(try encoder.encode(record))
                lines.append(0x0A)
            }
            try lines.write(to: URL(fileURLWithPath: trace))
        }
        if let json {
            let data = try encoder.encode(r)
            if json == "-" { print(String(decoding: data, as: UTF8.self)) } else { try data.write(to: URL(fileURLWithPath: json)) }
            if json == "-" { return }
        }
        print("\(r.problem) \(r.sampler) budget=\(r.budget) seeds=\(r.seeds) concurrency=\(r.concurrency)  \(String(format: "%.4f", r.secondsPerSuggestion)) s/suggestion")
        print("evals   median    q25     q75   (log10 simple regret)")
        for (i, k) in r.checkpoints.enumerated() {
            print(String(format: "%5d  %7.3f %7.3f %7.3f", k, r.log10Regret.median[i], r.log10Regret.q25[i], r.log10Regret.q75[i]))
        }
        if let ci = medianConfidenceInterval(r.perSeedFinal) {
            print(String(format: "95%% interval of the median at %d: [%.3f, %.3f] (distribution-free, over the seeds)",
                         r.budget, ci.lowerBound, ci.upperBound))
        }
        if let trace {
            let onBounds = traced.filter { 2 * $0.coordinatesOnBounds >= $0.point.count }.count
            print("trace: \(traced.count) suggestions of the surrogate written to \(trace); \(onBounds) (\(String(format: "%.1f", 100 * Double(onBounds) / Double(max(traced.count, 1))))%) have half or more of their coordinates on the bounds")
        }
    }
}

/// `hdbench bench compare`: a side-by-side table of quality results.
struct BenchCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Print quality results (ours and the Python peers') side by side: median log10 regret."
    )

    @Argument(help: "Quality JSON files.") var files: [String]
    @Option(help: "Evaluation counts to show (comma-separated).") var at: String = "50,100"
    @Flag(help: """
        At each result's budget, also print the distribution-free 95% confidence interval of the \
        median over seeds (order statistics, as SciPy's quantile_test): medians whose intervals \
        overlap are not told apart by these seeds.
        """)
    var intervals = false

    func run() throws {
        struct Row: Decodable {
            var problem: String, sampler: String, seeds: Int, budget: Int, checkpoints: [Int]
            var log10_regret: [String: [Double]]
            var per_seed_final: [Double]?
        }
        var rows: [Row] = []
        for f in files {
            do {
                rows.append(try JSONDecoder().decode(Row.self, from: Data(contentsOf: URL(fileURLWithPath: f))))
            } catch {
                throw ValidationError("\(f): not a quality result (\(error))")
            }
        }
        let points = at.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let samplers = Array(Set(rows.map(\.sampler))).sorted()
        let problems = Array(Set(rows.map(\.problem))).sorted()
        let width = max(intervals ? 30 : 20, (samplers.map(\.count).max() ?? 0) + 2)
        for k in points {
            print("median log10 simple regret after \(k) evaluations (seeds in brackets"
                  + (intervals ? "; 95% interval of the median at the budget in parentheses)" : ")"))
            print("problem".padding(toLength: 22, withPad: " ", startingAt: 0) + samplers.map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }.joined())
            for p in problems {
                var line = p.padding(toLength: 22, withPad: " ", startingAt: 0)
                for s in samplers {
                    var cell = "—"
                    if let r = rows.first(where: { $0.problem == p && $0.sampler == s }),
                       let i = r.checkpoints.firstIndex(of: k), let m = r.log10_regret["median"]?[i] {
                        cell = String(format: "%.2f [%d]", m, r.seeds)
                        if intervals, k == r.budget, let finals = r.per_seed_final,
                           let ci = medianConfidenceInterval(finals) {
                            cell += String(format: " (%.2f, %.2f)", ci.lowerBound, ci.upperBound)
                        }
                    }
                    line += cell.padding(toLength: width, withPad: " ", startingAt: 0)
                }
                print(line)
            }
            print("")
        }
    }
}
