import Foundation
package import Optimizer

// Bayesian sampling together with an early-termination policy (HyperDriveSemantics.md §Extensions
// beyond Azure), measured in process on synthetic learning curves: does a surrogate that sees
// stopped trials' partial values beat random sampling under the same policy, and how should those
// partial values enter it?
//
// Notation: θ a configuration; t = 1…T the report number (T = reportCount); a(θ) the
// curve's plateau, τ(θ) its time constant in reports; ε_t ~ N(0, σ²) independent noise.
//
// Layering: this file drives samplers (including the Bayesian one) and policies together, so it
// sits above both; it lives beside the policies only because it measures them.

/// A synthetic learning-curve problem with four hyperparameters (maximised):
///
/// ```
/// y_t(θ) = a(θ) · (1 − exp(−t/τ(θ))) + ε_t,    ε_t ~ N(0, σ²),  t = 1…T
///
/// θ = (log10_lr ∈ [−5, −1], width ∈ [0, 1], dropout ∈ [0, 0.6], warmup ∈ [0, 1]), all uniform
/// u = (log10_lr + 5)/4                                        (0 = smallest, 1 = largest rate)
/// a(θ) = max(0.05, 0.95 − 0.35·((log10_lr + 3)/2)² − 0.15·(1 − width)² − 0.4·(dropout − 0.2)² + 0.03·warmup)
/// τ(θ) = 2 + 10·(1 − u)² + 4·width + 6·warmup                 (reports)
/// ```
///
/// The best plateaus (log10_lr ≈ −3, wide, dropout 0.2, warm-up on) belong to slow learners,
/// so early reports mislead a policy exactly where it matters: the problem is built to punish
/// stopping too eagerly, as real curves do (warm-up, wider networks).
package struct LearningCurveProblem: Sendable {
    /// `log10_lr`, `width`, `dropout`, `warmup`.
    package let space: SearchSpace
    /// T, reports per trial.
    package var reportCount = 30
    /// σ of the per-report noise.
    package var noiseStandardDeviation = 0.01

    /// The problem with T = 30 and σ = 0.01.
    package init() {
        space = try! SearchSpace(parameters: [  // literal, valid bounds
            .init(name: "log10_lr", expression: .uniform(-5, -1)),
            .init(name: "width", expression: .uniform(0, 1)),
            .init(name: "dropout", expression: .uniform(0, 0.6)),
            .init(name: "warmup", expression: .uniform(0, 1)),
        ])
    }

    private func parameters(_ configuration: Configuration) -> (logRate: Double, width: Double, dropout: Double, warmup: Double) {
        func value(_ name: String) -> Double {
            guard let number = configuration[name]?.numericValue else {
                preconditionFailure("LearningCurveProblem: configuration \(configuration) has no numeric \(name)")
            }
            return number
        }
        return (value("log10_lr"), value("width"), value("dropout"), value("warmup"))
    }

    /// a(θ), the plateau.
    package func plateau(_ configuration: Configuration) -> Double {
        let p = parameters(configuration)
        let rate = (p.logRate + 3) / 2
        let a = 0.95 - 0.35 * rate * rate - 0.15 * (1 - p.width) * (1 - p.width)
            - 0.4 * (p.dropout - 0.2) * (p.dropout - 0.2) + 0.03 * p.warmup
        return max(0.05, a)
    }

    /// τ(θ), the time constant in reports.
    package func timeConstant(_ configuration: Configuration) -> Double {
        let p = parameters(configuration)
        let u = (p.logRate + 5) / 4
        return 2 + 10 * (1 - u) * (1 - u) + 4 * p.width + 6 * p.warmup
    }

    /// The noiseless value a(θ)(1 − e^{−t/τ(θ)}) at report `t` (1-based).
    package func mean(_ configuration: Configuration, report t: Int) -> Double {
        plateau(configuration) * (1 - exp(-Double(t) / timeConstant(configuration)))
    }
}

/// One way of running a sweep in ``PolicyBenchmark``: a sampler, a policy and, for the
/// Bayesian sampler, how stopped trials' partial values enter the surrogate.
package struct PolicyBenchmarkArm: Sendable {
    /// The sampler kind.
    package enum SamplerKind: String, Sendable, Hashable, Codable {
        /// ``RandomSampler``.
        case random
        /// ``BayesianSampler``, with the arm's ``PolicyBenchmarkArm/partialObservations``.
        case bayesian
    }

    /// A short label, e.g. `bayesian+median(1,5) floor`.
    package var name: String
    /// Random or Bayesian sampling.
    package var sampler: SamplerKind
    /// The early-termination policy.
    package var policy: any EarlyTerminationPolicy
    /// How the Bayesian sampler treats stopped trials (ignored by random sampling).
    package var partialObservations: BayesianSampler.PartialObservationHandling

    /// An arm.
    package init(name: String, sampler: SamplerKind, policy: any EarlyTerminationPolicy,
                partialObservations: BayesianSampler.PartialObservationHandling = .floorAtWorstCompleted) {
        self.name = name
        self.sampler = sampler
        self.policy = policy
        self.partialObservations = partialObservations
    }

    /// The comparison of `hdbench bench policies`: random+none, random+median(1,5),
    /// bayesian+median(1,5) with partial values floored at the worst completed trial,
    /// bayesian+median(1,5) with partial values as they are, and bayesian+none for reference.
    package static let standard: [PolicyBenchmarkArm] = {
        let median = MedianStoppingPolicy(evaluationInterval: 1, delayEvaluation: 5)
        return [
            PolicyBenchmarkArm(name: "random+none", sampler: .random, policy: NoTerminationPolicy()),
            PolicyBenchmarkArm(name: "random+median(1,5)", sampler: .random, policy: median),
            PolicyBenchmarkArm(name: "bayesian+median(1,5) floor", sampler: .bayesian, policy: median, partialObservations: .floorAtWorstCompleted),
            PolicyBenchmarkArm(name: "bayesian+median(1,5) as-is", sampler: .bayesian, policy: median, partialObservations: .asIs),
            PolicyBenchmarkArm(name: "bayesian+none", sampler: .bayesian, policy: NoTerminationPolicy()),
        ]
    }()
}

