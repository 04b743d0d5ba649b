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

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
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
