import Foundation
import Optimizer

extension SearchSpace {
    /// The space with `sampling_algorithm.logbase` applied (HyperDriveSemantics.md §Running a
    /// trial): the log-scaled expressions' bounds and parameters, written in base `base`, are
    /// rewritten to natural logs, since B^x = exp(x·ln B):
    ///
    /// ```
    /// loguniform(a, b)            → loguniform(a·ln B, b·ln B)      value B^uniform(a, b)
    /// qloguniform(a, b, q)        → qloguniform(a·ln B, b·ln B, q)
    /// lognormal(μ, σ)             → lognormal(μ·ln B, σ·ln B)       value B^normal(μ, σ)
    /// qlognormal(μ, σ, q)         → qlognormal(μ·ln B, σ·ln B, q)
    /// ```
    ///
    /// Nested expressions of conditional choices are rewritten too; other expressions are
    /// unchanged.
    func rebasedLogExpressions(base: Double) -> SearchSpace {
        let scale = Foundation.log(base)
        let parameters = self.parameters.map { Parameter(name: $0.name, expression: $0.expression.rebased(scale: scale)) }
        // Scaling by ln B > 0 keeps every bound ordered and every sigma ≥ 0; for 0 < B < 1 the
        // bounds swap, and the rewrite orders them again.
        return (try? SearchSpace(parameters: parameters)) ?? self
    }
}

extension ParameterExpression {
    /// The expression with its log-scale exponents multiplied by `scale` (= ln B).
    fileprivate func rebased(scale: Double) -> ParameterExpression {
        switch self {
        case .logUniform(let a, let b):
            return .logUniform(Swift.min(a * scale, b * scale), Swift.max(a * scale, b * scale))
        case .qLogUniform(let a, let b, let q):
            return .qLogUniform(Swift.min(a * scale, b * scale), Swift.max(a * scale, b * scale), q: q)
        case .logNormal(let mu, let sigma):
            return .logNormal(mu: mu * scale, sigma: sigma * Swift.abs(scale))
        case .qLogNormal(let mu, let sigma, let q):
            return .qLogNormal(mu: mu * scale, sigma: sigma * Swift.abs(scale), q: q)
        case .choice(let options):
            return .choice(options.map { option in
                guard case .mapping(let entries) = option else { return option }
                return .mapping(entries.map { entry in
                    guard case .expression(let nested) = entry.value else { return entry }
                    return ChoiceEntry(name: entry.name, value: .expression(nested.rebased(scale: scale)))
                })
            })
        case .randint, .uniform, .quniform, .normal, .qNormal:
            return self
        }
    }
}
