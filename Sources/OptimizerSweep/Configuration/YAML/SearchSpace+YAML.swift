import Optimizer

extension SearchSpace {
    /// The keys each expression takes, besides `type`.
    static let expressionKeys: [(type: String, keys: [String])] = [
        ("choice", ["values"]),
        ("randint", ["upper"]),
        ("uniform", ["min_value", "max_value"]),
        ("quniform", ["min_value", "max_value", "q"]),
        ("loguniform", ["min_value", "max_value"]),
        ("qloguniform", ["min_value", "max_value", "q"]),
        ("normal", ["mu", "sigma"]),
        ("qnormal", ["mu", "sigma", "q"]),
        ("lognormal", ["mu", "sigma"]),
        ("qlognormal", ["mu", "sigma", "q"]),
    ]

    /// Reads a `search_space:` mapping; problems go to `reader` (the space is `nil` when any
    /// were found).
    static func read(yaml node: YAML11Node, path: String, reader: inout YAML11Reader) -> SearchSpace? {
        let before = reader.problems.count
        guard let entries = reader.mapping(node, path, example: "{lr: {type: loguniform, min_value: -6, max_value: -1}}") else {
            return nil
        }
        if entries.isEmpty {
            reader.error(path, "is empty; define at least one parameter")
        }
        var parameters: [Parameter] = []
        for entry in entries {
            let parameterPath = YAML11Reader.join(path, entry.key)
            if case .string = entry.keyNode.kind {} else {
                reader.error(parameterPath, "the name '\(entry.key)' is read by YAML 1.1 as \(entry.keyNode.typeDescription), not as text; quote it or rename the parameter")
                continue
            }
            if let expression = readExpression(entry.value, path: parameterPath, reader: &reader) {
                parameters.append(Parameter(name: entry.key, expression: expression))
            }
        }
        reader.problems += Self.problems(in: parameters, pathPrefix: path)
        guard reader.problems.count == before else { return nil }
        // Validated just above, so this cannot throw.
        return try? SearchSpace(parameters: parameters, pathPrefix: path)
    }

    /// Reads one parameter expression (`{type: uniform, min_value: 0, max_value: 1}`).
    static func readExpression(_ node: YAML11Node, path: String, reader: inout YAML11Reader) -> ParameterExpression? {
        guard let entries = node.entries else {
            reader.error(path, "must be a parameter expression such as {type: choice, values: [1, 2, 3]} or {type: uniform, min_value: 0, max_value: 1}, found \(node.typeDescription) at \(node.location)")
            return nil
        }
        let typeNames = expressionKeys.map(\.type)
        guard let typeEntry = entries.first(where: { $0.key == "type" }) else {
            reader.error(YAML11Reader.join(path, "type"), "is missing; add type: with one of \(typeNames.joined(separator: ", "))")
            return nil
        }
        guard let type = reader.keyword(typeEntry.value, YAML11Reader.join(path, "type"), options: typeNames) else {
            return nil
        }
        let keys = expressionKeys.first { $0.type == type }?.keys ?? []
        var ignored: [(path: String, value: String)] = []
        let fields = reader.keyed(entries.filter { $0.key != "type" }, path, allowed: keys, recorded: &ignored,
                                  what: "a \(type) expression")
        func field(_ key: String) -> String { YAML11Reader.join(path, key) }
        func number(_ key: String, _ example: String) -> Double? {
            reader.number(fields[key], field(key), example: "\(key): \(example)")
        }

        switch type {
        case "choice":
            guard let valuesNode = fields["values"] else {
                reader.error(field("values"), "is missing; list the values, e.g. values: [16, 32, 64]")
                return nil
            }
            guard case .sequence(let items) = valuesNode.kind else {
                reader.error(field("values"), "must be a list, e.g. values: [16, 32, 64], found \(valuesNode.typeDescription) at \(valuesNode.location)")
                return nil
            }
            var options: [ChoiceOption] = []
            var ok = true
            for (i, item) in items.enumerated() {
                if let option = readChoiceOption(item, path: "\(field("values"))[\(i)]", reader: &reader) {
                    options.append(option)
                } else {
                    ok = false
                }
            }
            return ok ? .choice(options) : nil
        case "randint":
            guard let upper = reader.integer(fields["upper"], field("upper"), example: "upper: 10") else { return nil }
            return .randint(upper: upper)
        case "uniform", "loguniform", "quniform", "qloguniform":
            let a = number("min_value", type.contains("log") ? "-6" : "0")
            let b = number("max_value", type.contains("log") ? "-1" : "1")
            let q = type.hasPrefix("q") ? number("q", "1") : 1
            guard let a, let b, let q else { return nil }
            switch type {
            case "uniform": return .uniform(a, b)
            case "quniform": return .quniform(a, b, q: q)
            case "loguniform": return .logUniform(a, b)
            default: return .qLogUniform(a, b, q: q)
            }
        default:
            let mu = number("mu", "0")
            let sigma = number("sigma", "1")
            let q = type.hasPrefix("q") ? number("q", "1") : 1
            guard let mu, let sigma, let q else { return nil }
            switch type {
            case "normal": return .normal(mu: mu, sigma: sigma)
            case "qnormal": return .qNormal(mu: mu, sigma: sigma, q: q)
            case "lognormal": return .logNormal(mu: mu, sigma: sigma)
            default: return .qLogNormal(mu: mu, sigma: sigma, q: q)
            }
        }
    }

