import Foundation
import Testing
@testable import Optimizer
import OptimizerBenchmarks
import TestSupport

/// The maximiser in spaces with discrete coordinates: it must return a point that runs as it
/// was scored, and find the best runnable point of a posterior whose optimum is known.
@Suite struct MixedAcquisitionTests {
    /// x ∈ [0, 1] continuous, k ∈ {0,…,4} (quniform, encoded at k/4), c ∈ {a, b, c} one-hot:
    /// coordinates [x, k, c_a, c_b, c_c].
    static func space() throws -> SearchSpaceEncoding {
        SearchSpaceEncoding(try SearchSpace(["x": .uniform(0, 1), "k": .quniform(0, 4, q: 1), "c": .choice(["a", "b", "c"])]))
    }

    /// μ(z) = −(z₀ − 0.3)² − (z₁ − 0.55)² + 0.3 z₃ − 0.8 (z₂ + z₃ + z₄ − 0.3)², constant variance,
    /// so EI is increasing in μ. Over runnable points (one-hot sums to 1, z₁ ∈ {0, ¼, …, 1})
    /// the maximum is x = 0.3, k = 2, c = b; the continuous relaxation peaks at the
    /// non-runnable z₃ ≈ 0.49, z₂ = z₄ = 0.
    struct MixedPosterior: Posterior {
        var dimension: Int { 5 }
        func predict(_ p: Matrix) -> PosteriorPrediction { predictWithGradient(p) }
        func predictWithGradient(_ p: Matrix) -> PosteriorPrediction {
            var mean = [Double](), g = Matrix(rows: p.rows, columns: 5)
            for b in 0..<p.rows {
                let s = p[b, 2] + p[b, 3] + p[b, 4] - 0.3
                mean.append(-(p[b, 0] - 0.3) * (p[b, 0] - 0.3) - (p[b, 1] - 0.55) * (p[b, 1] - 0.55) + 0.3 * p[b, 3] - 0.8 * s * s)
                g[b, 0] = -2 * (p[b, 0] - 0.3)
                g[b, 1] = -2 * (p[b, 1] - 0.55)
                g[b, 2] = -1.6 * s
                g[b, 3] = 0.3 - 1.6 * s
                g[b, 4] = -1.6 * s
            }
            return PosteriorPrediction(mean: mean, variance: Array(repeating: 0.01, count: p.rows),
                                       meanGradient: g, varianceGradient: Matrix(rows: p.rows, columns: 5))
        }
    }

    @Test func findsTheBestRunnablePointAndScoresWhatRuns() throws {
        let encoding = try Self.space()
        let discrete = try #require(DiscreteCoordinates(encoding))
        #expect(discrete.isDiscrete == [false, true, true, true, true])
        let ei = ExpectedImprovement(incumbent: 0)
        for seed in UInt64(1)...4 {
            let candidates = QuasiRandom.unitCube(count: 64, dimension: 5, seed: seed)
            let r = AcquisitionMaximizer.maximize(ei, posterior: MixedPosterior(), candidates: candidates, discrete: discrete)
            #expect(encoding.snap(r.point) == r.point, "seed \(seed): \(r.point) is not runnable")
            #expect(r.value == ei.evaluate(MixedPosterior(), at: Matrix(rowVectors: [r.point]))[0])
            let run = encoding.decode(r.point)
            #expect(run["k"] == .int(2) && run["c"] == .string("b"), "seed \(seed): \(run)")
            #expect(abs(r.point[0] - 0.3) < 1e-3, "seed \(seed): x = \(r.point[0])")
            // The relaxation's optimum scores higher but cannot run; the result is the best
            // of the runnable points on a brute-force grid.
            var best = -Double.infinity
            for k in 0...4 {
                for c in 0..<3 {
                    var z = [0.3, Double(k) / 4, 0, 0, 0]
                    z[2 + c] = 1
                    best = max(best, ei.evaluate(MixedPosterior(), at: Matrix(rowVectors: [z]))[0])
                }
            }
            #expect(r.value >= best - 1e-9)
            #expect(r.finalists.first?.point == r.point)
            #expect(zip(r.finalists, r.finalists.dropFirst()).allSatisfy { $0.value >= $1.value })
            #expect(Set(r.finalists.map(\.point)).count == r.finalists.count)
        }
    }

