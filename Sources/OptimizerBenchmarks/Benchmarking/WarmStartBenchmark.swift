import Foundation
import Optimizer

/// `hdbench bench warm-start`: what a warm start from an earlier 50-trial sweep on the same
/// problem buys a new 50-trial Bayesian sweep, over seeds.
///
/// Per seed `s` (0..<seeds), all through ``Study`` with the Bayesian sampler's defaults:
///
/// - **cold-N**: a fresh study with seed `s`, N = ``budget`` trials (its first ``budget``/2 are
///   the cold run of half the budget, the usual comparison "no warm start").
/// - **warm**: a fresh study with seed `s`, warm-started (``Study/warmStart(with:source:)``) with
///   the first ``sourceTrials`` trials of the cold run of seed `(s + 1) mod seeds` — another
///   sweep on the same problem — then ``budget``/2 trials of its own. Its regret is reported
///   twice: over its own trials only (what the new sweep found) and with the source's trials.
///
/// Regret is log10(best noiseless value − optimum), floored at 1e-12, as ``QualityBenchmark``.
package struct WarmStartBenchmark: Sendable {
    package var problem: QualityProblem
    package var seeds: Int
    /// Trials of the longer cold run; the new sweep runs half of it.
    package var budget = 100
    /// Trials taken from the source sweep.
    package var sourceTrials = 50

    package init(problem: QualityProblem, seeds: Int) {
        self.problem = problem
        self.seeds = seeds
    }

    package struct Arm: Sendable, Codable {
        package var median: Double
        package var q25: Double
        package var q75: Double
        package var perSeed: [Double]

        init(_ values: [Double]) {
            perSeed = values
            median = quantile(values, 0.5)
            q25 = quantile(values, 0.25)
            q75 = quantile(values, 0.75)
        }

        enum CodingKeys: String, CodingKey {
            case median, q25, q75
            case perSeed = "per_seed"
        }
    }

    package struct Result: Sendable, Codable {
        package var problem: String
        package var seeds: Int
        package var sourceTrials: Int
        package var newTrials: Int
        /// log10 regret of the cold run after `newTrials` trials.
        package var coldShort: Arm
        /// log10 regret of the warm-started run's own `newTrials` trials.
        package var warm: Arm
        /// The same, counting the source's trials too.
        package var warmWithSource: Arm
        /// log10 regret of the cold run after `sourceTrials + newTrials` trials.
        package var coldLong: Arm
        /// Seeds where the warm run's own trials beat cold-short (strictly lower regret).
        package var warmBeatsColdShort: Int
        package var seconds: Double
        package var versions: [String: String]

        enum CodingKeys: String, CodingKey {
            case problem, seeds, seconds, versions
            case sourceTrials = "source_trials"
            case newTrials = "new_trials"
            case coldShort = "cold_short_log10_regret"
            case warm = "warm_log10_regret"
            case warmWithSource = "warm_with_source_log10_regret"
            case coldLong = "cold_long_log10_regret"
            case warmBeatsColdShort = "warm_beats_cold_short"
        }
    }

    /// The noiseless values of `count` trials of a Bayesian study with `seed`, warm-started with `warm`.
    func values(seed: Int, count: Int, warm: [WarmStartTrial]) throws -> (configurations: [Configuration], values: [Double]) {
        var study = try Study(space: problem.space, goal: .minimize, sampler: .bayesian(seed: UInt64(seed)))
        if !warm.isEmpty { try study.warmStart(with: warm, source: "seed \((seed + 1) % seeds)") }
        var configurations: [Configuration] = [], values: [Double] = []
        for _ in 0..<count {
            let trial = try study.ask()
            let value = problem.noiseless(trial.configuration)
            study.tell(trial, value: value)
            configurations.append(trial.configuration)
            values.append(value)
        }
        return (configurations, values)
    }

    package func run(progress: (String) -> Void = { _ in }) throws -> Result {
        let start = Date()
        let newTrials = budget - sourceTrials
        func regret(_ values: some Sequence<Double>) -> Double { log10(max((values.min() ?? .infinity) - problem.optimum, 1e-12)) }
        var cold: [(configurations: [Configuration], values: [Double])] = []
        for s in 0..<seeds {
            cold.append(try values(seed: s, count: budget, warm: []))
            progress("\(problem.name) seed \(s): cold \(budget) done")
        }
        var coldShort: [Double] = [], coldLong: [Double] = [], warm: [Double] = [], warmWithSource: [Double] = []
        for s in 0..<seeds {
            let source = cold[(s + 1) % seeds]
            let trials = zip(source.configurations, source.values).prefix(sourceTrials).map { WarmStartTrial(configuration: $0, value: $1) }
            let run = try values(seed: s, count: newTrials, warm: trials)
            coldShort.append(regret(cold[s].values.prefix(newTrials)))
            coldLong.append(regret(cold[s].values))
            warm.append(regret(run.values))
            warmWithSource.append(regret(run.values + source.values.prefix(sourceTrials)))
            progress("\(problem.name) seed \(s): warm done")
        }
        return Result(problem: problem.name, seeds: seeds, sourceTrials: sourceTrials, newTrials: newTrials,
                      coldShort: Arm(coldShort), warm: Arm(warm), warmWithSource: Arm(warmWithSource), coldLong: Arm(coldLong),
                      warmBeatsColdShort: zip(warm, coldShort).count { $0 < $1 },
                      seconds: Date().timeIntervalSince(start),
                      versions: ["hdbench": OptimizerLibrary.version, "blas": BLAS.configuration])
    }
}
