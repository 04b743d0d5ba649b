import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Bayesian sampling with an early-termination policy (SPEC §8): stopped trials reach the
/// sampler flagged partial, and the Bayesian sampler floors their values.
extension StoreReplayTests {
    @Suite("Partial observations")
    struct PartialObservationTests {
        static func observation(_ trial: Int, _ value: Double, partial: Bool = false) -> SamplerObservation {
            SamplerObservation(trial: trial, configuration: Fixtures.configuration(["x": .int(trial)]), value: value,
                               isPending: false, isPartial: partial)
        }

        @Test("maximising: a partial value below the worst completed one is raised to it; others are kept")
        func floorMaximize() {
            let finished = [Self.observation(0, 0.9), Self.observation(1, 0.8), Self.observation(2, 0.3, partial: true),
                            Self.observation(3, 0.85, partial: true)]
            #expect(BayesianSampler.orientedValues(finished, goal: .maximize, partial: .floorAtWorstCompleted) == [0.9, 0.8, 0.8, 0.85])
            #expect(BayesianSampler.orientedValues(finished, goal: .maximize, partial: .asIs) == [0.9, 0.8, 0.3, 0.85])
        }

        @Test("minimising: values are negated, then floored the same way (mirror)")
        func floorMinimize() {
            let finished = [Self.observation(0, 0.1), Self.observation(1, 0.2), Self.observation(2, 0.9, partial: true)]
            #expect(BayesianSampler.orientedValues(finished, goal: .minimize, partial: .floorAtWorstCompleted) == [-0.1, -0.2, -0.2])
            #expect(BayesianSampler.orientedValues(finished, goal: .minimize, partial: .asIs) == [-0.1, -0.2, -0.9])
        }

        @Test("without a completed trial, partial values are kept as they are")
        func noCompleted() {
            let finished = [Self.observation(0, 0.4, partial: true), Self.observation(1, 0.2, partial: true)]
            #expect(BayesianSampler.orientedValues(finished, goal: .maximize, partial: .floorAtWorstCompleted) == [0.4, 0.2])
        }

        @Test("the default is the floor; the Bayesian sampler still suggests with partial observations in its history")
        func samplerUsesPartial() throws {
            let space = try SearchSpace(parameters: [.init(name: "x", expression: .uniform(0, 1)), .init(name: "y", expression: .uniform(0, 1))])
            var sampler = BayesianSampler(space: space, seed: 3, initialDesignSize: 4)
            #expect(sampler.partialObservations == .floorAtWorstCompleted)
            var observations: [SamplerObservation] = []
            var fallbacks: [SamplerDiagnostic] = []
            for trial in 0..<8 {
                let suggestion = try #require(try sampler.suggestion(history: SamplerHistory(goal: .maximize, observations: observations), trialIndex: trial))
                fallbacks += suggestion.diagnostics.filter { $0.kind == .fallback }
                let configuration = suggestion.configuration
                let x = configuration["x"]!.numericValue!, y = configuration["y"]!.numericValue!
                let value = 1 - (x - 0.3) * (x - 0.3) - (y - 0.6) * (y - 0.6)
                // Odd trials were "stopped" early: a tenth of their value.
                observations.append(SamplerObservation(trial: trial, configuration: configuration, value: trial % 2 == 1 ? value / 10 : value,
                                                       isPending: false, isPartial: trial % 2 == 1))
            }
            #expect(fallbacks.isEmpty, "\(fallbacks)")
        }

        @Test("a sweep marks the trials its policy stopped as partial in the sampler's history")
        func sweepPassesPartial() async throws {
            let directory = Fixtures.temporaryDirectory()
            let definition = Fixtures.definition(command: "python3 -u train.py --lr ${{search_space.lr}} --epochs 4 --sleep 0.1",
                                                 limits: Limits(maxTotalTrials: 4, maxConcurrentTrials: 1))
            let log = HistoryLog()
            // Stop trial 1 at its second report, whatever the values.
            let hook = EarlyTerminationHook { snapshot, trial in
                trial == 1 && snapshot.curves.first { $0.trial == 1 }?.values.count == 2 ? TrialStopDecision(reason: "test stop at n=2") : nil
            }
            let runner = try Fixtures.runner(definition, configurations: [0.01, 0.02, 0.04].map { Fixtures.configuration(["lr": .double($0)]) },
                                             directory: directory, hook: hook, log: log)
            let summary = try await runner.run()
            #expect(summary.trials.map(\.trial.status) == [.completed, .cancelled, .completed])
            // Trial 2 was proposed after trials 0 and 1 ended (one at a time).
            let history = try #require(log.all.first { $0.observations.count == 2 })
            #expect(history.observations.map(\.isPending) == [false, false])
            #expect(history.observations.map(\.isPartial) == [false, true])
            let bestOfTwoReports: Double = 1 - 0.02 * 10 / 2
            #expect(history.observations[1].value == bestOfTwoReports)
            // Asked once more (index 3, the list is used up) after trial 2 completed.
            let last = try #require(log.all.last)
            #expect(last.observations.map(\.isPartial) == [false, true, false])
        }
    }
}
