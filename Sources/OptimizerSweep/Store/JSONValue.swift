import Foundation
import Optimizer

/// A JSON document with ordered object keys, for output whose key order matters to people
/// (parameters in search-space order; `best --json`, `export`). Non-finite numbers become `null`,
/// or Python's `NaN`, `Infinity`, `-Infinity` tokens in ``serialized(pythonNonFinite:)``.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(serialized())
    }

    /// Compact JSON text. With `pythonNonFinite` non-finite numbers are written as the tokens
    /// Python's `json` module writes and reads (`NaN`, `Infinity`, `-Infinity`; not strict JSON).
    public func serialized(pythonNonFinite: Bool = false) -> String {
        var output = ""
        write(to: &output, indent: nil, level: 0, pythonNonFinite: pythonNonFinite)
        return output
    }

    /// JSON text indented by two spaces.
    public func prettyPrinted() -> String {
        var output = ""
        write(to: &output, indent: "  ", level: 0)
        return output
    }

    private func write(to output: inout String, indent: String?, level: Int, pythonNonFinite: Bool = false) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (level: Int) in String(repeating: indent ?? "", count: level) }
        let separator = indent == nil ? ":" : ": "
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .number(let value):
            if value.isFinite {
                output += Self.format(value)
            } else {
                output += !pythonNonFinite ? "null" : value.isNaN ? "NaN" : value > 0 ? "Infinity" : "-Infinity"
            }
        case .string(let value): output += Self.quote(value)
        case .array(let values):
            if values.isEmpty { output += "[]"; return }
            output += "[" + newline
            for (index, value) in values.enumerated() {
                output += pad(level + 1)
                value.write(to: &output, indent: indent, level: level + 1, pythonNonFinite: pythonNonFinite)
                output += (index + 1 < values.count ? "," : "") + newline
            }
            output += pad(level) + "]"
        case .object(let entries):
            if entries.isEmpty { output += "{}"; return }
            output += "{" + newline
            for (index, entry) in entries.enumerated() {
                output += pad(level + 1) + Self.quote(entry.key) + separator
                entry.value.write(to: &output, indent: indent, level: level + 1, pythonNonFinite: pythonNonFinite)
                output += (index + 1 < entries.count ? "," : "") + newline
            }
            output += pad(level) + "}"
        }
    }

    /// Shortest round-trip form; integral values keep a ".0" so readers see a real number.
    static func format(_ value: Double) -> String {
        "\(value)"
    }

    static func quote(_ text: String) -> String { jsonStringLiteral(text) }
}

/// Parameter values as JSON: integers as integers, reals as reals, nested choices as objects.
enum ParameterJSON {
    static func value(_ value: ParameterValue) -> JSONValue {
        switch value {
        case .int(let integer): return .int(integer)
        case .double(let real): return real.isFinite ? .number(real) : .string("\(real)")
        case .string(let text): return .string(text)
        case .mapping(let entries): return .object(entries.map { ($0.name, Self.value($0.value)) })
        }
    }

    static func object(_ configuration: Configuration) -> JSONValue {
        .object(zip(configuration.names, configuration.values).map { ($0, value($1)) })
    }
}