/// Simulated sweeps on a ``LearningCurveProblem``: `budget` trials, `concurrency` at once, each
/// reporting T times unless the policy stops it, over seeds 0..<`seeds`.
///
/// The simulation is event-driven, in process and deterministic: trial i reports every s_i
/// time units (s_i ~ U(0.8, 1.2) from (seed, i)), reports are processed in time order (ties:
/// lower trial first) and each goes through a ``TrialLedger`` holding every trial's curve;
/// a freed slot is refilled at once by asking the sampler with the history at that moment
/// (running trials pending, stopped ones ``SamplerObservation/isPartial`` with their best value
/// so far, as ``SweepRunner`` does). Noise and speeds depend only on (seed, trial index), so
/// arms are paired: random arms propose the same configurations under every policy.
///
/// Measured per run: the best recorded value (the sweep's winner, as it would be ranked), the
/// noiseless final value a(θ)(1 − e^{−T/τ}) of that winner (what the user really gets), the
/// reports consumed (compute), the trials stopped, and the simulated makespan.
package struct PolicyBenchmark: Sendable {
    /// The problem.
    package var problem = LearningCurveProblem()
    /// Trials per sweep.
    package var budget = 60
    /// Trials at once.
    package var concurrency = 4
    /// Runs per arm: seeds 0..<seeds.
    package var seeds = 10
    /// What is compared.
    package var arms = PolicyBenchmarkArm.standard

    /// The default benchmark (60 trials, 4 at once, 10 seeds, the standard arms).
    package init() {}

    /// One simulated sweep.
    package struct Run: Sendable, Codable, Equatable {
        /// The seed.
        package var seed: Int
        /// The best recorded value of the sweep.
        package var bestValue: Double
        /// The noiseless final value (report T) of the trial holding `bestValue`.
        package var bestTrueFinal: Double
        /// Primary-metric reports consumed by all trials.
        package var reports: Int
        /// Trials the policy stopped.
        package var stopped: Int
        /// Simulated time until the last trial ended.
        package var makespan: Double

        enum CodingKeys: String, CodingKey {
            case seed, reports, stopped, makespan
            case bestValue = "best_value"
            case bestTrueFinal = "best_true_final"
        }
    }

    /// One arm over every seed.
    package struct ArmResult: Sendable, Codable, Equatable {
        /// The arm's name.
        package var arm: String
        /// The policy's description.
        package var policy: String
        /// Median over seeds of the best recorded value.
        package var medianBestValue: Double
        /// Median over seeds of the winner's noiseless final value.
        package var medianBestTrueFinal: Double
        /// 25th and 75th percentile of the winner's noiseless final value.
        package var bestTrueFinalQ25: Double
        /// See ``bestTrueFinalQ25``.
        package var bestTrueFinalQ75: Double
        /// Median over seeds of the reports consumed.
        package var medianReports: Double
        /// Median reports as a percentage of budget · T (every trial run to the end).
        package var medianReportsPercent: Double
        /// Median over seeds of the trials stopped.
        package var medianStopped: Double
        /// Median simulated makespan.
        package var medianMakespan: Double
        /// Wall seconds spent by the sampler, all seeds.
        package var samplerSeconds: Double
        /// Every run.
        package var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case arm, policy, runs
            case medianBestValue = "median_best_value"
            case medianBestTrueFinal = "median_best_true_final"
            case bestTrueFinalQ25 = "best_true_final_q25"
            case bestTrueFinalQ75 = "best_true_final_q75"
            case medianReports = "median_reports"
            case medianReportsPercent = "median_reports_percent"
            case medianStopped = "median_stopped"
            case medianMakespan = "median_makespan"
            case samplerSeconds = "sampler_seconds"
        }
    }

    /// The whole comparison.
    package struct Result: Sendable, Codable, Equatable {
        /// Trials per sweep.
        package var budget: Int
        /// Trials at once.
        package var concurrency: Int
        /// Reports per complete trial (T).
        package var reportCount: Int
        /// Seeds 0..<seeds.
        package var seeds: Int
        /// One entry per arm, in the order run.
        package var arms: [ArmResult]
        /// `hdbench` version and BLAS configuration.
        package var versions: [String: String]

        enum CodingKeys: String, CodingKey {
            case budget, concurrency, seeds, arms, versions
            case reportCount = "report_count"
        }
    }

    /// Runs every arm over every seed.
    package func run() -> Result {
        let results = arms.map { arm in
            var runs: [Run] = []
            var samplerSeconds = 0.0
            for seed in 0..<seeds {
                let (run, seconds) = self.run(arm, seed: seed)
                runs.append(run)
                samplerSeconds += seconds
            }
            return summarize(arm, runs: runs, samplerSeconds: samplerSeconds)
        }
        return Result(budget: budget, concurrency: concurrency, reportCount: problem.reportCount, seeds: seeds,
                      arms: results, versions: ["hdbench": OptimizerLibrary.version, "blas": BLAS.configuration])
    }

    /// The summary of one arm's runs.
    func summarize(_ arm: PolicyBenchmarkArm, runs: [Run], samplerSeconds: Double) -> ArmResult {
        let reports = quantile(runs.map { Double($0.reports) }, 0.5)
        let finals = runs.map(\.bestTrueFinal)
        return ArmResult(
            arm: arm.name, policy: arm.policy.description,
            medianBestValue: quantile(runs.map(\.bestValue), 0.5),
            medianBestTrueFinal: quantile(finals, 0.5),
            bestTrueFinalQ25: quantile(finals, 0.25), bestTrueFinalQ75: quantile(finals, 0.75),
            medianReports: reports, medianReportsPercent: 100 * reports / Double(budget * problem.reportCount),
            medianStopped: quantile(runs.map { Double($0.stopped) }, 0.5),
            medianMakespan: quantile(runs.map(\.makespan), 0.5),
            samplerSeconds: samplerSeconds, runs: runs)
    }

    private struct RunningTrial {
        var index: Int
        var start: Double
        var secondsPerReport: Double
        var noise: [Double]
        var reported = 0
        var nextTime: Double { start + Double(reported + 1) * secondsPerReport }
    }

    /// One simulated sweep of `arm` with `seed`, and the sampler's wall seconds.
    package func run(_ arm: PolicyBenchmarkArm, seed: Int) -> (run: Run, samplerSeconds: Double) {
        var sampler: any Sampler
        switch arm.sampler {
        case .random:
            sampler = RandomSampler(space: problem.space, seed: UInt64(seed))
        case .bayesian:
            var bayesian = BayesianSampler(space: problem.space, seed: UInt64(seed))
            bayesian.partialObservations = arm.partialObservations
            sampler = bayesian
        }
        let goal = PrimaryMetricGoal.maximize
        var ledger = TrialLedger(goal: goal)
        var running: [RunningTrial] = []
        var reports = 0
        var now = 0.0
        var samplerTime = Duration.zero
        let clock = ContinuousClock()

        func fillSlots() {
            while running.count < concurrency && ledger.entries.count < budget {
                let index = ledger.nextProposal
                let started = clock.now
                let suggestion = try? sampler.suggest(history: ledger.history, trialIndex: index)
                samplerTime += clock.now - started
                guard let configuration = suggestion else { return }
                var rng = SplitMix64(seed: UInt64(seed) &+ 0x5EED_CAFE, stream: UInt64(index))
                let secondsPerReport = 0.8 + 0.4 * Double.random(in: 0..<1, using: &rng)
                let noise = (0..<problem.reportCount).map { _ in problem.noiseStandardDeviation * standardNormal(using: &rng) }
                ledger.add(configuration, state: .running)
                running.append(RunningTrial(index: index, start: now, secondsPerReport: secondsPerReport, noise: noise))
            }
        }

        fillSlots()
        while !running.isEmpty {
            let next = running.indices.min { (running[$0].nextTime, running[$0].index) < (running[$1].nextTime, running[$1].index) }!
            var trial = running[next]
            now = trial.nextTime
            trial.reported += 1
            reports += 1
            let value = problem.mean(ledger.entries[trial.index].configuration, report: trial.reported) + trial.noise[trial.reported - 1]
            let decision = ledger.report(trial.index, value: value, policy: arm.policy)
            if decision.shouldStop || trial.reported == problem.reportCount {
                if !decision.shouldStop { ledger.finish(trial.index, state: .completed) }
                running.remove(at: next)
                fillSlots()
            } else {
                running[next] = trial
            }
        }

        let winner = ledger.best
        let trueFinal = winner.map { problem.mean(ledger.entries[$0.id].configuration, report: problem.reportCount) } ?? .nan
        let run = Run(seed: seed, bestValue: winner?.value ?? .nan, bestTrueFinal: trueFinal, reports: reports,
                      stopped: ledger.entries.count(where: { $0.state == .stopped }), makespan: now)
        return (run, BayesianOptimizer.seconds(samplerTime))
    }
}
