import Testing
@testable import Optimizer

/// Whether a value from outside (enqueue, warm start) is one the space could produce, and its
/// canonical form.
@Suite("Search space membership")
struct SearchSpaceMembershipTests {
    func canonical(_ expression: ParameterExpression, _ value: ParameterValue) -> ParameterValue? {
        try? expression.canonicalValue(value).get()
    }

    @Test func everyExpressionAdmitsWhatItDrawsAndNothingElse() throws {
        let expressions: [ParameterExpression] = [
            .choice([1, 2.5, "adam"]), .randint(upper: 4), .uniform(-1, 1), .quniform(0, 10, q: 2), .quniform(0, 1, q: 0.1),
            .logUniform(-6, -1), .qLogUniform(0, 5, q: 1), .normal(mu: 0, sigma: 1), .qNormal(mu: 0, sigma: 5, q: 0.5),
            .logNormal(mu: 0, sigma: 1), .qLogNormal(mu: 1, sigma: 1, q: 1),
            .choice([.mapping(["kernel": "rbf", "gamma": .expression(.logUniform(-5, 0))]), .mapping(["kernel": "linear"])]),
        ]
        var rng = SplitMix64(seed: 1)
        for expression in expressions {
            for _ in 0..<200 {
                let drawn = expression.sample(using: &rng)
                #expect(canonical(expression, drawn) == drawn, "\(expression): \(drawn)")
            }
        }
    }

    @Test func valuesOutsideAreRefusedWithAReason() {
        #expect(canonical(.choice([1, 2, 3]), .double(2)) == .int(2))
        #expect(canonical(.choice([1, 2, 3]), .int(4)) == nil)
        #expect(canonical(.choice(["a"]), .int(1)) == nil)
        #expect(canonical(.randint(upper: 4), .double(3)) == .int(3))
        #expect(canonical(.randint(upper: 4), .int(4)) == nil)
        #expect(canonical(.randint(upper: 4), .double(1.5)) == nil)
        #expect(canonical(.uniform(0, 1), .int(1)) == .double(1))
        #expect(canonical(.uniform(0, 1), .double(1.0001)) == nil)
        #expect(canonical(.uniform(0, 1), .string("0.5")) == nil)
        #expect(canonical(.quniform(0, 10, q: 2), .double(4)) == .int(4))
        #expect(canonical(.quniform(0, 10, q: 2), .int(5)) == nil)
        #expect(canonical(.quniform(0, 10, q: 2), .int(12)) == nil)
        #expect(canonical(.quniform(0, 1, q: 0.1), .double(0.3)) == .double(0.3))
        #expect(canonical(.logUniform(0, 1), .double(0.5)) == nil)
        #expect(canonical(.logNormal(mu: 0, sigma: 1), .double(0)) == nil)
        #expect(canonical(.normal(mu: 0, sigma: 1), .double(.nan)) == nil)
        let nested = ParameterExpression.choice([.mapping(["kernel": "rbf", "gamma": .expression(.uniform(0, 1))])])
        let reordered = ParameterValue.mapping([.init(name: "gamma", value: .double(0.5)), .init(name: "kernel", value: .string("rbf"))])
        #expect(canonical(nested, reordered) == .mapping([.init(name: "kernel", value: .string("rbf")), .init(name: "gamma", value: .double(0.5))]))
        #expect(canonical(nested, .mapping([.init(name: "kernel", value: .string("rbf")), .init(name: "gamma", value: .double(2))])) == nil)
        #expect(ParameterExpression.randint(upper: 4).canonicalValue(.int(9)) == .failure(.init("is not an integer in [0, 4)")))
    }
}
