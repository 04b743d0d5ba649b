package import Foundation
package import Optimizer

/// A benchmark problem: a search space, an objective (possibly noisy) and the noiseless optimum
/// against which regret is measured. All problems are minimised.
package struct QualityProblem: Sendable {
    package var name: String
    package var space: SearchSpace
    /// f*, the noiseless global minimum.
    package var optimum: Double
    /// The noiseless objective of a configuration.
    package var noiseless: @Sendable (Configuration) -> Double
    /// Standard deviation of additive Gaussian observation noise (0 for noise-free problems).
    package var noiseStandardDeviation: Double = 0

    /// Every problem of the suite, by name: `branin`, `hartmann3`, `hartmann6`, `ackley5`,
    /// `ackley10`, `rosenbrock4`, `levy6`, `styblinski_tang8`, `mixed_hartmann6`, `noisy_hartmann6`
    /// (Hartmann-6 observed with N(0, 0.1²) noise, 7% of its variance over the cube) and
    /// `very_noisy_hartmann6` (N(0, 0.3²), 62%), then the ``largeNames``.
    package static let names = ["branin", "hartmann3", "hartmann6", "ackley5", "ackley10", "rosenbrock4",
                               "levy6", "styblinski_tang8", "mixed_hartmann6", "noisy_hartmann6",
                               "very_noisy_hartmann6"] + largeNames

    /// The problems of dimension 10–20, for budgets of 500–1,000: `ackley20`, `rosenbrock10`,
    /// `levy10`, `styblinski_tang20`, `hartmann6_in20` (Hartmann-6 in six of 20 coordinates,
    /// ``TestFunction/hartmann6In20``) and `noisy_hartmann6_in20` (the same observed with
    /// N(0, 0.1²) noise, regret on the noiseless value).
    package static let largeNames = ["ackley20", "rosenbrock10", "levy10", "styblinski_tang20", "hartmann6_in20",
                                     "noisy_hartmann6_in20"]

    /// The problem called `name`, or nil.
    package static func named(_ name: String) -> QualityProblem? {
        switch name {
        case "branin": return continuous(.branin)
        case "hartmann3": return continuous(.hartmann3)
        case "hartmann6": return continuous(.hartmann6)
        case "ackley5": return continuous(.ackley(5))
        case "ackley10": return continuous(.ackley(10))
        case "ackley20": return continuous(.ackley(20))
        case "rosenbrock4": return continuous(.rosenbrock(4))
        case "rosenbrock10": return continuous(.rosenbrock(10))
        case "levy6": return continuous(.levy(6))
        case "levy10": return continuous(.levy(10))
        case "styblinski_tang8": return continuous(.styblinskiTang(8))
        case "styblinski_tang20": return continuous(.styblinskiTang(20))
        case "hartmann6_in20": return continuous(.hartmann6In20)
        case "noisy_hartmann6", "very_noisy_hartmann6", "noisy_hartmann6_in20":
            var p = continuous(name == "noisy_hartmann6_in20" ? .hartmann6In20 : .hartmann6)
            p.name = name
            p.noiseStandardDeviation = name == "very_noisy_hartmann6" ? 0.3 : 0.1
            return p
        case "mixed_hartmann6": return mixedHartmann6
        default: return nil
        }
    }

    /// `x1 … xd` as uniform parameters over the function's domain.
    static func continuous(_ f: TestFunction) -> QualityProblem {
        let parameters = (0..<f.dimension).map {
            SearchSpace.Parameter(name: "x\($0 + 1)", expression: .uniform(f.lower[$0], f.upper[$0]))
        }
        let space = try! SearchSpace(parameters: parameters)
        return QualityProblem(name: f.name, space: space, optimum: f.minimum) { c in
            f.evaluate(c.values.map { $0.numericValue! })
        }
    }

    /// Hartmann-6 with mixed parameters (defined with the Python peers, Benchmarks/peers/README.md):
    /// x1…x4 uniform on [0, 1], k5, k6 integers in {0, …, 4} (randint(5)), and `shift` a choice
    /// of "a", "b", "c" meaning s = 0, 0.1, 0.2; value H6(x1−s, …, x4−s, k5/4−s, k6/4−s).
    /// Optimum −3.1328879327297 by brute force over the 75 discrete combinations with
    /// multistart L-BFGS-B over the floats.
    static let mixedHartmann6: QualityProblem = {
        var parameters = (1...4).map { SearchSpace.Parameter(name: "x\($0)", expression: .uniform(0, 1)) }
        parameters.append(.init(name: "k5", expression: .randint(upper: 5)))
        parameters.append(.init(name: "k6", expression: .randint(upper: 5)))
        parameters.append(.init(name: "shift", expression: .choice(["a", "b", "c"])))
        let space = try! SearchSpace(parameters: parameters)
        return QualityProblem(name: "mixed_hartmann6", space: space, optimum: -3.1328879327297) { c in
            let s: Double
            switch c["shift"] {
            case .string("b"): s = 0.1
            case .string("c"): s = 0.2
            default: s = 0
            }
            var x = (1...4).map { c["x\($0)"]!.numericValue! - s }
            x.append(c["k5"]!.numericValue! / 4 - s)
            x.append(c["k6"]!.numericValue! / 4 - s)
            return TestFunction.hartmann6.evaluate(x)
        }
    }()
}

