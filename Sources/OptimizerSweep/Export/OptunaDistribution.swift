import Foundation
public import Optimizer

/// One of Optuna's parameter distributions (`optuna.distributions`, Optuna 5.0), as the journal
/// storage records it: `{"name": "FloatDistribution", "attributes": {...}}`.
///
/// Built from a ``ParameterExpression`` by ``init(expression:observed:)``; the mapping of each
/// hdbench expression is tabulated in the README ("Export to Optuna").
public enum OptunaDistribution: Sendable, Hashable {
    /// `FloatDistribution(low, high, log=log, step=step)`; Optuna forbids `log` with a `step`.
    case float(low: Double, high: Double, log: Bool, step: Double?)
    /// `IntDistribution(low, high, log=log, step=step)`; `log` needs `step == 1` and `low ≥ 1`.
    case int(low: Int, high: Int, log: Bool, step: Int)
    /// `CategoricalDistribution(choices)`: `None`, `bool`, `int`, `float` or `str` choices.
    case categorical([JSONValue])

    /// Optuna's internal representation of `value` (a float: the number itself, or the index
    /// of the choice); `nil` when `value` does not belong to the distribution's type.
    public func internalValue(of value: ParameterValue) -> Double? {
        switch self {
        case .float, .int:
            return value.numericValue
        case .categorical(let choices):
            return choices.firstIndex(of: Self.choice(value)).map(Double.init)
        }
    }

    /// The distribution as `optuna.distributions.distribution_to_json` writes it (a JSON text,
    /// stored as a string inside the journal line).
    public var json: String {
        let name: String
        let attributes: [(key: String, value: JSONValue)]
        switch self {
        case .float(let low, let high, let log, let step):
            name = "FloatDistribution"
            attributes = [("step", step.map(JSONValue.number) ?? .null), ("low", .number(low)), ("high", .number(high)),
                          ("log", .bool(log))]
        case .int(let low, let high, let log, let step):
            name = "IntDistribution"
            attributes = [("log", .bool(log)), ("step", .int(step)), ("low", .int(low)), ("high", .int(high))]
        case .categorical(let choices):
            name = "CategoricalDistribution"
            attributes = [("choices", .array(choices))]
        }
        return JSONValue.object([("name", .string(name)), ("attributes", .object(attributes))]).serialized()
    }

    /// A parameter value as a categorical choice: literals as themselves, a nested-choice
    /// mapping as its compact JSON text (Optuna's choices cannot be mappings).
    static func choice(_ value: ParameterValue) -> JSONValue {
        switch value {
        case .int(let integer): return .int(integer)
        case .double(let real): return .number(real)
        case .string(let text): return .string(text)
        case .mapping: return .string(ParameterJSON.value(value).serialized())
        }
    }
}

extension OptunaDistribution {
    /// Number of standard deviations either side of the mean that bound the normal forms
    /// (Optuna's distributions are bounded): ±4σ holds all but 6.3·10⁻⁵ of the mass, and the
    /// bounds are widened to every value a trial actually ran with.
    public static let normalHalfWidth = 4.0

