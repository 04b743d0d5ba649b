import Foundation
import Testing
@testable import Optimizer
import OptimizerBenchmarks
import TestSupport

/// What a sampler says about each suggestion (``Suggestion/diagnostics``) and what it carries to
/// the next (``Suggestion/state``, ``Sampler/restore(_:)``).
@Suite struct SamplerStateTests {
    static let space = try! SearchSpace(["x": .uniform(-5, 10), "y": .uniform(0, 15)])

    /// Runs `count` Bayesian suggestions on Branin (told their values at once) and returns them
    /// with the history they were made from.
    static func run(count: Int, sampler: inout BayesianSampler, history: inout SamplerHistory) throws -> [Suggestion] {
        var out: [Suggestion] = []
        for t in history.observations.count..<count {
            let s = try #require(try sampler.suggestion(history: history, trialIndex: t))
            let value = TestFunction.branin.evaluate([s.configuration["x"]!.numericValue!, s.configuration["y"]!.numericValue!])
            history.observations.append(SamplerObservation(trial: t, configuration: s.configuration, value: value, isPending: false))
            out.append(s)
        }
        return out
    }

    @Test("initial design, then model suggestions, each saying so")
    func diagnosticsSayHowEachSuggestionWasMade() throws {
        var sampler = BayesianSampler(space: Self.space, seed: 3, initialDesignSize: 5)
        var history = SamplerHistory(goal: .minimize)
        let suggestions = try Self.run(count: 8, sampler: &sampler, history: &history)
        #expect(suggestions.prefix(5).allSatisfy { $0.diagnostics.map(\.kind) == [.initialDesign] && $0.state == nil })
        for s in suggestions.dropFirst(5) {
            #expect(s.diagnostics.map(\.kind) == [.model])
            #expect(s.diagnostics[0].message.hasPrefix("GP on "))
            #expect(s.diagnostics[0].message.contains("length scales x="))
            #expect(s.state?.vectors[SamplerState.warmStartKey]?.count == 4)
        }
    }

    /// The state after suggestion k, JSON-encoded and decoded as the store does, put into a new
    /// sampler, gives bit for bit the suggestion k + 1 of the sampler that never stopped. The
    /// warm start is one of the fit's starting points, so a cold fit often lands on the same
    /// hyperparameters; on some seeds it does not, and there the restored state is what keeps
    /// the continuation exact (at least one such seed is required, so this test can fail).
    @Test("a restored warm start continues exactly")
    func restoredStateContinuesExactly() throws {
        var seedsWhereTheWarmStartMatters: [UInt64] = []
        for seed: UInt64 in 1...8 {
            var original = BayesianSampler(space: Self.space, seed: seed, initialDesignSize: 5)
            var history = SamplerHistory(goal: .minimize)
            let first = try Self.run(count: 12, sampler: &original, history: &history)
            let next = try #require(try original.suggestion(history: history, trialIndex: 12))

            let json = try JSONEncoder().encode(try #require(first.last?.state))
            var resumed = BayesianSampler(space: Self.space, seed: seed, initialDesignSize: 5)
            try resumed.restore(try JSONDecoder().decode(SamplerState.self, from: json))
            let again = try #require(try resumed.suggestion(history: history, trialIndex: 12))
            #expect(again.configuration == next.configuration, "seed \(seed)")
            #expect(again.state == next.state, "seed \(seed)")

            var cold = BayesianSampler(space: Self.space, seed: seed, initialDesignSize: 5)
            let coldSuggestion = try #require(try cold.suggestion(history: history, trialIndex: 12))
            if coldSuggestion.configuration != next.configuration { seedsWhereTheWarmStartMatters.append(seed) }
        }
        #expect(!seedsWhereTheWarmStartMatters.isEmpty)
        print("seeds where a cold fit suggests elsewhere: \(seedsWhereTheWarmStartMatters)")
    }

    @Test("a state of the wrong shape is refused, naming what it needs")
    func wrongShapeIsRefused() {
        var sampler = BayesianSampler(space: Self.space, seed: 1)
        #expect(throws: ConfigurationError.self) {
            try sampler.restore(SamplerState(vectors: [SamplerState.warmStartKey: [0, 0, 0]]))
        }
        #expect(throws: ConfigurationError.self) {
            try sampler.restore(SamplerState(vectors: [SamplerState.warmStartKey: [0, .nan, 0, 0]]))
        }
    }

    /// A finite space the model runs out of: once every maximum decodes to a configuration that
    /// was already run, the sampler draws an unused one and says so.
    @Test("a fallback says why")
    func fallbackIsReported() throws {
        let space = try SearchSpace(["a": .choice([1, 2, 3]), "b": .choice([1, 2])])
        var sampler = BayesianSampler(space: space, seed: 2, initialDesignSize: 2)
        var history = SamplerHistory(goal: .maximize)
        var kinds: [SamplerDiagnostic] = []
        for t in 0..<6 {
            let s = try #require(try sampler.suggestion(history: history, trialIndex: t))
            let value = s.configuration["a"]!.numericValue! + s.configuration["b"]!.numericValue!
            history.observations.append(SamplerObservation(trial: t, configuration: s.configuration, value: value, isPending: false))
            kinds += s.diagnostics
        }
        #expect(Set(history.observations.map(\.configuration)).count == 6)
        #expect(try sampler.suggestion(history: history, trialIndex: 6) == nil)
        let fallbacks = kinds.filter { $0.kind == .fallback }
        #expect(!fallbacks.isEmpty)
        #expect(fallbacks.allSatisfy { $0.message.contains("already-used configuration") })
    }
}
