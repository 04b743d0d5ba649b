import Foundation
import Testing
@testable import Optimizer
import TestSupport

@Suite("Parameter expressions: exact semantics")
struct ParameterExpressionTests {
    /// Draws `n` values with a fixed seed.
    func draws(_ e: ParameterExpression, n: Int = 2000, seed: UInt64 = 7) -> [ParameterValue] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in e.sample(using: &rng) }
    }

    @Test func literalChoiceOptions() throws {
        let space = try SearchSpace(["lr": .logUniform(-6, -1), "layers": .choice([1, 2, 3]), "opt": .choice(["adam", 0.5])])
        #expect(space.names == ["lr", "layers", "opt"])
        #expect(space["layers"] == .choice([.literal(.int(1)), .literal(.int(2)), .literal(.int(3))]))
        #expect(space["opt"] == .choice([.literal(.string("adam")), .literal(.double(0.5))]))
    }

    @Test func randintNeverDrawsUpper() {
        let values = draws(.randint(upper: 3), n: 3000)
        #expect(Set(values) == [.int(0), .int(1), .int(2)])
        // Edge units: the largest u below 1 still maps to upper − 1.
        var offset = 0
        #expect(ParameterExpression.randint(upper: 5).value(fromUnit: [1 - 0x1p-53], offset: &offset) == .int(4))
    }

    @Test func uniformStaysInBounds() {
        for v in draws(.uniform(-2, 3)) {
            guard case .double(let x) = v else { Issue.record("not a double: \(v)"); continue }
            #expect(x >= -2 && x <= 3)
        }
    }

    @Test func logUniformBoundsAreNaturalLogs() {
        let values = draws(.logUniform(-6, -1), n: 5000).compactMap(\.numericValue)
        #expect(values.allSatisfy { $0 >= exp(-6) && $0 <= exp(-1) })
        // Both ends of 0.0025…0.37 are reached (within 5% of the range in log space).
        #expect(values.min()! < exp(-5.75))
        #expect(values.max()! > exp(-1.25))
    }

    @Test func quniformIntegralWhenQAndBoundsIntegral() {
        let values = draws(.quniform(0, 10, q: 2))
        #expect(values.allSatisfy { if case .int(let i) = $0 { return i % 2 == 0 && (0...10).contains(i) } else { return false } })
        // Non-integral bound → doubles.
        #expect(draws(.quniform(0.5, 10, q: 1)).allSatisfy { if case .double = $0 { return true } else { return false } })
        // Non-integral q → doubles, and decimal multiples print cleanly.
        let tenths = draws(.quniform(0, 1, q: 0.1))
        #expect(tenths.allSatisfy { if case .double(let x) = $0 { return x.description.count <= 3 } else { return false } })
    }

    @Test func roundingIsHalfToEven() {
        #expect(ParameterExpression.quantize(2.5, q: 1, integral: true) == .int(2))
        #expect(ParameterExpression.quantize(3.5, q: 1, integral: true) == .int(4))
        #expect(ParameterExpression.quantize(-2.5, q: 1, integral: true) == .int(-2))
        #expect(ParameterExpression.quantize(5, q: 2, integral: true) == .int(4))     // 5/2 = 2.5 → 2
        #expect(ParameterExpression.quantize(7, q: 2, integral: true) == .int(8))     // 7/2 = 3.5 → 4
        #expect(ParameterExpression.quantize(0.25, q: 0.5, integral: false) == .double(0.0))  // 0.5 → 0
        #expect(ParameterExpression.quantize(0.75, q: 0.5, integral: false) == .double(1.0))  // 1.5 → 2
        #expect(ParameterExpression.quantize(-0.2, q: 1, integral: false) == .double(0.0))    // no -0.0
        #expect(ParameterExpression.quantize(0.29, q: 0.1, integral: false) == .double(0.3))  // not 0.30000000000000004
        #expect(ParameterExpression.quantize(0.000123, q: 1e-5, integral: false) == .double(0.00012))
    }

    @Test func qExpressionsIntegrality() {
        #expect(ParameterExpression.qNormal(mu: 10, sigma: 3, q: 1).isIntegralValued)
        #expect(!ParameterExpression.qNormal(mu: 10, sigma: 3, q: 0.5).isIntegralValued)
        #expect(ParameterExpression.qLogNormal(mu: 2, sigma: 1, q: 5).isIntegralValued)
        #expect(ParameterExpression.qLogUniform(0, 5, q: 1).isIntegralValued)
        #expect(!ParameterExpression.qLogUniform(0, 5.5, q: 1).isIntegralValued)
        #expect(draws(.qLogNormal(mu: 2, sigma: 1, q: 5)).allSatisfy {
            if case .int(let i) = $0 { return i % 5 == 0 && i >= 0 } else { return false }
        })
        #expect(draws(.qLogUniform(0, 5, q: 1)).allSatisfy {
            if case .int(let i) = $0 { return i >= 1 && Double(i) <= exp(5).rounded() } else { return false }
        })
    }

    @Test func normalQuantileMatchesSciPy() throws {
        struct Reference: Decodable {
            struct Q: Decodable { var p: Double; var x: Double }
            struct C: Decodable { var z: Double; var p: Double }
            var quantile: [Q]
            var cdf: [C]
        }
        let reference = try JSONDecoder().decode(Reference.self, from: SpaceTestSupport.fixture("space_normal_reference.json"))
        for q in reference.quantile {
            // AS 241 is accurate to about 1e-16 relative; 1e-14 leaves room for libm differences.
            let x = ParameterExpression.normalQuantile(q.p)
            #expect(abs(x - q.x) <= 1e-14 * max(1, abs(q.x)), "Φ⁻¹(\(q.p)) = \(x), SciPy \(q.x)")
        }
        for c in reference.cdf {
            // Relative error: the rounding of z/√2 (ε ≈ 1.1e-16) is amplified by the
            // conditioning of erfc, about z²·ε (1.5e-13 at z = −37), so allow 1e-14·max(1, z²).
            let p = ParameterExpression.normalCDF(c.z)
            #expect(abs(p - c.p) <= 1e-14 * max(1, c.z * c.z) * c.p, "Φ(\(c.z)) = \(p), SciPy \(c.p)")
        }
        #expect(ParameterExpression.normalQuantile(0) == -.infinity)
        #expect(ParameterExpression.normalQuantile(1) == .infinity)
    }

    @Test func nestedChoiceDrawsOnlyTheChosenBranch() throws {
        let space = try SearchSpace([
            "model": .choice([
                .mapping(["kind": "svm", "C": .expression(.logUniform(-3, 3))]),
                .mapping(["kind": "tree", "depth": .expression(.randint(upper: 8)),
                          "split": .expression(.choice(["gini", "entropy"]))]),
                "baseline",
            ]),
        ])
        var rng = SplitMix64(seed: 3)
        var kinds = Set<String>()
        for _ in 0..<300 {
            let c = space.sample(using: &rng)
            switch c["model"] {
            case .mapping(let entries)?:
                let names = entries.map(\.name)
                if case .string(let k) = entries[0].value { kinds.insert(k) }
                #expect(names == ["kind", "C"] || names == ["kind", "depth", "split"])
            case .string("baseline")?:
                kinds.insert("baseline")
            default:
                Issue.record("unexpected \(String(describing: c["model"]))")
            }
        }
        #expect(kinds == ["svm", "tree", "baseline"])
        #expect(space.unitDimension == 1 + 1 + 2)
        #expect(!space.isFinite)
    }

    @Test func cardinalityAndEnumeration() throws {
        let space = try SearchSpace([
            "a": .choice([1, 2, 3]),
            "b": .randint(upper: 4),
            "c": .quniform(0, 10, q: 5),  // 0, 5, 10
            "d": .choice([.mapping(["x": .expression(.choice([1, 2]))]), "none"]),  // 2 + 1
        ])
        #expect(space.isFinite)
        #expect(space.cardinality == 3 * 4 * 3 * 3)
        #expect(ParameterExpression.quniform(0, 10, q: 5).finiteValues() == [.int(0), .int(5), .int(10)])
        #expect(ParameterExpression.quniform(0.5, 1.5, q: 1).finiteValues() == [.double(1)])
        #expect(ParameterExpression.qLogUniform(0, 0, q: 1).finiteValues() == [.int(1)])
        let all = try #require(space.allConfigurations())
        #expect(all.count == 108)
        #expect(Set(all).count == 108)
        #expect(try SearchSpace(["u": .uniform(0, 1)]).cardinality == nil)
    }
}