    /// The Optuna distribution for the hdbench expression `expression`, whose trials ran with
    /// the values `observed` (the bounds are widened to contain each of them, so every
    /// `trial.params` value lies inside its distribution as Optuna requires).
    ///
    /// ```
    /// uniform(a, b)            FloatDistribution(a, b)
    /// loguniform(a, b)         FloatDistribution(eᵃ, eᵇ, log=True)
    /// randint(u)               IntDistribution(0, u − 1)
    /// quniform(a, b, q)        Int/FloatDistribution(qround(a), qround(b), step=q)
    /// qloguniform(a, b, q)     IntDistribution(qround(eᵃ), qround(eᵇ), log=True) when q = 1 and integral,
    ///                          else Int/FloatDistribution(qround(eᵃ), qround(eᵇ), step=q)
    /// normal(μ, σ)             FloatDistribution(μ − 4σ, μ + 4σ)
    /// lognormal(μ, σ)          FloatDistribution(e^(μ−4σ), e^(μ+4σ), log=True)
    /// qnormal(μ, σ, q)         Int/FloatDistribution(qround(μ − 4σ), qround(μ + 4σ), step=q)
    /// qlognormal(μ, σ, q)      as qloguniform over e^(μ±4σ)
    /// choice(options)          CategoricalDistribution(options); mappings as compact JSON text
    /// ```
    /// `Int…` when hdbench yields integers (``ParameterExpression/isIntegralValued``), `Float…`
    /// otherwise. A float `step` is kept only when q has a short decimal form (0.1, 0.25, 1e-5):
    /// Optuna checks `high − low` against the step in decimal arithmetic and lowers `high` when
    /// it does not divide, which binary multiples of other steps would trigger.
    public init(expression: ParameterExpression, observed: [ParameterValue]) {
        let numbers = observed.compactMap(\.numericValue).filter(\.isFinite)
        let q = Self.step(of: expression)
        let integral = expression.isIntegralValued
        func qround(_ x: Double) -> Double {
            ParameterExpression.quantize(x, q: q ?? 1, integral: integral).numericValue ?? x
        }
        func quantized(_ low: Double, _ high: Double, logScale: Bool) -> OptunaDistribution {
            let (lo, hi) = Self.widened(qround(low), qround(high), numbers)
            guard let q else { return .float(low: lo, high: hi, log: false, step: nil) }
            if integral, let loInt = Int(exactly: lo), let hiInt = Int(exactly: hi), let step = Int(exactly: q) {
                return .int(low: loInt, high: hiInt, log: logScale && step == 1 && loInt >= 1, step: step)
            }
            return .float(low: lo, high: hi, log: false, step: ParameterExpression.decimalScale(q) != nil ? q : nil)
        }
        func continuous(_ low: Double, _ high: Double, log: Bool) -> OptunaDistribution {
            let (lo, hi) = Self.widened(low, high, numbers)
            return .float(low: lo, high: hi, log: log && lo > 0, step: nil)
        }
        let k = Self.normalHalfWidth
        switch expression {
        case .choice(let options):
            self = Self.categorical(options: options, observed: observed)
        case .randint(let upper):
            let (lo, hi) = Self.widened(0, Double(upper - 1), numbers)
            self = .int(low: Int(lo), high: Int(hi), log: false, step: 1)
        case .uniform(let a, let b): self = continuous(a, b, log: false)
        case .logUniform(let a, let b): self = continuous(exp(a), exp(b), log: true)
        case .normal(let mu, let sigma): self = continuous(mu - k * sigma, mu + k * sigma, log: false)
        case .logNormal(let mu, let sigma): self = continuous(exp(mu - k * sigma), exp(mu + k * sigma), log: true)
        case .quniform(let a, let b, _): self = quantized(a, b, logScale: false)
        case .qLogUniform(let a, let b, _): self = quantized(exp(a), exp(b), logScale: true)
        case .qNormal(let mu, let sigma, _): self = quantized(mu - k * sigma, mu + k * sigma, logScale: false)
        case .qLogNormal(let mu, let sigma, _): self = quantized(exp(mu - k * sigma), exp(mu + k * sigma), logScale: true)
        }
    }

    /// The distribution of a parameter whose expression is unknown (a sweep defined in Swift, or
    /// a stored YAML that cannot be read): `IntDistribution(min, max)` when every value is an
    /// integer, `FloatDistribution(min, max)` when every value is numeric, otherwise a
    /// `CategoricalDistribution` of the distinct values in order of appearance.
    public init(inferredFrom observed: [ParameterValue]) {
        let integers = observed.compactMap { value -> Int? in if case .int(let i) = value { return i } else { return nil } }
        if !integers.isEmpty, integers.count == observed.count, let lo = integers.min(), let hi = integers.max() {
            self = .int(low: lo, high: hi, log: false, step: 1)
            return
        }
        let numbers = observed.compactMap(\.numericValue)
        if !numbers.isEmpty, numbers.count == observed.count, numbers.allSatisfy(\.isFinite),
           let lo = numbers.min(), let hi = numbers.max() {
            self = .float(low: lo, high: hi, log: false, step: nil)
            return
        }
        self = .categorical(Self.distinctChoices(observed))
    }

    /// `CategoricalDistribution` for a `choice`: the options in order when every option is a
    /// literal (a literal mapping as its compact JSON text); when an option holds a nested
    /// expression its values vary, so the choices are the distinct values trials ran with.
    static func categorical(options: [ChoiceOption], observed: [ParameterValue]) -> OptunaDistribution {
        var choices: [JSONValue] = []
        if options.allSatisfy(\.isLiteral) {
            for option in options {
                switch option.normalized {
                case .literal(let value): choices.append(choice(value))
                case .mapping(let entries):
                    let literal = entries.compactMap { entry -> ParameterValue.NamedValue? in
                        guard case .literal(let value) = entry.value else { return nil }
                        return ParameterValue.NamedValue(name: entry.name, value: value)
                    }
                    choices.append(choice(.mapping(literal)))
                }
            }
        }
        for value in distinctChoices(observed) where !choices.contains(value) { choices.append(value) }
        return .categorical(choices)
    }

    static func distinctChoices(_ values: [ParameterValue]) -> [JSONValue] {
        var seen = Set<String>()
        var choices: [JSONValue] = []
        for value in values {
            let choice = choice(value)
            if seen.insert(choice.serialized()).inserted { choices.append(choice) }
        }
        return choices
    }

    /// `[min(low, observed), max(high, observed)]`.
    static func widened(_ low: Double, _ high: Double, _ observed: [Double]) -> (Double, Double) {
        (min(low, observed.min() ?? low), max(high, observed.max() ?? high))
    }

    /// The quantisation step of a q-expression.
    static func step(of expression: ParameterExpression) -> Double? {
        switch expression {
        case .quniform(_, _, let q), .qLogUniform(_, _, let q), .qNormal(_, _, let q), .qLogNormal(_, _, let q): return q
        case .choice, .randint, .uniform, .logUniform, .normal, .logNormal: return nil
        }
    }
}
