import Foundation
import Testing
@testable import Optimizer
import OptimizerBenchmarks

/// Enqueue, trials evaluated elsewhere, warm start and a Study persisted through a storage.
@Suite("Study: enqueue, add(completed:), warm start, storage")
struct StudyLearningTests {
    static let space = try! SearchSpace(["x": .uniform(-5, 10), "y": .uniform(0, 15)])

    static func branin(_ c: Configuration) -> Double {
        TestFunction.branin.evaluate([c["x"]!.numericValue!, c["y"]!.numericValue!])
    }

    static func configuration(_ x: Double, _ y: Double) -> Configuration {
        Configuration(names: ["x", "y"], values: [.double(x), .double(y)])
    }

    @Test func enqueuedConfigurationsComeFirstInOrderOnceAndCount() throws {
        var study = try Study(space: Self.space, goal: .minimize, sampler: .random(seed: 3))
        try study.enqueue(Self.configuration(1, 2))
        try study.enqueue(parameters: ["y": .int(4), "x": .int(3)])  // any order; ints are numbers
        let first = try study.ask(), second = try study.ask(), third = try study.ask()
        #expect(first.configuration == Self.configuration(1, 2) && first.origin == .enqueued)
        #expect(second.configuration == Self.configuration(3, 4) && second.origin == .enqueued)
        #expect(third.origin == .sampler)
        #expect(study.queue.isEmpty)
        #expect(study.ledger.nextProposal == 3)
        // The sampler's third proposal is its trial index 2, as if the first two were its own.
        let reference = RandomSampler(space: Self.space, seed: 3)
        #expect(third.configuration == reference.configuration(history: SamplerHistory(goal: .minimize), trialIndex: 2))
        #expect(study.records.map(\.trial.origin) == [.enqueued, .enqueued, .sampler])
    }

    @Test func enqueueRejectsWhatTheSpaceCannotRun() throws {
        var study = try Study(space: try SearchSpace(["lr": .logUniform(-6, -1), "layers": .choice([1, 2, 3]), "q": .quniform(0, 10, q: 2)]),
                              goal: .maximize)
        func problems(_ values: KeyValuePairs<String, ParameterValue>) -> [String] {
            do {
                try study.enqueue(parameters: values)
                return []
            } catch let error as ConfigurationError {
                return error.problems.map(\.description)
            } catch {
                return ["\(error)"]
            }
        }
        #expect(problems(["lr": .double(0.01), "layers": .int(2), "q": .int(4)]).isEmpty)
        #expect(problems(["lr": .double(0.5), "layers": .int(2), "q": .int(4)]) == ["lr: 0.5 is outside [0.00247875, 0.367879] (loguniform)"])
        #expect(problems(["lr": .double(0.01), "layers": .int(4), "q": .int(4)]).first?.contains("not one of the choice's 3 options") == true)
        #expect(problems(["lr": .double(0.01), "layers": .string("2"), "q": .int(4)]).first?.hasPrefix("layers:") == true)
        #expect(problems(["lr": .double(0.01), "layers": .int(2), "q": .int(3)]).first?.contains("not a multiple of q = 2") == true)
        #expect(problems(["lr": .double(0.01), "layers": .int(2), "q": .int(4), "depth": .int(1)]).first?.hasPrefix("depth: is not a parameter") == true)
        #expect(problems(["lr": .double(0.01), "layers": .int(2)]) == ["q: is missing (every parameter of the search space needs a value)"])
        #expect(study.queue.count == 1)
        // The canonical form: the option as written, an int for an integral q-expression.
        #expect(study.queue[0].values == [.double(0.01), .int(2), .int(4)])
    }

    @Test func addCompletedCountsAndInformsTheSampler() throws {
        var study = try Study(space: Self.space, goal: .minimize, sampler: .bayesian(seed: 1))
        for i in 0..<10 {
            let c = Self.configuration(-5 + 1.5 * Double(i), 1.4 * Double(i))
            let trial = try study.add(completed: c, value: Self.branin(c), intermediateValues: [Self.branin(c) + 1])
            #expect(trial.origin == .external && trial.id == i)
        }
        #expect(study.records.count == 10 && study.records.allSatisfy { $0.state == .completed })
        #expect(study.bestValue == (0..<10).map { Self.branin(Self.configuration(-5 + 1.5 * Double($0), 1.4 * Double($0))) }.min())
        _ = try study.ask()
        #expect(study.diagnostics.last?.first?.kind == .model, "10 completed trials reach the initial design: the next is a model suggestion")
        #expect(throws: ConfigurationError.self) { try study.add(completed: Self.configuration(11, 0), value: 1) }
    }

    /// A warm start of at least the initial-design size makes the first suggestion a model one.
    @Test func warmStartSkipsTheInitialDesignAndIsNotCounted() throws {
        var cold = try Study(space: Self.space, goal: .minimize, sampler: .bayesian(seed: 5))
        var earlier: [WarmStartTrial] = []
        for _ in 0..<BayesianSampler.defaultInitialDesignSize {
            let trial = try cold.ask()
            cold.tell(trial, value: Self.branin(trial.configuration))
            earlier.append(WarmStartTrial(configuration: trial.configuration, value: Self.branin(trial.configuration)))
        }
        var warm = try Study(space: Self.space, goal: .minimize, sampler: .bayesian(seed: 6))
        let summary = try warm.warmStart(with: earlier, source: "earlier")
        #expect(summary.used == 10 && summary.offered == 10)
        let first = try warm.ask()
        #expect(warm.diagnostics[0].map(\.kind) == [.model], "\(warm.diagnostics[0])")
        #expect(warm.diagnostics[0].first?.message.hasPrefix("GP on 10 observations") == true)
        #expect(first.id == 0 && warm.records.count == 1 && warm.bestRecord == nil)
        // Below the initial-design size the design continues, counting the warm start.
        var small = try Study(space: Self.space, goal: .minimize, sampler: .bayesian(seed: 6))
        try small.warmStart(with: Array(earlier.prefix(4)))
        _ = try small.ask()
        #expect(small.diagnostics[0].first?.kind == .initialDesign)
        #expect(small.diagnostics[0].first?.message.contains("4 of 10") == true)
    }

