/// A parameter expression: the distribution one hyperparameter is drawn from
/// (<doc:HyperDriveSemantics#Search-space>; draws and encoding in <doc:SearchSpaces>).
///
/// The ten expressions of Azure ML sweep jobs, with the same meaning:
///
/// | case | value drawn |
/// |---|---|
/// | `choice(options)` | one option, each listed option equally likely |
/// | `randint(upper:)` | integer in [0, upper) |
/// | `uniform(min, max)` | real, uniform on [min, max] |
/// | `quniform(min, max, q:)` | round(uniform(min, max)/q)·q |
/// | `logUniform(min, max)` | exp(uniform(min, max)); **the bounds are natural logs** |
/// | `qLogUniform(min, max, q:)` | round(exp(uniform(min, max))/q)·q |
/// | `normal(mu:sigma:)` | normal(mu, sigma) |
/// | `qNormal(mu:sigma:q:)` | round(normal(mu, sigma)/q)·q |
/// | `logNormal(mu:sigma:)` | exp(normal(mu, sigma)) |
/// | `qLogNormal(mu:sigma:q:)` | round(exp(normal(mu, sigma))/q)·q |
///
/// `round` is round-half-to-even. A q-expression yields ``ParameterValue/int(_:)`` when `q` is
/// integral and, for `quniform` and `qLogUniform`, `min` and `max` are integral too (for
/// `qLogUniform` the bounds are logs, so this is a property of how the user wrote them, kept for
/// Azure compatibility); otherwise ``ParameterValue/double(_:)``.
///
/// ```swift
/// let space = try SearchSpace([
///     "lr": .logUniform(-6, -1),
///     "layers": .choice([1, 2, 3]),
///     "optimizer": .choice(["adam", "sgd"]),
/// ])
/// ```
public indirect enum ParameterExpression: Sendable, Hashable {
    /// One of the options, equally likely. Options are literals or mappings (conditional spaces).
    case choice([ChoiceOption])
    /// An integer in [0, upper); `upper` is never drawn.
    case randint(upper: Int)
    /// Uniform on [min, max].
    case uniform(Double, Double)
    /// round(uniform(min, max)/q)·q.
    case quniform(Double, Double, q: Double)
    /// exp(uniform(min, max)): the bounds are natural logarithms.
    case logUniform(Double, Double)
    /// round(exp(uniform(min, max))/q)·q: the bounds are natural logarithms.
    case qLogUniform(Double, Double, q: Double)
    /// normal(mu, sigma), unbounded.
    case normal(mu: Double, sigma: Double)
    /// round(normal(mu, sigma)/q)·q.
    case qNormal(mu: Double, sigma: Double, q: Double)
    /// exp(normal(mu, sigma)).
    case logNormal(mu: Double, sigma: Double)
    /// round(exp(normal(mu, sigma))/q)·q.
    case qLogNormal(mu: Double, sigma: Double, q: Double)

    /// The expression's name as written in YAML (`choice`, `randint`, `loguniform`, …).
    public var typeName: String {
        switch self {
        case .choice: return "choice"
        case .randint: return "randint"
        case .uniform: return "uniform"
        case .quniform: return "quniform"
        case .logUniform: return "loguniform"
        case .qLogUniform: return "qloguniform"
        case .normal: return "normal"
        case .qNormal: return "qnormal"
        case .logNormal: return "lognormal"
        case .qLogNormal: return "qlognormal"
        }
    }

    /// True for `choice` whose options, at every depth, hold only literals and further
    /// `choice` expressions: the expressions a grid can enumerate.
    public var isChoiceOnly: Bool {
        guard case .choice(let options) = self else { return false }
        return options.allSatisfy { option in
            guard case .mapping(let entries) = option else { return true }
            return entries.allSatisfy { entry in
                if case .expression(let nested) = entry.value { return nested.isChoiceOnly }
                return true
            }
        }
    }

    /// True when every value the expression can produce is one of a finite set
    /// (choice of finite options, randint, quniform, qloguniform).
    public var isFinite: Bool {
        switch self {
        case .choice(let options):
            return options.allSatisfy { option in
                guard case .mapping(let entries) = option else { return true }
                return entries.allSatisfy { entry in
                    if case .expression(let nested) = entry.value { return nested.isFinite }
                    return true
                }
            }
        case .randint, .quniform, .qLogUniform: return true
        case .uniform, .logUniform, .normal, .qNormal, .logNormal, .qLogNormal: return false
        }
    }
}

/// One option of a `choice`: a literal value, or a mapping whose entries are literals or
/// nested expressions (a conditional search space, any depth).
///
/// Options are expressible by integer, float and string literals:
/// `.choice([1, 2, 3])`, `.choice(["adam", "sgd"])`,
/// `.choice([.mapping(["model": "svm", "C": .expression(.logUniform(-3, 3))])])`.
public enum ChoiceOption: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral
{
    /// A literal: ``ParameterValue/int(_:)``, ``ParameterValue/double(_:)`` or
    /// ``ParameterValue/string(_:)``. A literal ``ParameterValue/mapping(_:)`` is accepted and
    /// treated as a ``mapping(_:)-enum.case`` of literals.
    case literal(ParameterValue)
    /// A mapping option; its value in a configuration is a ``ParameterValue/mapping(_:)`` with
    /// every nested expression replaced by a drawn value.
    case mapping([ChoiceEntry])

    /// The literal integer `value`.
    public init(integerLiteral value: Int) { self = .literal(.int(value)) }
    /// The literal double `value`.
    public init(floatLiteral value: Double) { self = .literal(.double(value)) }
    /// The literal string `value`.
    public init(stringLiteral value: String) { self = .literal(.string(value)) }

    /// A mapping option from ordered name–value pairs:
    /// `.mapping(["kernel": "rbf", "gamma": .expression(.logUniform(-5, 0))])`.
    public static func mapping(_ pairs: KeyValuePairs<String, ChoiceEntry.Value>) -> ChoiceOption {
        .mapping(pairs.map { ChoiceEntry(name: $0.key, value: $0.value) })
    }

    /// The option with literal mappings rewritten as ``mapping(_:)`` (one canonical form).
    package var normalized: ChoiceOption {
        if case .literal(.mapping(let named)) = self {
            return .mapping(named.map { ChoiceEntry(name: $0.name, value: .literal($0.value)) })
        }
        return self
    }

    /// True when the option contains no nested expression (its value is fixed).
    package var isLiteral: Bool {
        switch normalized {
        case .literal: return true
        case .mapping(let entries):
            return entries.allSatisfy { if case .literal = $0.value { return true } else { return false } }
        }
    }
}

/// One entry of a mapping option of a `choice`: a name and a literal or nested expression.
public struct ChoiceEntry: Sendable, Hashable {
    /// What an entry holds.
    public enum Value: Sendable, Hashable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
        ExpressibleByStringLiteral
    {
        /// A fixed value (int, double or string; nested literal mappings are allowed).
        case literal(ParameterValue)
        /// A nested parameter expression, drawn when this option is chosen.
        case expression(ParameterExpression)

        /// The literal integer `value`.
        public init(integerLiteral value: Int) { self = .literal(.int(value)) }
        /// The literal double `value`.
        public init(floatLiteral value: Double) { self = .literal(.double(value)) }
        /// The literal string `value`.
        public init(stringLiteral value: String) { self = .literal(.string(value)) }
    }

    /// The entry's name (a key of the rendered JSON object).
    public var name: String
    /// A literal or a nested expression.
    public var value: Value

    /// An entry named `name` holding `value`.
    public init(name: String, value: Value) {
        self.name = name
        self.value = value
    }
}
