import Foundation

// Whether a value given from outside (an enqueued configuration, a warm-start trial, a trial
// evaluated elsewhere) is one the space could have produced, and its canonical form: the value
// a draw of the same point would give (an int for integral expressions, the option as written
// for a choice), so configurations from outside compare equal to drawn ones.

extension ParameterExpression {
    /// `value` as this expression would produce it, or why it cannot be produced.
    ///
    /// Numbers are compared as numbers (`1` and `1.0` are the same value); q-expressions take
    /// multiples of `q` (to a relative 1e-9) within their quantised range; bounded expressions
    /// take values within their bounds (log bounds are natural logs, so `logUniform(a, b)` takes
    /// `exp(a)…exp(b)`, to a relative 1e-12); a choice takes one of its options (a mapping
    /// option takes a mapping with the same names, in any order, whose nested values its
    /// expressions admit).
    public func canonicalValue(_ value: ParameterValue) -> Result<ParameterValue, ValueProblem> {
        switch self {
        case .choice(let options):
            for option in options {
                if let matched = option.normalized.canonicalValue(value) { return .success(matched) }
            }
            return .failure(ValueProblem("is not one of the choice's \(options.count) options"))
        case .randint(let upper):
            guard let x = value.numericValue, x == x.rounded(), x >= 0, x < Double(upper), let i = Int(exactly: x) else {
                return .failure(ValueProblem(value.numericValue == nil ? "is not a number (randint takes integers)" : "is not an integer in [0, \(upper))"))
            }
            return .success(.int(i))
        case .uniform(let a, let b):
            return Self.real(value, within: a, b, tolerance: 0).map { .double($0) }
        case .logUniform(let a, let b):
            return Self.real(value, within: exp(a), exp(b), tolerance: 1e-12).map { .double($0) }
        case .quniform(let a, let b, let q):
            return quantized(value, q: q, within: (a / q).rounded(.toNearestOrEven) * q, (b / q).rounded(.toNearestOrEven) * q)
        case .qLogUniform(let a, let b, let q):
            return quantized(value, q: q, within: (exp(a) / q).rounded(.toNearestOrEven) * q, (exp(b) / q).rounded(.toNearestOrEven) * q)
        case .normal:
            return Self.real(value, within: -.infinity, .infinity, tolerance: 0).map { .double($0) }
        case .logNormal:
            return Self.real(value, within: .leastNonzeroMagnitude, .infinity, tolerance: 0).map { .double($0) }
        case .qNormal(_, _, let q):
            return quantized(value, q: q, within: -.infinity, .infinity)
        case .qLogNormal(_, _, let q):
            return quantized(value, q: q, within: 0, .infinity)
        }
    }

    /// Why a value is not in a parameter's range, in words (`is not one of the choice's 3 options`).
    public struct ValueProblem: Error, Sendable, Hashable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    private static func real(_ value: ParameterValue, within low: Double, _ high: Double, tolerance: Double) -> Result<Double, ValueProblem> {
        guard let x = value.numericValue else { return .failure(ValueProblem("is not a number")) }
        guard x.isFinite else { return .failure(ValueProblem("is not a finite number")) }
        let slack = tolerance * max(abs(low.isFinite ? low : 0), abs(high.isFinite ? high : 0))
        guard x >= low - slack, x <= high + slack else {
            return .failure(ValueProblem("is outside [\(short(low)), \(short(high))]"))
        }
        return .success(min(max(x, low), high))
    }

    private func quantized(_ value: ParameterValue, q: Double, within low: Double, _ high: Double) -> Result<ParameterValue, ValueProblem> {
        guard let x = value.numericValue else { return .failure(ValueProblem("is not a number")) }
        guard x.isFinite else { return .failure(ValueProblem("is not a finite number")) }
        let snapped = Self.quantize(x, q: q, integral: isIntegralValued)
        let y = snapped.numericValue ?? .nan
        guard abs(y - x) <= 1e-9 * max(abs(x), abs(q)) else { return .failure(ValueProblem("is not a multiple of q = \(Self.short(q))")) }
        guard y >= low - 1e-9 * abs(q), y <= high + 1e-9 * abs(q) else {
            return .failure(ValueProblem("is outside [\(Self.short(low)), \(Self.short(high))]"))
        }
        return .success(snapped)
    }

    static func short(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.6g", x)
    }
}

extension ChoiceOption {
    /// The option's value when `value` is it (numbers compared as numbers).
    fileprivate func canonicalValue(_ value: ParameterValue) -> ParameterValue? {
        switch self {
        case .literal(let literal):
            return ParameterValue.sameValue(literal, value) ? literal : nil
        case .mapping(let entries):
            // Names in any order (JSON objects have none); the result has the option's order.
            guard case .mapping(let given) = value, Set(given.map(\.name)) == Set(entries.map(\.name)),
                  given.count == entries.count else { return nil }
            var result: [ParameterValue.NamedValue] = []
            for entry in entries {
                guard let item = given.first(where: { $0.name == entry.name }) else { return nil }
                switch entry.value {
                case .literal(let literal):
                    guard ParameterValue.sameValue(literal, item.value) else { return nil }
                    result.append(.init(name: entry.name, value: literal))
                case .expression(let nested):
                    guard case .success(let v) = nested.canonicalValue(item.value) else { return nil }
                    result.append(.init(name: entry.name, value: v))
                }
            }
            return .mapping(result)
        }
    }
}

extension ParameterValue {
    /// Equal, with ints and doubles compared as numbers.
    static func sameValue(_ a: ParameterValue, _ b: ParameterValue) -> Bool {
        switch (a, b) {
        case (.int, .double), (.double, .int): return a.numericValue == b.numericValue
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.name == $1.name && sameValue($0.value, $1.value) }
        default: return a == b
        }
    }
}

extension SearchSpace {
    /// The configuration of this space that `values` name, in canonical form
    /// (``ParameterExpression/canonicalValue(_:)``), or every problem with it: a name the space
    /// does not have, a parameter missing, a value the parameter cannot take. Problems name the
    /// parameter as their path.
    public func configuration(validating values: [(name: String, value: ParameterValue)]) -> Result<Configuration, ConfigurationError> {
        var problems: [ConfigurationProblem] = []
        var given: [String: ParameterValue] = [:]
        for (name, value) in values {
            if self[name] == nil {
                problems.append(.init(path: name, message: "is not a parameter of the search space (its parameters: \(names.joined(separator: ", ")))"))
            } else if given.updateValue(value, forKey: name) != nil {
                problems.append(.init(path: name, message: "is given twice"))
            }
        }
        var result: [ParameterValue] = []
        for parameter in parameters {
            guard let value = given[parameter.name] else {
                problems.append(.init(path: parameter.name, message: "is missing (every parameter of the search space needs a value)"))
                continue
            }
            switch parameter.expression.canonicalValue(value) {
            case .success(let v): result.append(v)
            case .failure(let problem):
                problems.append(.init(path: parameter.name, message: "\(value.jsonText) \(problem.message) (\(parameter.expression.typeName))"))
            }
        }
        if !problems.isEmpty { return .failure(ConfigurationError(problems)) }
        return .success(Configuration(names: names, values: result))
    }

    /// ``configuration(validating:)`` for a configuration of (possibly) another space.
    public func configuration(validating configuration: Configuration) -> Result<Configuration, ConfigurationError> {
        self.configuration(validating: zip(configuration.names, configuration.values).map { ($0, $1) })
    }
}
