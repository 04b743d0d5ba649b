import Foundation
import Testing
@testable import Optimizer
import TestSupport
@testable import OptimizerBenchmarks

/// The quality benchmark's problems agree with the Python peers' definitions (fixture from
/// `Fixtures/generate_problems.py`), reach their stated optima, and runs are reproducible.
@Suite struct QualityBenchmarkTests {
    static func fixture() throws -> [String: Any] {
        let url = SpaceTestSupport.fixtures.appendingPathComponent("problems.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// A configuration of `problem` from the fixture's `{name: value}` object.
    static func configuration(_ object: Any, of problem: QualityProblem) throws -> Configuration {
        let values = try #require(object as? [String: Any])
        var out: [ParameterValue] = []
        for parameter in problem.space.parameters {
            let raw = try #require(values[parameter.name], "\(problem.name): no \(parameter.name)")
            switch parameter.expression {
            case .randint: out.append(.int(try #require(raw as? Int)))
            case .choice: out.append(.string(try #require(raw as? String)))
            default: out.append(.double(try #require((raw as? NSNumber)?.doubleValue)))
            }
        }
        return Configuration(names: problem.space.parameters.map(\.name), values: out)
    }

    /// Same formulas in another language: the values may differ only by rounding in a different
    /// summation order (1e-12 relative, 1e-12 absolute near Ackley's and Levy's zero).
    static func agree(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-12 + 1e-12 * max(abs(a), abs(b))
    }

    @Test(arguments: QualityProblem.names)
    func problemMatchesThePythonPeers(name: String) throws {
        let problem = try #require(QualityProblem.named(name))
        let entry = try #require((try Self.fixture()["problems"] as? [String: Any])?[name] as? [String: Any])
        let optimum = try #require(entry["optimum"] as? Double)
        // The same number to a few ulps (Branin's differs by 8e-16: 5/(4π) computed on each
        // side); regret is floored at 1e-12, so both sides' regrets agree.
        #expect(Self.agree(problem.optimum, optimum), "\(problem.optimum) vs \(optimum)")
        #expect(problem.noiseStandardDeviation == (entry["noise_sd"] as? Double ?? -1))
        let points = try #require(entry["points"] as? [Any])
        let values = try #require(entry["values"] as? [Double])
        #expect(points.count == values.count && !points.isEmpty)
        for (point, expected) in zip(points, values) {
            let c = try Self.configuration(point, of: problem)
            let v = problem.noiseless(c)
            #expect(Self.agree(v, expected), "\(name) at \(c): Swift \(v), Python \(expected)")
            #expect(v >= problem.optimum, "\(name): \(v) below the stated optimum")
        }
        // The documented minimiser attains the optimum regret is measured against (to the
        // minimiser's printed digits).
        let atMinimiser = problem.noiseless(try Self.configuration(try #require(entry["minimiser"]), of: problem))
        #expect(Self.agree(atMinimiser, try #require(entry["minimiser_value"] as? Double)))
        #expect(abs(atMinimiser - problem.optimum) < 1e-9, "\(name): f(x*) = \(atMinimiser), optimum \(problem.optimum)")
    }

    @Test func regretQuantilesAreNumPys() throws {
        let cases = try #require(try Self.fixture()["quantiles"] as? [[String: Any]])
        #expect(cases.count == 12)
        for c in cases {
            let xs = try #require(c["xs"] as? [Double]), q = try #require(c["q"] as? Double)
            let expected = try #require(c["value"] as? Double)
            #expect(abs(quantile(xs, q) - expected) <= 1e-14 * max(1, abs(expected)), "\(xs) q=\(q)")
        }
    }

    /// Same seed, same regret curves, for every sampler (the timing field aside); a different
    /// seed gives a different run.
    @Test(arguments: ["random", "sobol", "bayesian"])
    func runsAreDeterministicForASeed(sampler: String) throws {
        let problem = try #require(QualityProblem.named("noisy_hartmann6"))
        let bench = QualityBenchmark(problem: problem, sampler: sampler, budget: 16, seeds: 2)
        let a = try bench.run(), b = try bench.run()
        #expect(a.perSeedFinal == b.perSeedFinal)
        #expect(a.log10Regret.median == b.log10Regret.median && a.log10Regret.q25 == b.log10Regret.q25)
        #expect(a.checkpoints == [10, 16])
        let first = try bench.runSeed(0).bestSoFar, second = try bench.runSeed(1).bestSoFar
        #expect(first != second)
        #expect(first.count == 16 && zip(first, first.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func settingsMapOntoTheSamplerOptions() throws {
        let s = try BayesianSetting.parse([
            "initial_design=7", "length_scale_prior_loc=-1", "length_scale_prior_scale=2", "noise_prior_loc=-3",
            "noise_prior_scale=0.5", "signal_prior_loc=0.5", "signal_prior_scale=3", "warm_starts=3", "cold_starts=4",
            "candidates=512", "restarts=0", "acquisition=ei", "output_warping=none", "discrete_search=off",
            "initial_points=random", "incumbent_shrinkage=0.25", "prior_mean=average", "trust_region=on",
            "trust_region_threshold=150", "trust_region_local=64", "trust_region_restart=new_region", "trust_region_design=5",
            "trust_region_prior_mean=average",
        ])
        #expect(s.initialDesign == .random && s.options.incumbentShrinkage == 0.25)
        #expect(s.initialDesignSize == 7 && !s.searchesDiscreteCoordinates)
        let prior = s.options.fit.prior
        #expect(prior.lengthScaleLocationOffset == -1 && prior.lengthScaleScale == 2)
        #expect(prior.logNoiseLocation == -3 && prior.logNoiseScale == 0.5)
        #expect(prior.logSignalLocation == 0.5 && prior.logSignalScale == 3)
        #expect(s.options.fit.warmStarts == 3 && s.options.fit.coldStarts == 4)
        #expect(s.options.acquisition.candidateCount == 512 && s.options.acquisition.restartCount == 0)
        #expect(!s.options.logExpectedImprovement && s.options.outputWarping == .none)
        #expect(s.options.priorMean == .average && BayesianOptimizerOptions().priorMean == .worstObserved)
        let sampler = s.sampler(space: try #require(QualityProblem.named("branin")).space, seed: 1)
        #expect(sampler.initialDesignSize == 7 && !sampler.searchesDiscreteCoordinates && sampler.initialDesign == .random)
        #expect(sampler.optimizer.options.incumbentShrinkage == 0.25)
        #expect(s.options.trustRegion.isEnabled && !BayesianOptimizerOptions().trustRegion.isEnabled)
        #expect(sampler.optimizer.options.trustRegion.isEnabled)
        let region = sampler.optimizer.options.trustRegion
        #expect(region.threshold == 150 && region.localModelSize == 64 && region.restart == .newRegion && region.restartDesignSize == 5 && region.localPriorMean == .average)
        #expect(try BayesianSetting.parse(["trust_region_local=off"]).options.trustRegion.localModelSize == nil)
        #expect(BayesianSetting.keys.count == 23)
        // The help quotes the defaults the option types hold.
        #expect(BayesianSetting.keys.first { $0.key == "noise_prior_loc" }?.value == "mean of log σ²ₙ (default −6)")
        #expect(BayesianSetting.keys.first { $0.key == "incumbent_shrinkage" }?.value.hasSuffix("(default 0.75)") == true)
        #expect(BayesianSetting.keys.first { $0.key == "prior_mean" }?.value.hasSuffix("average or worst_observed (default)") == true)
    }

    @Test func badSettingsAreAllReportedByKey() {
        do {
            _ = try BayesianSetting.parse(["nope=1", "candidates=0", "noise_prior_scale=-1", "acquisition=ucb", "x", "noise_prior_loc=nan",
                                           "incumbent_shrinkage=1.5", "initial_points=halton"])
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map(\.path) == ["--set nope", "--set candidates", "--set noise_prior_scale",
                                                    "--set acquisition", "--set", "--set noise_prior_loc",
                                                    "--set incumbent_shrinkage", "--set initial_points"])
            #expect(error.description.contains("unknown setting; known: initial_design"))
        }
    }

    /// A changed setting changes the run and its name; the defaults keep the plain name.
    @Test func settingsChangeTheRunAndItsName() throws {
        let problem = try #require(QualityProblem.named("branin"))
        var bench = QualityBenchmark(problem: problem, sampler: "bayesian", budget: 14, seeds: 1)
        let plain = try bench.run()
        bench.bayesian = try BayesianSetting.parse(["initial_design=4"])
        let changed = try bench.run()
        #expect(plain.sampler == "hdbench-bayesian")
        #expect(changed.sampler == "hdbench-bayesian[initial_design=4]")
        #expect(try bench.runSeed(0).bestSoFar != (try QualityBenchmark(problem: problem, sampler: "bayesian", budget: 14, seeds: 1).runSeed(0).bestSoFar))
    }

    /// The pending strategy is the benchmark's own: replacing the settings afterwards keeps it.
    @Test func pendingStrategySurvivesNewSettings() throws {
        let problem = try #require(QualityProblem.named("branin"))
        var first = QualityBenchmark(problem: problem, sampler: "bayesian", budget: 16, seeds: 1)
        first.concurrency = 3
        first.pendingStrategy = .ignore
        first.bayesian = try BayesianSetting.parse(["initial_design=4"])
        var second = QualityBenchmark(problem: problem, sampler: "bayesian", budget: 16, seeds: 1)
        second.concurrency = 3
        second.bayesian = try BayesianSetting.parse(["initial_design=4"])
        second.pendingStrategy = .ignore
        let a = try first.run(), b = try second.run()
        #expect(a.sampler == "hdbench-bayesian-ignore-pending[initial_design=4]-c3" && a.sampler == b.sampler)
        #expect(a.perSeedFinal == b.perSeedFinal)
        second.pendingStrategy = .krigingBeliever
        #expect(try second.runSeed(0).bestSoFar != (try first.runSeed(0).bestSoFar))
    }

    /// The trace holds one record per suggestion of the surrogate (none from the initial
    /// design), and each record agrees with the run: the point decodes to a configuration whose
    /// noiseless value is the one recorded and which updates the best-so-far curve, the bound
    /// count matches the point, and the hyperparameters have one length scale per coordinate.
    @Test func traceRecordsEverySuggestionOfTheSurrogate() throws {
        let problem = try #require(QualityProblem.named("hartmann6"))
        let bench = QualityBenchmark(problem: problem, sampler: "bayesian", budget: 14, seeds: 2)
        var records: [QualityBenchmark.SuggestionTrace] = []
        let result = try bench.run { records.append($0) }
        #expect(records.map(\.seed) == [0, 0, 0, 0, 1, 1, 1, 1])
        #expect(records.map(\.trial) == [10, 11, 12, 13, 10, 11, 12, 13])
        let encoding = SearchSpaceEncoding(problem.space)
        for seed in 0..<2 {
            let curve = try bench.runSeed(seed).bestSoFar
            #expect(log10(curve[13] - problem.optimum) == result.perSeedFinal[seed])
            for r in records where r.seed == seed {
                #expect(r.point.count == 6 && r.point.allSatisfy { (0...1).contains($0) })
                #expect(r.coordinatesOnBounds == r.point.filter { $0 <= 1e-9 || $0 >= 1 - 1e-9 }.count)
                #expect(r.lengthScales.count == 6 && r.signalVariance > 0 && r.noiseVariance > 0)
                #expect((r.acquisition?.isFinite ?? false) && r.incumbent.isFinite)
                #expect(r.noiselessValue == problem.noiseless(encoding.decode(r.point)))
                #expect(curve[r.trial] == min(curve[r.trial - 1], r.noiselessValue))
            }
        }
        var random = bench
        random.sampler = "random"
        var none = 0
        _ = try random.run { _ in none += 1 }
        #expect(none == 0)
    }

    /// The per-seed log: a second run re-runs nothing and agrees with the first; a recorded seed
    /// is taken from the log, not re-run; the seeds missing are run and appended.
    @Test func perSeedLogResumesAnInterruptedRun() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hdbench-seedlog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("branin.jsonl")
        let problem = try #require(QualityProblem.named("branin"))
        var bench = QualityBenchmark(problem: problem, sampler: "random", budget: 12, seeds: 2)
        let plain = try bench.run()
        let first = try bench.run(log: log)
        #expect(first.perSeedFinal == plain.perSeedFinal && first.log10Regret.median == plain.log10Regret.median)
        #expect(try bench.readLog(log).keys.sorted() == [0, 1])
        // A made-up record for seed 0 stands in for a finished seed: it is used as it is.
        let madeUp = QualityBenchmark.SeedRecord(seed: 0, budget: 12, bestTrueSoFar: Array(repeating: problem.optimum + 0.5, count: 12),
                                                 suggestSecondsTotal: 7)
        try FileManager.default.removeItem(at: log)
        try QualityBenchmark.append(madeUp, to: log)
        bench.seeds = 3
        let resumed = try bench.run(log: log)
        #expect(resumed.perSeedFinal[0] == log10(0.5))
        #expect(Array(resumed.perSeedFinal[1...]) == Array(try bench.run().perSeedFinal[1...]))
        let records = try bench.readLog(log)
        #expect(records.keys.sorted() == [0, 1, 2] && records[0] == madeUp)
        #expect(resumed.secondsPerSuggestion >= 7.0 / 36)
        #expect(try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count == 3)
    }

    /// A damaged line or a record of another budget is named by file and line before any seed runs.
    @Test func damagedPerSeedLogIsReportedByLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hdbench-seedlog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("branin.jsonl")
        let bench = QualityBenchmark(problem: try #require(QualityProblem.named("branin")), sampler: "random", budget: 4, seeds: 2)
        let good = #"{"seed": 0, "budget": 4, "best_true_so_far": [3, 2, 1, 1], "suggest_seconds_total": 0.1}"#
        for (bad, message) in [("{\"seed\": 1", "not a seed record"),
                               (#"{"seed": 1, "budget": 5, "best_true_so_far": [3, 2, 1, 1, 1], "suggest_seconds_total": 0.1}"#,
                                "seed 1 has budget 5 and 5 values; this run's budget is 4")] {
            try Data("\(good)\n\n\(bad)\n".utf8).write(to: log)
            do {
                _ = try bench.run(log: log)
                Issue.record("expected an error for \(bad)")
            } catch let error as ConfigurationError {
                #expect(error.problems.first?.path == "\(log.path):3")
                #expect(error.description.contains(message), "\(error.description)")
            } catch {
                Issue.record("unexpected \(error)")
            }
            #expect(try String(contentsOf: log, encoding: .utf8) == "\(good)\n\n\(bad)\n")
        }
    }
}
