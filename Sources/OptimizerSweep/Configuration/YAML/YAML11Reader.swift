import Foundation
import Optimizer

/// Typed reading of ``YAML11Node``s that records every problem (field path, the value found,
/// the fix) instead of stopping at the first.
struct YAML11Reader {
    var problems: [ConfigurationProblem] = []
    var warnings: [String] = []

    mutating func error(_ path: String, _ message: String) {
        problems.append(ConfigurationProblem(path: path, message: message))
    }

    mutating func warn(_ path: String, _ message: String) {
        warnings.append(path.isEmpty ? message : "\(path): \(message)")
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The node's entries, or a problem when it is not a mapping.
    mutating func mapping(_ node: YAML11Node, _ path: String, example: String) -> [YAML11Node.Entry]? {
        if let entries = node.entries { return entries }
        error(path, "must be a mapping (e.g. \(example)), found \(node.typeDescription) at \(node.location)")
        return nil
    }

    /// Reports keys not in `allowed` (nor in `azureOnly`, which are recorded); returns the
    /// allowed entries by key.
    mutating func keyed(_ entries: [YAML11Node.Entry], _ path: String, allowed: [String],
                        azureOnly: Set<String> = [], recorded: inout [(path: String, value: String)],
                        what: String) -> [String: YAML11Node] {
        var result: [String: YAML11Node] = [:]
        for entry in entries {
            let keyPath = Self.join(path, entry.key)
            switch entry.keyNode.kind {
            case .string: break
            case .bool, .null, .int, .double, .timestamp:
                error(keyPath, "the key '\(entry.key)' is read by YAML 1.1 as \(entry.keyNode.typeDescription), not as text; quote it")
                continue
            case .sequence, .mapping:
                error(path, "a key at \(entry.keyNode.location) is \(entry.keyNode.typeDescription); keys must be text")
                continue
            }
            if allowed.contains(entry.key) {
                result[entry.key] = entry.value
            } else if azureOnly.contains(entry.key) {
                recorded.append((path: keyPath, value: entry.value.compactText))
            } else {
                error(keyPath, "is not a key of \(what) (line \(entry.keyNode.line)); remove it or use one of: \(allowed.joined(separator: ", "))")
            }
        }
        return result
    }

    /// A required text field.
    mutating func string(_ node: YAML11Node?, _ path: String, required: Bool = true, example: String) -> String? {
        guard let node else {
            if required { error(path, "is missing; add it (e.g. \(example))") }
            return nil
        }
        if case .string(let s) = node.kind { return s }
        error(path, "must be text (e.g. \(example)), found \(node.typeDescription) at \(node.location)")
        return nil
    }

    /// Any scalar, as text: strings verbatim, other scalars as written (for values that end up
    /// in commands or environment variables).
    mutating func scalarText(_ node: YAML11Node, _ path: String) -> String? {
        switch node.kind {
        case .string(let s): return s
        case .int, .double, .bool, .timestamp: return node.text
        case .null: return ""
        case .sequence, .mapping:
            error(path, "must be a single value, found \(node.typeDescription) at \(node.location)")
            return nil
        }
    }

    /// A number: int or float; a string that reads as a number (e.g. `1e-3`, which YAML 1.1
    /// keeps as text) is accepted with a warning. Booleans, null and collections are problems.
    mutating func number(_ node: YAML11Node?, _ path: String, required: Bool = true, example: String) -> Double? {
        guard let node else {
            if required { error(path, "is missing; add it (e.g. \(example))") }
            return nil
        }
        switch node.kind {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let s):
            if let value = Double(s.trimmingCharacters(in: .whitespaces)), !s.isEmpty {
                warn(path, "'\(s)' is text in YAML 1.1 (a number needs a dot and a signed exponent, e.g. 1.0e-3); read as \(value)")
                return value
            }
        default:
            break
        }
        error(path, "must be a number (e.g. \(example)), found \(node.typeDescription) at \(node.location)")
        return nil
    }

    /// An integer: ints, and floats with an integral value (`10.0`).
    mutating func integer(_ node: YAML11Node?, _ path: String, required: Bool = true, example: String) -> Int? {
        guard let node else {
            if required { error(path, "is missing; add it (e.g. \(example))") }
            return nil
        }
        switch node.kind {
        case .int(let i): return i
        case .double(let d) where d.isFinite && d == d.rounded() && abs(d) < 0x1p62:
            return Int(d)
        case .string(let s):
            if let i = Int(s.trimmingCharacters(in: .whitespaces)) {
                warn(path, "'\(s)' is quoted text; read as the integer \(i)")
                return i
            }
        default:
            break
        }
        error(path, "must be an integer (e.g. \(example)), found \(node.typeDescription) at \(node.location)")
        return nil
    }

    /// A boolean (YAML 1.1: yes/no/on/off/true/false in their PyYAML spellings).
    mutating func boolean(_ node: YAML11Node?, _ path: String, example: String) -> Bool? {
        guard let node else { return nil }
        if case .bool(let b) = node.kind { return b }
        error(path, "must be true or false (e.g. \(example)), found \(node.typeDescription) at \(node.location)")
        return nil
    }

    /// A case-insensitive choice among `options`.
    mutating func keyword(_ node: YAML11Node?, _ path: String, options: [String], required: Bool = true) -> String? {
        let list = options.joined(separator: ", ")
        guard let text = string(node, path, required: required, example: options.first ?? "") else { return nil }
        let lowered = text.lowercased()
        if options.contains(lowered) { return lowered }
        error(path, "'\(text)' is not one of \(list); use one of those")
        return nil
    }
}