    /// One item of `values:`: a literal, or a mapping of literals and nested expressions.
    static func readChoiceOption(_ node: YAML11Node, path: String, reader: inout YAML11Reader) -> ChoiceOption? {
        if case .mapping(let entries) = node.kind {
            var result: [ChoiceEntry] = []
            var ok = true
            for entry in entries {
                let entryPath = YAML11Reader.join(path, entry.key)
                if entry.value.entries?.contains(where: { $0.key == "type" }) == true {
                    if let expression = readExpression(entry.value, path: entryPath, reader: &reader) {
                        result.append(ChoiceEntry(name: entry.key, value: .expression(expression)))
                    } else {
                        ok = false
                    }
                } else if let literal = readChoiceLiteral(entry.value, path: entryPath, reader: &reader) {
                    result.append(ChoiceEntry(name: entry.key, value: .literal(literal)))
                } else {
                    ok = false
                }
            }
            return ok ? .mapping(result) : nil
        }
        return readChoiceLiteral(node, path: path, reader: &reader).map(ChoiceOption.literal)
    }

    /// A literal value inside a choice: int, float, string, or a mapping of literals.
    static func readChoiceLiteral(_ node: YAML11Node, path: String, reader: inout YAML11Reader) -> ParameterValue? {
        switch node.kind {
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .null:
            reader.error(path, "null is not allowed in a choice (line \(node.line)); remove it, or quote it ('null') to use the text")
        case .bool(let b):
            reader.error(path, "'\(node.text)' is read by YAML 1.1 as the boolean \(b ? "true" : "false") (line \(node.line)); booleans are not allowed in a choice — quote it ('\(node.text)') to use the text, or use 1/0")
        case .timestamp:
            reader.error(path, "'\(node.text)' is read by YAML 1.1 as a date (line \(node.line)); quote it to use the text")
        case .sequence:
            reader.error(path, "nested lists are not allowed in a choice (line \(node.line)); list each value separately, or write the list as one quoted string")
        case .mapping(let entries):
            var named: [ParameterValue.NamedValue] = []
            var ok = true
            for entry in entries {
                if let v = readChoiceLiteral(entry.value, path: YAML11Reader.join(path, entry.key), reader: &reader) {
                    named.append(.init(name: entry.key, value: v))
                } else {
                    ok = false
                }
            }
            return ok ? .mapping(named) : nil
        }
        return nil
    }
}
