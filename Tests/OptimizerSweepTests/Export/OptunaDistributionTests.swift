import Foundation
import Testing
import Optimizer
@testable import OptimizerSweep

/// The hdbench → Optuna distribution mapping's edge cases (the common cases are checked against
/// real Optuna in `OptunaJournalExportTests`).
@Suite("Optuna distributions")
struct OptunaDistributionTests {
    @Test("bounds widen to every value a trial ran with; a q-grid stays on its multiples")
    func widening() {
        #expect(OptunaDistribution(expression: .normal(mu: 0, sigma: 1), observed: [.double(-5.5), .double(1)])
                == .float(low: -5.5, high: 4, log: false, step: nil))
        #expect(OptunaDistribution(expression: .qNormal(mu: 10, sigma: 2, q: 1), observed: [.int(25)])
                == .int(low: 2, high: 25, log: false, step: 1))
        #expect(OptunaDistribution(expression: .randint(upper: 3), observed: [.int(0), .int(2)])
                == .int(low: 0, high: 2, log: false, step: 1))
    }

    @Test("q-expressions: integer steps, short decimal steps, other steps, log only where Optuna allows it")
    func quantized() {
        // quniform(1, 9, 2): qround(1) = round(0.5)·2 = 0 and qround(9) = round(4.5)·2 = 8 (half to even).
        #expect(OptunaDistribution(expression: .quniform(1, 9, q: 2), observed: []) == .int(low: 0, high: 8, log: false, step: 2))
        #expect(OptunaDistribution(expression: .quniform(0, 1, q: 0.25), observed: []) == .float(low: 0, high: 1, log: false, step: 0.25))
        // 1/3 has no short decimal form: Optuna's decimal divisibility check would move `high`.
        #expect(OptunaDistribution(expression: .quniform(0, 1, q: 1.0 / 3), observed: []) == .float(low: 0, high: 1, log: false, step: nil))
        // q = 1 on an integral range keeps the log axis; q = 2 cannot (Optuna: log needs step 1).
        #expect(OptunaDistribution(expression: .qLogUniform(0, 5, q: 1), observed: []) == .int(low: 1, high: 148, log: true, step: 1))
        #expect(OptunaDistribution(expression: .qLogUniform(0, 5, q: 2), observed: []) == .int(low: 0, high: 148, log: false, step: 2))
    }

    @Test("choices: literal options in order, mixed types; nested expressions as the distinct values seen")
    func choices() {
        let literal = OptunaDistribution(expression: .choice(["adam", 1, 2.5]), observed: [.string("adam")])
        #expect(literal == .categorical([.string("adam"), .int(1), .number(2.5)]))
        #expect(literal.internalValue(of: .int(1)) == 1)
        #expect(literal.internalValue(of: .string("sgd")) == nil)
        let a = ParameterValue.mapping([.init(name: "kind", value: .string("a")), .init(name: "c", value: .double(0.5))])
        let nested = OptunaDistribution(
            expression: .choice([.mapping(["kind": "a", "c": .expression(.uniform(0, 1))]), .mapping(["kind": "b"])]),
            observed: [a, a])
        #expect(nested == .categorical([.string(#"{"kind":"a","c":0.5}"#)]))
        #expect(nested.json == #"{"name":"CategoricalDistribution","attributes":{"choices":["{\"kind\":\"a\",\"c\":0.5}"]}}"#)
    }

    @Test("without a search space: int, float or categorical from the values")
    func inferred() {
        #expect(OptunaDistribution(inferredFrom: [.int(3), .int(-1)]) == .int(low: -1, high: 3, log: false, step: 1))
        #expect(OptunaDistribution(inferredFrom: [.int(3), .double(0.5)]) == .float(low: 0.5, high: 3, log: false, step: nil))
        #expect(OptunaDistribution(inferredFrom: [.string("x"), .int(3), .string("x")]) == .categorical([.string("x"), .int(3)]))
    }
}