    @Test func warmStartMapsOtherSpacesExplicitly() {
        let space = try! SearchSpace(["x": .uniform(0, 1), "k": .choice(["a", "b"])])
        let trials = [
            WarmStartTrial(configuration: Configuration(names: ["x", "k", "old"], values: [.double(0.5), .string("a"), .int(3)]), value: 1),
            WarmStartTrial(configuration: Configuration(names: ["x", "k"], values: [.double(2), .string("a")]), value: 2),  // out of range
            WarmStartTrial(configuration: Configuration(names: ["x", "k"], values: [.double(0.2), .string("c")]), value: 3),  // not an option
            WarmStartTrial(configuration: Configuration(names: ["x"], values: [.double(0.2)]), value: 4),  // lacks k
            WarmStartTrial(configuration: Configuration(names: ["x", "k"], values: [.double(0.2), .string("b")]), value: .nan),  // no value
        ]
        let (used, summary) = WarmStart.map(trials, onto: space, source: "s")
        #expect(used == [WarmStartTrial(configuration: Configuration(names: ["x", "k"], values: [.double(0.5), .string("a")]), value: 1)])
        #expect(summary == WarmStartSummary(source: "s", offered: 4, used: 1, outOfRange: 2, missingParameter: 1, ignoredParameters: ["old"]))
        #expect(summary.line == "warm start from s: 1 of 4 trials used (2 with a value outside this search space dropped; 1 lacking a parameter of this search space skipped (not filled from the prior); parameters not in this search space ignored: old)")
    }

    /// In a finite space no sampler proposes a warm start's configurations again.
    @Test(arguments: ["random", "grid", "bayesian"])
    func warmStartConfigurationsAreNotRepeatedInAFiniteSpace(sampler: String) throws {
        let space = try SearchSpace(["a": .choice([1, 2, 3]), "b": .choice(["x", "y"])])
        let choice: SamplerChoice = sampler == "grid" ? .grid : sampler == "random" ? .random(seed: 2) : .bayesian(seed: 2)
        var study = try Study(space: space, goal: .maximize, sampler: choice)
        let all = space.allConfigurations()!
        let earlier = all.prefix(4).enumerated().map { WarmStartTrial(configuration: $0.element, value: Double($0.offset)) }
        try study.warmStart(with: earlier)
        var asked: [Configuration] = []
        while let trial = try? study.ask() {
            asked.append(trial.configuration)
            study.tell(trial, value: 0)
        }
        #expect(Set(asked) == Set(all.dropFirst(4)) && asked.count == 2, "\(sampler): \(asked)")
    }

    /// A study reopened on its storage continues exactly as the uninterrupted one.
    @Test func reopenedStudyContinuesAsTheUninterruptedOne() throws {
        let storage = InMemoryStudyStorage()
        func open() throws -> Study {
            try Study(space: Self.space, goal: .minimize, sampler: .bayesian(seed: 11), policy: MedianStoppingPolicy(), storage: storage)
        }
        var reference = try Study(space: Self.space, goal: .minimize, sampler: .bayesian(seed: 11), policy: MedianStoppingPolicy())
        var study = try open()
        let earlier = [WarmStartTrial(configuration: Self.configuration(3, 3), value: Self.branin(Self.configuration(3, 3)))]
        func prepare(_ s: inout Study) throws {
            try s.warmStart(with: earlier)
            try s.enqueue(Self.configuration(0, 0))
            try s.add(completed: Self.configuration(1, 1), value: Self.branin(Self.configuration(1, 1)))
        }
        func step(_ s: inout Study, _ i: Int) throws -> Configuration {
            let trial = try s.ask()
            let value = Self.branin(trial.configuration)
            s.report(trial, value: value + 1)
            if i % 5 == 4 { s.tell(trial, failure: "crashed") } else { s.tell(trial, value: value) }
            return trial.configuration
        }
        try prepare(&reference)
        try prepare(&study)
        var expected: [Configuration] = []
        for i in 0..<16 { expected.append(try step(&reference, i)) }
        var got: [Configuration] = []
        for i in 0..<16 {
            if i % 4 == 0 { study = try open() }  // "relaunch": a new value from the storage alone
            got.append(try step(&study, i))
        }
        #expect(got == expected)
        #expect(study.records == reference.records)
        #expect(study.warmStartTrials == reference.warmStartTrials)
        #expect(storage.events().count > 16)
        // Running trials survive too: asked, not told, then reopened.
        let pending = try study.ask()
        let reopened = try open()
        #expect(reopened.records.last?.state == .running && reopened.records.last?.trial.configuration == pending.configuration)
    }

    @Test func aStorageFailureSurfacesAtTheNextAsk() throws {
        final class Failing: StudyStorage, @unchecked Sendable {
            var failing = false
            func events() throws -> [StudyEvent] { [] }
            func append(_ event: StudyEvent) throws { if failing { throw CocoaError(.fileWriteNoPermission) } }
        }
        let storage = Failing()
        var study = try Study(space: Self.space, goal: .minimize, storage: storage)
        let trial = try study.ask()
        storage.failing = true
        study.tell(trial, value: 1)
        storage.failing = false
        #expect(study.storageFailure != nil)
        #expect(throws: StudyError.self) { _ = try study.ask() }
    }
}
