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
            if !(sigma >= 0) || !sigma.isFinite {
                report("sigma", "\(formatForMessage(sigma)) must be ≥ 0 (the standard deviation); use a non-negative sigma")
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
        case .int, .string: break
        case .double(let x):
            if !x.isFinite {
                problems.append(.init(path: path, message: "\(formatForMessage(x)) is not a finite number; list finite values only"))
            }
        case .mapping(let named):
            var seen = Set<String>()
            for entry in named {
                if !seen.insert(entry.name).inserted {
                    problems.append(.init(path: "\(path).\(entry.name)", message: "appears twice in the same mapping; keep one"))
                }
                entry.value.validateAsChoiceLiteral(path: "\(path).\(entry.name)", into: &problems)
            }
        }
    }
}

/// A number as a user wrote it (integers without ".0").
package func formatForMessage(_ x: Double) -> String {
    if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return x.description
}
