import Foundation

extension ParameterExpression {
    /// Appends every problem of this expression to `problems`, with paths under `path`
    /// (e.g. `search_space.lr`) and YAML field names (`min_value`, `sigma`, …).
    public func validate(path: String, into problems: inout [ConfigurationProblem]) {
        func report(_ field: String, _ message: String) {
            problems.append(ConfigurationProblem(path: field.isEmpty ? path : "\(path).\(field)", message: message))
        }
        func finite(_ field: String, _ value: Double) -> Bool {
            if value.isFinite { return true }
            report(field, "\(formatForMessage(value)) must be a finite number")
            return false
        }
        func checkQ(_ q: Double) {
            if !(q > 0) || !q.isFinite {
                report("q", "\(formatForMessage(q)) must be a positive number (the rounding step, e.g. 1 for integers or 0.1)")
            }
        }
        func checkSigma(_ sigma: Double) {
            if !(sigma > 0) || !sigma.isFinite {
                let shown = sigma == 0 && sigma.sign == .minus ? "-0" : formatForMessage(sigma)
                report("sigma", "\(shown) must be > 0 (the standard deviation); use a positive sigma (a fixed value belongs in a choice with one value)")
            }
        }
        func checkBounds(_ a: Double, _ b: Double, strict: Bool, logScale: Bool) {
            let okA = finite("min_value", a)
            let okB = finite("max_value", b)
            guard okA, okB else { return }
            let bad = strict ? !(a < b) : !(a <= b)
            if bad {
                let relation = strict ? "less than" : "at most"
                var message = "\(formatForMessage(a)) must be \(relation) max_value (\(formatForMessage(b))); swap them or widen the range"
                if logScale {
                    message += " (loguniform bounds are natural logs: loguniform(-6, -1) draws 0.0025…0.37)"
                }
                report("min_value", message)
            }
            if logScale, b > 709 {
                report("max_value", "\(formatForMessage(b)) is a natural log and exp(\(formatForMessage(b))) overflows; use a bound ≤ 709 (bounds are logs, not values)")
            }
        }

        let before = problems.count
        switch self {
        case .choice(let options):
            if options.isEmpty {
                report("values", "is empty; list at least one value, e.g. values: [1, 2, 3]")
            }
            for (i, option) in options.enumerated() {
                option.normalized.validate(path: "\(path).values[\(i)]", into: &problems)
            }
        case .randint(let upper):
            if upper <= 0 {
                report("upper", "\(upper) must be an integer > 0 (values are drawn from 0 to upper − 1)")
            }
        case .uniform(let a, let b):
            checkBounds(a, b, strict: true, logScale: false)
        case .quniform(let a, let b, let q):
            checkBounds(a, b, strict: true, logScale: false)
            checkQ(q)
        case .logUniform(let a, let b):
            checkBounds(a, b, strict: false, logScale: true)
        case .qLogUniform(let a, let b, let q):
            checkBounds(a, b, strict: false, logScale: true)
            checkQ(q)
        case .normal(let mu, let sigma), .logNormal(let mu, let sigma):
            _ = finite("mu", mu)
            checkSigma(sigma)
        case .qNormal(let mu, let sigma, let q), .qLogNormal(let mu, let sigma, let q):
            _ = finite("mu", mu)
            checkSigma(sigma)
            checkQ(q)
        }
        if problems.count == before, !isChoice {
            checkFiniteDraws(path: path, into: &problems)
        }
    }

    private var isChoice: Bool {
        if case .choice = self { return true }
        return false
    }
}

extension ParameterExpression {
    /// The most extreme unit coordinates a sampler feeds to ``value(fromUnit:offset:)``
    /// (``openUnit(using:)`` gives (k + ½)·2⁻⁵³; Sobol points are cell centres, no closer to 0 or 1).
    static let extremeUnits: [Double] = [0x1p-54, 0.5, 1 - 0x1p-53]

