/// One value of a hyperparameter, typed as it will be rendered into a trial's command.
///
/// Integers render without ".0" (<doc:HyperDriveSemantics#Search-space>), doubles in shortest
/// round-trip form, strings verbatim or shell-quoted, and nested-choice mappings as compact JSON
/// (<doc:HyperDriveSemantics#Running-a-trial>).
public enum ParameterValue: Sendable, Hashable, Codable {
    case int(Int)
    case double(Double)
    case string(String)
    /// A value of a nested `choice`: an ordered mapping of names to values.
    case mapping([NamedValue])

    /// One entry of a nested-choice mapping, in the order written.
    public struct NamedValue: Sendable, Hashable, Codable {
        public var name: String
        public var value: ParameterValue
        public init(name: String, value: ParameterValue) {
            self.name = name
            self.value = value
        }
    }

    /// The value as a real number when it is numeric.
    public var numericValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let x): return x
        case .string, .mapping: return nil
        }
    }
}

/// A complete assignment of values to the parameters of a search space, in the order the
/// parameters were written.
public struct Configuration: Sendable, Hashable, Codable {
    /// Parameter names, in the order of the search space.
    public var names: [String]
    /// Values, parallel to `names`.
    public var values: [ParameterValue]

    public init(names: [String], values: [ParameterValue]) {
        precondition(names.count == values.count, "Configuration: \(names.count) names but \(values.count) values")
        self.names = names
        self.values = values
    }

    /// The value of the parameter `name`, if present.
    public subscript(name: String) -> ParameterValue? {
        guard let i = names.firstIndex(of: name) else { return nil }
        return values[i]
    }
}
