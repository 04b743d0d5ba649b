import Foundation
import Testing
@testable import Optimizer
import TestSupport

/// fANOVA on functions whose variance decomposition is known in closed form.
@Suite("fANOVA parameter importance")
struct FanovaImportanceTests {
    /// `count` observations of `f` at uniform draws from `space` (seeded).
    static func observations(_ space: SearchSpace, count: Int, seed: UInt64 = 1,
                             _ f: (Configuration, inout SplitMix64) -> Double) -> [ImportanceObservation] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let configuration = space.sample(using: &rng)
            return ImportanceObservation(configuration: configuration, value: f(configuration, &rng))
        }
    }

    static func x(_ c: Configuration, _ name: String) -> Double { c[name]!.numericValue! }

    static func byName(_ result: [ParameterImportance]) -> [String: ParameterImportance] {
        Dictionary(uniqueKeysWithValues: result.map { ($0.parameter, $0) })
    }

    /// The issue's check: f = 10·x₁ + 0.1·x₂ + noise with four dummy parameters gives x₁ ≥ 0.8.
    @Test func dominantParameterWithDummies() throws {
        let space = try SearchSpace(["x1": .uniform(0, 1), "x2": .uniform(0, 1), "d1": .uniform(0, 1),
                                     "d2": .uniform(0, 1), "d3": .uniform(0, 1), "d4": .uniform(0, 1)])
        let data = Self.observations(space, count: 200) { c, rng in
            10 * Self.x(c, "x1") + 0.1 * Self.x(c, "x2") + Double.random(in: -0.5...0.5, using: &rng)
        }
        let result = try FanovaImportance().evaluate(data, space: space)
        print("dominant: " + result.map { "\($0.parameter)=\(String(format: "%.4f", $0.importance))" }.joined(separator: " "))
        #expect(result.first?.parameter == "x1")
        #expect(Self.byName(result)["x1"]!.importance >= 0.8)
        #expect(abs(result.reduce(0) { $0 + $1.importance } - 1) < 1e-12)
        #expect(result.map(\.importance) == result.map(\.importance).sorted(by: >))
    }

    /// Additive f = a·x₁ + b·x₂² on U[0,1]²: V₁ = a²/12, V₂ = b²·(1/5 − 1/9) = 4b²/45, no
    /// interaction, so the fractions are V_g / (V₁ + V₂).
    @Test func additiveFunctionMatchesTheAnalyticDecomposition() throws {
        let (a, b) = (1.0, 2.0)
        let space = try SearchSpace(["x1": .uniform(0, 1), "x2": .uniform(0, 1), "dummy": .uniform(0, 1)])
        let data = Self.observations(space, count: 500) { c, _ in a * Self.x(c, "x1") + b * pow(Self.x(c, "x2"), 2) }
        let v1 = a * a / 12, v2 = 4 * b * b / 45
        let result = Self.byName(try FanovaImportance().evaluate(data, space: space))
        let expected = ["x1": v1 / (v1 + v2), "x2": v2 / (v1 + v2), "dummy": 0]
        for (name, fraction) in expected {
            print("additive \(name): fANOVA \(result[name]!.varianceFraction) (normalised \(result[name]!.importance)), exact \(fraction)")
            #expect(abs(result[name]!.varianceFraction - fraction) < Self.tolerance, "\(name)")
            #expect(abs(result[name]!.importance - fraction) < Self.tolerance, "\(name)")
        }
    }

    /// f = x₁ + 3x₂ + 4x₁x₂ on U[0,1]²: f₁(x₁) = 3x₁ + c, f₂(x₂) = 5x₂ + c, interaction
    /// 4(x₁ − ½)(x₂ − ½); V₁ = 9/12, V₂ = 25/12, V₁₂ = 16/144, so F₁ = V₁/V ≈ 0.2547 and
    /// F₂ ≈ 0.7075 with V = V₁ + V₂ + V₁₂.
    @Test func interactionIsLeftOutOfTheMainEffects() throws {
        let space = try SearchSpace(["x1": .uniform(0, 1), "x2": .uniform(0, 1)])
        let data = Self.observations(space, count: 500, seed: 3) { c, _ in
            let (x1, x2) = (Self.x(c, "x1"), Self.x(c, "x2"))
            return x1 + 3 * x2 + 4 * x1 * x2
        }
        let v1 = 9.0 / 12, v2 = 25.0 / 12, v12 = 16.0 / 144
        let result = Self.byName(try FanovaImportance().evaluate(data, space: space))
        print("interaction: F1 \(result["x1"]!.varianceFraction) exact \(v1 / (v1 + v2 + v12)); F2 \(result["x2"]!.varianceFraction) exact \(v2 / (v1 + v2 + v12))")
        #expect(abs(result["x1"]!.varianceFraction - v1 / (v1 + v2 + v12)) < Self.tolerance)
        #expect(abs(result["x2"]!.varianceFraction - v2 / (v1 + v2 + v12)) < Self.tolerance)
        #expect(abs(result["x1"]!.importance - v1 / (v1 + v2)) < Self.tolerance)
    }

    /// A choice is marginalised over its options: f = (0, 1, 3)[option] + x on U[0,1] has
    /// V_choice = 10/3 − 16/9 = 14/9 and V_x = 1/12.
    @Test func choiceIsAveragedOverItsOptions() throws {
        let space = try SearchSpace(["opt": .choice(["a", "b", "c"]), "x": .uniform(0, 1)])
        let offsets: [String: Double] = ["a": 0, "b": 1, "c": 3]
        let data = Self.observations(space, count: 300, seed: 5) { c, _ in offsets[c["opt"]!.plainText]! + Self.x(c, "x") }
        let vc = 14.0 / 9, vx = 1.0 / 12
        let result = Self.byName(try FanovaImportance().evaluate(data, space: space))
        print("choice: F_opt \(result["opt"]!.varianceFraction) exact \(vc / (vc + vx)); F_x \(result["x"]!.varianceFraction) exact \(vx / (vc + vx))")
        #expect(abs(result["opt"]!.varianceFraction - vc / (vc + vx)) < Self.tolerance)
        #expect(abs(result["x"]!.varianceFraction - vx / (vc + vx)) < Self.tolerance)
    }

    /// A log-scaled parameter is averaged in log space (its prior): f = ln(lr) is linear in the
    /// encoded coordinate, f = lr is not; both rank lr first, and with no space (raw values) the
    /// analysis still runs.
    @Test func logScaledAndInferredParameters() throws {
        let space = try SearchSpace(["lr": .logUniform(-9, -1), "batch": .choice([16, 32, 64])])
        let data = Self.observations(space, count: 200, seed: 9) { c, _ in log(Self.x(c, "lr")) + 0.01 * Self.x(c, "batch") / 64 }
        let withSpace = try FanovaImportance().evaluate(data, space: space)
        let inferred = try FanovaImportance().evaluate(data, space: nil)
        #expect(withSpace.first?.parameter == "lr")
        #expect(inferred.first?.parameter == "lr")
        #expect(withSpace.first!.importance > 0.95)
    }

    /// Same seed, same numbers; the order of the observations given does not change the ranking.
    @Test func deterministicForASeed() throws {
        let space = try SearchSpace(["x1": .uniform(0, 1), "x2": .uniform(0, 1), "x3": .uniform(0, 1)])
        let data = Self.observations(space, count: 100, seed: 11) { c, _ in 3 * Self.x(c, "x1") + Self.x(c, "x2") }
        let a = try FanovaImportance(seed: 4).evaluate(data, space: space)
        let b = try FanovaImportance(seed: 4).evaluate(data, space: space)
        #expect(a == b)
        let c = try FanovaImportance(seed: 4).evaluate(data.reversed(), space: space)
        #expect(c.map(\.parameter) == a.map(\.parameter))
    }

    /// Too few usable trials, a constant objective, identical configurations: clear errors.
    @Test func degenerateInputsThrowClearErrors() throws {
        let space = try SearchSpace(["x": .uniform(0, 1)])
        let one = [ImportanceObservation(configuration: Configuration(names: ["x"], values: [.double(0.5)]), value: 1)]
        #expect(throws: ImportanceError(kind: .tooFewObservations(usable: 1))) { try FanovaImportance().evaluate(one, space: space) }
        #expect(throws: ImportanceError(kind: .tooFewObservations(usable: 0))) {
            try FanovaImportance().evaluate([ImportanceObservation(configuration: one[0].configuration, value: .nan)], space: space)
        }
        let constant = (0..<5).map { ImportanceObservation(configuration: Configuration(names: ["x"], values: [.double(Double($0) / 5)]), value: 2) }
        #expect(throws: ImportanceError(kind: .constantObjective(value: 2, usable: 5))) { try FanovaImportance().evaluate(constant, space: space) }
        let same = (0..<5).map { ImportanceObservation(configuration: one[0].configuration, value: Double($0)) }
        #expect(throws: ImportanceError(kind: .noVariation(usable: 5))) { try FanovaImportance().evaluate(same, space: space) }
        #expect(ImportanceError(kind: .tooFewObservations(usable: 1)).description.contains("at least 2 trials"))
    }

    static let tolerance = 0.05
}
