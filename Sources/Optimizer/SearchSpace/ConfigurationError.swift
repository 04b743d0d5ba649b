/// One problem found in a user's sweep definition (YAML or Swift), naming where it is,
/// what was found and how to fix it.
///
/// Example: `early_termination.slack_factor: -0.2 must be ≥ 0`.
public struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    /// Dotted path of the offending field, e.g. `search_space.lr.min_value`.
    public var path: String
    /// What is wrong and how to fix it.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message` on one line: line breaks and other control characters quoted from a
    /// user's value are shown escaped (`\n`, `\u{7}`), so one problem is always one line.
    public var description: String {
        let line = path.isEmpty ? message : "\(path): \(message)"
        guard line.unicodeScalars.contains(where: { $0 != "\t" && $0.properties.generalCategory == .control }) else { return line }
        var escaped = ""
        for scalar in line.unicodeScalars {
            switch scalar {
            case "\t": escaped += "\t"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case _ where scalar.properties.generalCategory == .control:
                escaped += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

/// Thrown when a sweep definition is invalid; carries every problem found, not only the first.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigurationProblem]

    public init(_ problems: [ConfigurationProblem]) {
        precondition(!problems.isEmpty, "ConfigurationError needs at least one problem")
        self.problems = problems
    }

    public init(path: String, message: String) {
        self.init([ConfigurationProblem(path: path, message: message)])
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