@Suite("Parameter expressions: validation")
struct ParameterValidationTests {
    func problems(_ pairs: KeyValuePairs<String, ParameterExpression>) -> [String] {
        do {
            _ = try SearchSpace(pairs)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func everyProblemIsReportedWithFieldValueAndFix() {
        let found = problems([
            "u": .uniform(1, 1),
            "lu": .logUniform(-1, -6),
            "r": .randint(upper: 0),
            "n": .normal(mu: 0, sigma: -0.5),
            "q": .quniform(0, 1, q: 0),
            "c": .choice([]),
            "9x": .choice([1]),
        ])
        #expect(found.count == 7, "\(found)")
        #expect(found.contains("search_space.u.min_value: 1 must be less than max_value (1); swap them or widen the range"))
        #expect(found.contains { $0.hasPrefix("search_space.lu.min_value: -1 must be at most max_value (-6)") && $0.contains("natural logs") })
        #expect(found.contains("search_space.r.upper: 0 must be an integer > 0 (values are drawn from 0 to upper − 1)"))
        #expect(found.contains("search_space.n.sigma: -0.5 must be > 0 (the standard deviation); use a positive sigma (a fixed value belongs in a choice with one value)"))
        #expect(found.contains { $0.hasPrefix("search_space.q.q: 0 must be a positive number") })
        #expect(found.contains { $0.hasPrefix("search_space.c.values: is empty") })
        #expect(found.contains { $0.hasPrefix("search_space.9x: '9x' is not a valid parameter name") })
    }

    @Test func loguniformAllowsEqualBoundsAndNamesAreChecked() {
        #expect(problems(["a": .logUniform(-2, -2), "_b9": .normal(mu: 0, sigma: 0.5)]).isEmpty)
        // A sigma of 0 (or -0) is not a distribution: every draw would be mu.
        #expect(problems(["n": .normal(mu: 0, sigma: 0)]) == ["search_space.n.sigma: 0 must be > 0 (the standard deviation); use a positive sigma (a fixed value belongs in a choice with one value)"])
        #expect(problems(["n": .logNormal(mu: 0, sigma: -0.0)]).first?.hasPrefix("search_space.n.sigma: -0 must be > 0") == true)
        #expect(SearchSpace.isValidParameterName("learning_rate"))
        #expect(SearchSpace.isValidParameterName("_x1"))
        for bad in ["", "1x", "a-b", "a.b", "a b", "é"] { #expect(!SearchSpace.isValidParameterName(bad), "\(bad)") }
    }

    @Test func duplicateNamesAndNonFiniteValues() {
        let found = problems(["a": .uniform(0, .infinity), "a": .choice([.literal(.double(.nan))])])
        #expect(found.contains("search_space.a: is defined twice; keep one definition"))
        #expect(found.contains("search_space.a.max_value: inf must be a finite number"))
        #expect(found.contains { $0.hasPrefix("search_space.a.values[0]: nan is not a finite number") })
    }

    @Test func nestedProblemsCarryTheirPath() {
        let found = problems(["m": .choice([.mapping(["C": .expression(.uniform(2, 1))])])])
        #expect(found == ["search_space.m.values[0].C.min_value: 2 must be less than max_value (1); swap them or widen the range"])
    }
}