/// `hdbench bench quality`: full in-process optimisations of a ``QualityProblem`` over several
/// seeds, reporting log10 simple regret at every 10 evaluations (the schema of
/// Benchmarks/peers/README.md, shared with the Python peers).
package struct QualityBenchmark: Sendable {
    package var problem: QualityProblem
    /// `random`, `sobol` or `bayesian`.
    package var sampler: String
    package var budget: Int
    package var seeds: Int
    /// Trials proposed before any of them is told (synchronous batches; pending for the sampler).
    package var concurrency = 1
    /// The Bayesian sampler's settings (defaults unless changed; results of changed settings
    /// are named `hdbench-bayesian[KEY=VALUE,…]`).
    package var bayesian = BayesianSetting.Settings()
    /// How the Bayesian sampler treats pending trials (overrides the settings' own strategy, so
    /// replacing ``bayesian`` never resets it).
    package var pendingStrategy = PendingStrategy.krigingBeliever

    package init(problem: QualityProblem, sampler: String, budget: Int, seeds: Int) {
        self.problem = problem
        self.sampler = sampler
        self.budget = budget
        self.seeds = seeds
    }

    /// The shared JSON result.
    package struct Result: Sendable, Codable {
        package struct Quantiles: Sendable, Codable {
            package var median: [Double]
            package var q25: [Double]
            package var q75: [Double]
        }
        package var problem: String
        package var sampler: String
        package var budget: Int
        package var seeds: Int
        package var concurrency: Int
        package var checkpoints: [Int]
        package var log10Regret: Quantiles
        package var perSeedFinal: [Double]
        package var secondsPerSuggestion: Double
        package var versions: [String: String]

        enum CodingKeys: String, CodingKey {
            case problem, sampler, budget, seeds, concurrency, checkpoints
            case log10Regret = "log10_regret"
            case perSeedFinal = "per_seed_final"
            case secondsPerSuggestion = "seconds_per_suggestion"
            case versions
        }
    }

    /// One suggestion of the Bayesian sampler's surrogate, as `hdbench bench quality --trace`
    /// writes it (one JSON object per line): what the model believed when it chose the point.
    /// Suggestions from the initial design and random fallbacks are not traced.
    package struct SuggestionTrace: Sendable, Codable, Equatable {
        package var seed: Int
        /// Trial index (0-based); also the number of trials proposed before it.
        package var trial: Int
        /// The point in the unit cube (the encoded configuration that runs).
        package var point: [Double]
        /// How many of its coordinates lie on a bound of the cube (within 1e-9 of 0 or 1).
        package var coordinatesOnBounds: Int
        /// Fitted length scales ℓ (one per coordinate), signal variance σ² and noise variance σ²ₙ,
        /// in the model's standardised units.
        package var lengthScales: [Double]
        package var signalVariance: Double
        package var noiseVariance: Double
        /// f*, the value EI improves on (``BayesianSuggestion/incumbent``).
        package var incumbent: Double
        /// The acquisition value at `point` (log EI by default); `nil` (JSON null) when the point
        /// was not scored (a trust region's random restart point).
        package var acquisition: Double?
        /// The objective's noiseless value at the configuration run.
        package var noiselessValue: Double

        enum CodingKeys: String, CodingKey {
            case seed, trial, point, incumbent, acquisition
            case coordinatesOnBounds = "coordinates_on_bounds"
            case lengthScales = "length_scales"
            case signalVariance = "signal_variance"
            case noiseVariance = "noise_variance"
            case noiselessValue = "noiseless_value"
        }
    }

    /// Checkpoints 10, 20, …, budget (budget appended when not a multiple of 10).
    package var checkpoints: [Int] {
        var c = Array(stride(from: 10, through: budget, by: 10))
        if c.last != budget { c.append(budget) }
        return c
    }

    func sampler(seed: UInt64) throws -> any Sampler {
        switch sampler {
        case "random": return try makeSampler(.random(seed: seed, rule: .random), space: problem.space)
        case "sobol": return try makeSampler(.random(seed: seed, rule: .sobol), space: problem.space)
        case "bayesian":
            var settings = bayesian
            settings.options.pendingStrategy = pendingStrategy
            return settings.sampler(space: problem.space, seed: seed)
        default: throw ConfigurationError(path: "--sampler", message: "'\(sampler)' is not a sampler; use random, sobol or bayesian")
        }
    }

    /// Runs one seed: the best noiseless value after each evaluation, and sampler seconds.
    /// `trace`, when given, receives every suggestion the Bayesian sampler's surrogate made.
    package func runSeed(_ seed: Int, trace: ((SuggestionTrace) -> Void)? = nil) throws -> (bestSoFar: [Double], samplerSeconds: Double) {
        var s = try sampler(seed: UInt64(seed))
        var ledger = TrialLedger(goal: .minimize)
        var best = Double.infinity
        var bestSoFar: [Double] = []
        var noise = SplitMix64(seed: 1_000_003 &+ UInt64(seed), stream: 17)
        let clock = ContinuousClock()
        var samplerTime = Duration.zero
        while ledger.entries.count < budget {
            var batch: [Int] = []
            for _ in 0..<min(concurrency, budget - ledger.entries.count) {
                let start = clock.now
                let next = try s.suggest(history: ledger.history, trialIndex: ledger.nextProposal)
                samplerTime += clock.now - start
                guard let configuration = next else { break }
                if let trace, let model = (s as? BayesianSampler)?.lastModelSuggestion {
                    let h = model.hyperparameters
                    trace(SuggestionTrace(seed: seed, trial: ledger.nextProposal, point: model.point,
                                          coordinatesOnBounds: model.point.filter { $0 <= 1e-9 || $0 >= 1 - 1e-9 }.count,
                                          lengthScales: h.logLengthScales.map { exp($0) }, signalVariance: exp(h.logSignalVariance),
                                          noiseVariance: exp(h.logNoiseVariance), incumbent: model.incumbent,
                                          acquisition: model.acquisitionValue.isFinite ? model.acquisitionValue : nil, noiselessValue: problem.noiseless(configuration)))
                }
                batch.append(ledger.add(configuration, state: .running))
            }
            if batch.isEmpty { break }
            for i in batch {
                let clean = problem.noiseless(ledger.entries[i].configuration)
                let observed = clean + problem.noiseStandardDeviation * standardNormal(using: &noise)
                ledger.finish(i, state: .completed, finalValue: observed)
                best = min(best, clean)
                bestSoFar.append(best)
            }
        }
        return (bestSoFar, BayesianOptimizer.seconds(samplerTime))
    }

    /// One finished seed, as a line of the per-seed log (the keys of the Python peers' raw
    /// files, `Benchmarks/peers/results/quality/raw/*.jsonl`).
    package struct SeedRecord: Sendable, Codable, Equatable {
        package var seed: Int
        package var budget: Int
        /// The best noiseless value after each evaluation.
        package var bestTrueSoFar: [Double]
        /// Seconds inside the sampler over the whole run.
        package var suggestSecondsTotal: Double

        enum CodingKeys: String, CodingKey {
            case seed, budget
            case bestTrueSoFar = "best_true_so_far"
            case suggestSecondsTotal = "suggest_seconds_total"
        }
    }

    /// The result's sampler name: `hdbench-<sampler>`, `-ignore-pending` for that strategy, the
    /// changed settings in brackets, `-c<C>` above concurrency 1.
    package var resultName: String {
        var name = sampler == "bayesian" && pendingStrategy == .ignore ? "hdbench-bayesian-ignore-pending" : "hdbench-\(sampler)"
        if sampler == "bayesian", !bayesian.assignments.isEmpty { name += "[\(bayesian.assignments.joined(separator: ","))]" }
        return concurrency > 1 ? "\(name)-c\(concurrency)" : name
    }

    /// The records of a per-seed log by seed (none when the file does not exist).
    /// - Throws: ``ConfigurationError`` naming the file and line of a record that is not JSON of
    ///   ``SeedRecord`` or whose budget or curve length is not this benchmark's budget.
    package func readLog(_ url: URL) throws -> [Int: SeedRecord] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        var records: [Int: SeedRecord] = [:]
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            let path = "\(url.path):\(number + 1)"
            guard let record = try? JSONDecoder().decode(SeedRecord.self, from: Data(line.utf8)) else {
                throw ConfigurationError(path: path, message: "not a seed record (JSON with seed, budget, best_true_so_far, suggest_seconds_total)")
            }
            guard record.budget == budget, record.bestTrueSoFar.count == budget else {
                throw ConfigurationError(path: path, message: "seed \(record.seed) has budget \(record.budget) and \(record.bestTrueSoFar.count) values; this run's budget is \(budget)")
            }
            records[record.seed] = record
        }
        return records
    }

    /// Runs every seed; `trace` as in ``runSeed(_:trace:)``. With `log`, seeds already recorded
    /// there are not re-run (nor traced) and every seed run is appended to it as one JSON line
    /// as soon as it ends, so an interrupted benchmark resumes where it stopped.
    package func run(trace: ((SuggestionTrace) -> Void)? = nil, log: URL? = nil) throws -> Result {
        var done = try log.map(readLog) ?? [:]
        for seed in 0..<seeds where done[seed] == nil {
            let (curve, time) = try runSeed(seed, trace: trace)
            let record = SeedRecord(seed: seed, budget: budget, bestTrueSoFar: curve, suggestSecondsTotal: time)
            if let log { try Self.append(record, to: log) }
            done[seed] = record
        }
        let records = (0..<seeds).map { done[$0]! }
        let perSeed = records.map { $0.bestTrueSoFar.map { log10(max($0 - problem.optimum, 1e-12)) } }
        let seconds = records.map(\.suggestSecondsTotal).reduce(0, +)
        let points = checkpoints
        func column(_ k: Int) -> [Double] { perSeed.map { $0[min(k, $0.count) - 1] } }
        return Result(problem: problem.name, sampler: resultName, budget: budget, seeds: seeds, concurrency: concurrency,
                      checkpoints: points,
                      log10Regret: .init(median: points.map { quantile(column($0), 0.5) },
                                         q25: points.map { quantile(column($0), 0.25) },
                                         q75: points.map { quantile(column($0), 0.75) }),
                      perSeedFinal: column(budget), secondsPerSuggestion: seconds / Double(max(seeds * budget, 1)),
                      versions: ["hdbench": OptimizerLibrary.version, "blas": BLAS.configuration])
    }

    static func append(_ record: SeedRecord, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line = try encoder.encode(record)
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw ConfigurationError(path: url.path, message: "cannot create the per-seed log")
            }
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }
}

/// Linear-interpolation quantile (NumPy's default), so both sides summarise seeds alike.
func quantile(_ xs: [Double], _ q: Double) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    let h = Double(s.count - 1) * q
    let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
    return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
}
