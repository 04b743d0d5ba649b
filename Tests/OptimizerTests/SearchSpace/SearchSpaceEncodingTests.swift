import Foundation
import Testing
@testable import Optimizer
import TestSupport

@Suite("Search-space encoding for the GP")
struct SearchSpaceEncodingTests {
    static func mixedSpace() throws -> SearchSpace {
        try SearchSpace([
            "u": .uniform(-1, 3),
            "qu": .quniform(0, 10, q: 2),
            "lu": .logUniform(-6, -1),
            "qlu": .qLogUniform(0, 4, q: 1),
            "n": .normal(mu: 1, sigma: 2),
            "qn": .qNormal(mu: 0, sigma: 3, q: 0.5),
            "ln": .logNormal(mu: 0, sigma: 1),
            "qln": .qLogNormal(mu: 1, sigma: 0.5, q: 1),
            "r": .randint(upper: 5),
            "ord": .choice([8, 1, 4.5, 2]),
            "cat": .choice(["adam", "sgd", "rmsprop"]),
            "model": .choice([
                .mapping(["kind": "svm", "C": .expression(.logUniform(-3, 3))]),
                .mapping(["kind": "tree", "depth": .expression(.randint(upper: 8)),
                          "inner": .expression(.choice([.mapping(["a": .expression(.uniform(0, 1))]), "none"]))]),
            ]),
        ])
    }

    /// Equal, except continuous doubles which may differ by 1e-12 relative.
    static func close(_ a: [ParameterValue], _ b: [ParameterValue]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { x, y in
            switch (x, y) {
            case (.double(let u), .double(let v)): return abs(u - v) <= 1e-12 * max(1, abs(u))
            case (.mapping(let m), .mapping(let n)):
                return m.map(\.name) == n.map(\.name) && close(m.map(\.value), n.map(\.value))
            default: return x == y
            }
        }
    }

    @Test func layoutDimensionsAndDiscreteFlags() throws {
        let encoding = SearchSpaceEncoding(try Self.mixedSpace())
        // 10 one-coordinate parameters (ordinal choice included), cat one-hot 3,
        // model: 2 one-hot + C (1) + depth (1) + inner (2 one-hot + a (1)).
        #expect(encoding.dimension == 10 + 3 + 2 + 1 + 1 + 3)
        #expect(encoding.isDiscrete.count == encoding.dimension)
        let expected: [Bool] = [false, true, false, true, false, true, false, true, true, true,
                                true, true, true,
                                true, true, false, true, true, true, false]
        #expect(encoding.isDiscrete == expected)
        #expect(encoding.parameterRanges.last == 13..<20)
        #expect(encoding.oneHotBlocks == [10..<13, 13..<15, 17..<19])
        #expect(!encoding.isFinite)
        #expect(encoding.cardinality == nil)
    }

    @Test(arguments: 0..<64)
    func decodeEncodeRoundTripAndSnapIdempotence(seed: Int) throws {
        let space = try Self.mixedSpace()
        let encoding = SearchSpaceEncoding(space)
        var rng = SplitMix64(seed: UInt64(seed), stream: 99)
        let x = (0..<encoding.dimension).map { _ in Double.random(in: 0...1, using: &rng) }
        let configuration = encoding.decode(x)
        let snapped = encoding.snap(x)
        #expect(snapped.allSatisfy { $0 >= 0 && $0 <= 1 }, "seed \(seed)")
        // The snapped point decodes to the configuration that runs: exactly for discrete
        // values, to 1e-12 relative for continuous ones (inverse maps round-trip to ulps).
        #expect(Self.close(encoding.decode(snapped).values, configuration.values), "seed \(seed)")
        // snap is idempotent: exactly on discrete coordinates; continuous ones are an affine or
        // CDF map and its inverse, equal to 1e-12 (a few ulps, amplified near the CDF tails).
        let twice = encoding.snap(snapped)
        for i in 0..<encoding.dimension {
            if encoding.isDiscrete[i] {
                #expect(twice[i] == snapped[i], "seed \(seed), coordinate \(i)")
            } else {
                #expect(abs(twice[i] - snapped[i]) <= 1e-12, "seed \(seed), coordinate \(i)")
            }
        }
        // A sampled configuration survives encode → decode unchanged.
        let sampled = space.sample(using: &rng)
        let again = encoding.decode(encoding.encode(sampled))
        for (name, value) in zip(sampled.names, sampled.values) {
            let other = again[name]!
            switch (value, other) {
            case (.double(let a), .double(let b)):
                #expect(abs(a - b) <= 1e-9 * max(1, abs(a)), "seed \(seed), \(name): \(a) vs \(b)")
            default:
                // Normal draws beyond the 1e-6 quantiles are clipped by the encoding (documented).
                if name != "qn" && name != "qln" { #expect(value == other, "seed \(seed), \(name)") }
            }
        }
    }

    @Test func ordinalChoiceUsesValueRankAndOneHotInactiveBranchesAreHalf() throws {
        let space = try Self.mixedSpace()
        let encoding = SearchSpaceEncoding(space)
        var x = [Double](repeating: 0.5, count: encoding.dimension)
        // ord options sorted by value: 1 (index 1), 2 (3), 4.5 (2), 8 (0); rank 3 of 4 → 8.
        x[9] = 0.9
        x[13] = 0.2; x[14] = 0.8  // model → tree
        x[16] = 0.99              // depth → 7
        x[17] = 0.1; x[18] = 0.7  // inner → "none"
        let c = encoding.decode(x)
        #expect(c["ord"] == .int(8))
        #expect(c["model"] == .mapping([.init(name: "kind", value: .string("tree")),
                                        .init(name: "depth", value: .int(7)),
                                        .init(name: "inner", value: .string("none"))]))
        let e = encoding.encode(c)
        #expect(e[9] == 0.875)
        #expect(Array(e[13..<20]) == [0, 1, 0.5, 0.9375, 0, 1, 0.5])
    }

    @Test func finiteSpaceCardinality() throws {
        let encoding = SearchSpaceEncoding(try SearchSpace(["a": .choice([1, 2]), "b": .randint(upper: 3), "c": .choice(["x", "y"])]))
        #expect(encoding.isFinite)
        #expect(encoding.cardinality == 12)
        #expect(encoding.isDiscrete.allSatisfy { $0 })
        #expect(encoding.dimension == 1 + 1 + 2)
    }

    @Test func normalTruncationIsDocumentedQuantiles() throws {
        let encoding = SearchSpaceEncoding(try SearchSpace(["n": .normal(mu: 0, sigma: 1)]))
        let low = encoding.decode([0])["n"]!.numericValue!
        let high = encoding.decode([1])["n"]!.numericValue!
        #expect(abs(low - ParameterExpression.normalQuantile(1e-6)) < 1e-12)
        #expect(abs(high + low) < 1e-9)
        #expect(encoding.encode(Configuration(names: ["n"], values: [.double(100)])) == [1])
    }
}