    /// Every draw of a valid leaf expression must be a finite number: the maps from the unit
    /// interval are monotone, so checking the most extreme coordinates covers every draw.
    func checkFiniteDraws(path: String, into problems: inout [ConfigurationProblem]) {
        guard let extreme = Self.extremeUnits.lazy.map({ self.leafValue($0) }).first(where: { !$0.isFiniteNumber }) else { return }
        let shown: String
        if case .double(let x) = extreme { shown = formatForMessage(x) } else { shown = extreme.plainText }
        let hint: String
        switch self {
        case .logNormal, .qLogNormal:
            hint = "exp(mu + 8.3·sigma) must stay below 1.8e308: keep mu + 8.3·sigma < 709 (mu and sigma are natural logs)"
        case .normal, .qNormal:
            hint = "|mu| + 8.3·sigma must stay below 1.8e308; use smaller mu or sigma"
        case .uniform, .quniform:
            hint = "max_value − min_value must stay below 1.8e308; use a narrower range"
        case .logUniform, .qLogUniform:
            hint = "exp(max_value) must stay below 1.8e308; use bounds ≤ 709 (they are natural logs)"
        case .randint, .choice:
            hint = "use smaller parameters"
        }
        var message = "draws values that are not finite numbers (an extreme draw is \(shown)): \(hint)"
        switch self {
        case .quniform(_, _, let q), .qLogUniform(_, _, let q), .qNormal(_, _, let q), .qLogNormal(_, _, let q):
            if Self.extremeUnits.contains(where: { unquantisedValue($0).isFinite && !leafValue($0).isFiniteNumber }) {
                message = "draws values that are not finite numbers (an extreme draw is \(shown)): q = \(formatForMessage(q)) is too small for the range (value/q overflows); use a larger q"
            }
        default:
            break
        }
        problems.append(ConfigurationProblem(path: path, message: message))
    }

    /// The value before rounding to a multiple of q (for messages).
    private func unquantisedValue(_ u: Double) -> Double {
        switch self {
        case .quniform(let a, let b, _): return Self.uniformValue(u, a, b)
        case .qLogUniform(let a, let b, _): return Self.logUniformValue(u, a, b)
        case .qNormal(let mu, let sigma, _): return mu + sigma * Self.normalQuantile(u)
        case .qLogNormal(let mu, let sigma, _): return exp(mu + sigma * Self.normalQuantile(u))
        default: return 0
        }
    }
}

extension ParameterValue {
    /// `false` for a non-finite double, or a mapping holding one (ints and strings are finite).
    public var isFiniteNumber: Bool {
        switch self {
        case .double(let x): return x.isFinite
        case .int, .string: return true
        case .mapping(let entries): return entries.allSatisfy { $0.value.isFiniteNumber }
        }
    }
}

extension ChoiceOption {
    func validate(path: String, into problems: inout [ConfigurationProblem]) {
        switch self {
        case .literal(let value):
            value.validateAsChoiceLiteral(path: path, into: &problems)
        case .mapping(let entries):
            if entries.isEmpty {
                problems.append(.init(path: path, message: "is an empty mapping; give it at least one entry or use a plain value"))
            }
            var seen = Set<String>()
            for entry in entries {
                let entryPath = "\(path).\(entry.name)"
                ParameterValue.string(entry.name).validateAsChoiceLiteral(path: entryPath, into: &problems)
                if entry.name.isEmpty {
                    problems.append(.init(path: path, message: "has an entry with an empty name; name every entry"))
                }
                if !seen.insert(entry.name).inserted {
                    problems.append(.init(path: entryPath, message: "appears twice in the same mapping; keep one"))
                }
                switch entry.value {
                case .literal(let v): v.validateAsChoiceLiteral(path: entryPath, into: &problems)
                case .expression(let e): e.validate(path: entryPath, into: &problems)
                }
            }
        }
    }
}

extension ParameterValue {
    func validateAsChoiceLiteral(path: String, into problems: inout [ConfigurationProblem]) {
        switch self {
        case .int: break
        case .string(let text):
            if let bad = text.unicodeScalars.first(where: { $0 != "\t" && $0.properties.generalCategory == .control }) {
                let code = "U+" + String(bad.value, radix: 16, uppercase: true).leftPadded(to: 4)
                problems.append(.init(path: path, message: "contains the control character \(code)\(bad == "\0" ? " (NUL)" : ""); values are passed to commands and environment variables, where control characters other than tab are cut or misread; remove it"))
            }
        case .double(let x):
            if !x.isFinite {
                problems.append(.init(path: path, message: "\(formatForMessage(x)) is not a finite number; list finite values only"))
            }
        case .mapping(let named):
            var seen = Set<String>()
            for entry in named {
                ParameterValue.string(entry.name).validateAsChoiceLiteral(path: "\(path).\(entry.name)", into: &problems)
                if !seen.insert(entry.name).inserted {
                    problems.append(.init(path: "\(path).\(entry.name)", message: "appears twice in the same mapping; keep one"))
                }
                entry.value.validateAsChoiceLiteral(path: "\(path).\(entry.name)", into: &problems)
            }
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// A number as a user wrote it (integers without ".0").
package func formatForMessage(_ x: Double) -> String {
    if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return x.description
}
