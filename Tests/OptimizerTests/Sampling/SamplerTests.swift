import Foundation
import Testing
@testable import Optimizer
import TestSupport

@Suite("Random and grid samplers")
struct SamplerTests {
    func run(_ sampler: inout some Sampler, count: Int) throws -> [Configuration] {
        var history = SamplerHistory(goal: .maximize)
        var out: [Configuration] = []
        for i in 0..<count {
            guard let c = try sampler.suggest(history: history, trialIndex: i) else { break }
            out.append(c)
            history.observations.append(.init(trial: i, configuration: c, value: nil, isPending: true))
        }
        return out
    }

    @Test func sameSeedSameConfigurationsAndTrialIndependence() throws {
        let space = try SearchSpace(["lr": .logUniform(-6, -1), "n": .normal(mu: 0, sigma: 1), "c": .choice(["a", "b"])])
        var a = RandomSampler(space: space, seed: 42)
        var b = RandomSampler(space: space, seed: 42)
        var other = RandomSampler(space: space, seed: 43)
        let first = try run(&a, count: 20)
        #expect(first == (try run(&b, count: 20)))
        #expect(first != (try run(&other, count: 20)))
        // Trial 7 proposed alone (as a parallel worker would) equals trial 7 of the serial run.
        #expect(a.configuration(history: SamplerHistory(goal: .maximize), trialIndex: 7) == first[7])
    }

    @Test(arguments: [UInt64(0), 1, 2, 3])
    func randomNeverRepeatsInAFiniteSpaceAndEnds(seed: UInt64) throws {
        let space = try SearchSpace(["a": .choice([1, 2, 3]), "b": .randint(upper: 4), "c": .quniform(0, 2, q: 1)])
        var sampler = RandomSampler(space: space, seed: seed)
        let all = try run(&sampler, count: 100)
        #expect(all.count == 36, "seed \(seed)")
        #expect(Set(all).count == 36, "seed \(seed)")
        #expect(Set(all) == Set(space.allConfigurations()!), "seed \(seed)")
    }

    /// The Bayesian sampler's initial design is the named sampler's run with the same seed.
    @Test(arguments: BayesianSampler.InitialDesign.allCases)
    func bayesianInitialDesignFollowsItsSampler(design: BayesianSampler.InitialDesign) throws {
        let space = try SearchSpace(["lr": .logUniform(-6, -1), "m": .uniform(0, 1), "c": .choice(["a", "b", "c"])])
        var bayesian = BayesianSampler(space: space, seed: 9, initialDesignSize: 12, initialDesign: design)
        let first = try run(&bayesian, count: 12)
        var reference: any Sampler = design == .sobol ? try SobolSampler(space: space, seed: 9) : RandomSampler(space: space, seed: 9)
        #expect(first == (try run(&reference, count: 12)))
        var other = BayesianSampler(space: space, seed: 9, initialDesignSize: 12,
                                    initialDesign: design == .sobol ? .random : .sobol)
        #expect(first != (try run(&other, count: 12)))
    }

    @Test func gridOrderSizeAndEachOnce() throws {
        let space = try SearchSpace(["a": .choice([1, 2]), "b": .choice(["x", "y", "z"]), "c": .choice([0.5])])
        var grid = try GridSampler(space: space)
        #expect(grid.count == 6)
        let all = try run(&grid, count: 100)
        #expect(all.map { $0.values } == [
            [.int(1), .string("x"), .double(0.5)], [.int(1), .string("y"), .double(0.5)], [.int(1), .string("z"), .double(0.5)],
            [.int(2), .string("x"), .double(0.5)], [.int(2), .string("y"), .double(0.5)], [.int(2), .string("z"), .double(0.5)],
        ])
        #expect(grid.configuration(history: .init(goal: .minimize), trialIndex: 6) == nil)
    }

    @Test func gridWithNestedChoices() throws {
        let space = try SearchSpace([
            "m": .choice([.mapping(["k": "svm", "C": .expression(.choice([1, 10]))]), "none"]),
            "s": .choice([1, 2]),
        ])
        var grid = try GridSampler(space: space)
        let all = try run(&grid, count: 100)
        #expect(all.count == 6)
        #expect(Set(all).count == 6)
        #expect(all[0].jsonText == #"{"m":{"k":"svm","C":1},"s":1}"#)
        #expect(all[1].jsonText == #"{"m":{"k":"svm","C":1},"s":2}"#)
        #expect(all[2].jsonText == #"{"m":{"k":"svm","C":10},"s":1}"#)
        #expect(all[5].jsonText == #"{"m":"none","s":2}"#)
    }

    @Test func gridRejectsNonChoiceWithEveryParameterNamed() throws {
        let space = try SearchSpace(["a": .uniform(0, 1), "b": .choice([1]), "c": .randint(upper: 3),
                                     "d": .choice([.mapping(["x": .expression(.normal(mu: 0, sigma: 1))])])])
        #expect {
            try GridSampler(space: space)
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems.map(\.path) ?? []
            return problems == ["search_space.a", "search_space.c", "search_space.d"]
        }
    }

    @Test func factoryBuildsEachAlgorithm() throws {
        let space = try SearchSpace(["a": .choice([1, 2])])
        #expect(try makeSampler(.random(seed: 1, rule: .random), space: space) is RandomSampler)
        #expect(try makeSampler(.random(seed: nil, rule: .sobol), space: space) is SobolSampler)
        #expect(try makeSampler(.grid, space: space) is GridSampler)
        #expect(try makeSampler(.bayesian(seed: 3), space: space) is BayesianSampler)
        // An explicit seed overrides the algorithm's.
        let s = try makeSampler(.random(seed: 1, rule: .random), space: space, seed: 9) as? RandomSampler
        #expect(s?.seed == 9)
    }

    @Test func splitMix64KnownValues() {
        // Reference outputs of SplitMix64 seeded with 1234567 (Vigna's splitmix64.c).
        var rng = SplitMix64(seed: 1234567)
        #expect(rng.next() == 6457827717110365317)
        #expect(rng.next() == 3203168211198807973)
        #expect(rng.next() == 9817491932198370423)
    }
}