    /// Starting from candidates that all hold the worst option and integer, the local search
    /// must still reach the best ones (one discrete move per parameter).
    @Test func localSearchLeavesABadDiscreteStart() throws {
        let encoding = try Self.space()
        let discrete = try #require(DiscreteCoordinates(encoding))
        var candidates = QuasiRandom.unitCube(count: 16, dimension: 5, seed: 9)
        for i in 0..<16 {
            candidates[i, 1] = 1        // k = 4
            candidates[i, 2] = 0; candidates[i, 3] = 0; candidates[i, 4] = 1   // c = c
        }
        let r = AcquisitionMaximizer.maximize(ExpectedImprovement(incumbent: 0), posterior: MixedPosterior(),
                                              candidates: candidates, discrete: discrete)
        let run = encoding.decode(r.point)
        #expect(run["k"] == .int(2) && run["c"] == .string("b"), "\(run)")
        #expect(r.discreteMoves >= 2)
    }

    @Test func neighboursChangeOneParameterAndCoverEveryOption() throws {
        let encoding = try Self.space()
        let discrete = try #require(DiscreteCoordinates(encoding))
        let point = encoding.snap([0.42, 0.5, 1, 0, 0])          // x = 0.42, k = 2, c = a
        let neighbours = discrete.neighbours(of: point)
        #expect(!neighbours.contains(point))
        #expect(Set(neighbours).count == neighbours.count)
        var ks = Set<ParameterValue>(), cs = Set<ParameterValue>()
        for q in neighbours {
            #expect(encoding.snap(q) == q)
            let a = encoding.decode(point), b = encoding.decode(q)
            let changed = a.names.filter { a[$0] != b[$0] }
            #expect(changed.count == 1, "\(a) → \(b)")
            #expect(q[0] == point[0])
            if changed == ["k"] { ks.insert(b["k"]!) }
            if changed == ["c"] { cs.insert(b["c"]!) }
        }
        #expect(ks == [.int(0), .int(1), .int(3), .int(4)])
        #expect(cs == [.string("b"), .string("c")])
    }

    /// In a space with every expression and nested choices, each neighbour runs as encoded and
    /// changes exactly one top-level parameter (a nested choice's change shows as its parent's).
    @Test(arguments: 0..<16)
    func neighboursInANestedSpaceAreRunnableSingleChanges(seed: Int) throws {
        let encoding = SearchSpaceEncoding(try SearchSpaceEncodingTests.mixedSpace())
        let discrete = try #require(DiscreteCoordinates(encoding))
        var rng = SplitMix64(seed: UInt64(seed), stream: 7)
        let point = encoding.snap((0..<encoding.dimension).map { _ in Double.random(in: 0...1, using: &rng) })
        let neighbours = discrete.neighbours(of: point)
        #expect(neighbours.count >= 20)
        let a = encoding.decode(point)
        for q in neighbours {
            // Runnable as encoded: exact on discrete coordinates, ulps on continuous ones.
            #expect(zip(encoding.snap(q), q).allSatisfy { abs($0 - $1) <= 1e-12 })
            let b = encoding.decode(q)
            #expect(a.names.filter { a[$0] != b[$0] }.count == 1, "\(a) → \(b)")
        }
    }

    @Test func continuousSpacesHaveNoDiscreteStructure() throws {
        #expect(DiscreteCoordinates(SearchSpaceEncoding(try SearchSpace(["x": .uniform(0, 1), "y": .logUniform(-3, 0)]))) == nil)
    }

    /// Through the sampler: every Bayesian suggestion on the mixed benchmark problem decodes
    /// to a configuration whose encoding is the suggested point (nothing is silently
    /// re-rounded), and the same seed gives the same sequence.
    @Test func bayesianSuggestionsInAMixedSpaceAreDeterministic() throws {
        let problem = try #require(QualityProblem.named("mixed_hartmann6"))
        func run() throws -> [Configuration] {
            var sampler = BayesianSampler(space: problem.space, seed: 5, initialDesignSize: 8)
            var history = SamplerHistory(goal: .minimize)
            var out: [Configuration] = []
            var fallbacks: [SamplerDiagnostic] = []
            for t in 0..<12 {
                let suggestion = try #require(try sampler.suggestion(history: history, trialIndex: t))
                fallbacks += suggestion.diagnostics.filter { $0.kind == .fallback }
                let c = suggestion.configuration
                history.observations.append(SamplerObservation(trial: t, configuration: c, value: problem.noiseless(c), isPending: false))
                out.append(c)
            }
            #expect(fallbacks.isEmpty, "\(fallbacks)")
            return out
        }
        #expect(try run() == run())
    }
}
