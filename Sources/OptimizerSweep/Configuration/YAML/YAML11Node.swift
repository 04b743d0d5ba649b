import Foundation
internal import Yams
import Optimizer

/// A YAML node with its scalars resolved by YAML 1.1 rules, as PyYAML's `SafeLoader` (the
/// loader Azure ML's CLI and SDK use) reads them.
///
/// Yams' own resolver follows YAML 1.2-ish rules for numbers (`1e-3` is a float, `0o17` an
/// int), so hdbench composes the document with Yams and resolves every plain scalar itself
/// (``YAML11Node/resolvePlainScalar(_:)``):
///
/// | plain scalar | PyYAML reads | here |
/// |---|---|---|
/// | `yes no on off true false` (also `Yes`, `YES`, …) | bool | ``Kind/bool(_:)`` |
/// | `~`, `null`, `Null`, `NULL`, empty | None | ``Kind/null`` |
/// | `1e-3`, `1.0e3` (no dot, or unsigned exponent) | str | ``Kind/string(_:)`` |
/// | `1.0e-3`, `1.`, `.5`, `1_000.5`, `.inf`, `-.Inf`, `.nan`, `1:30.5` | float | ``Kind/double(_:)`` |
/// | `42`, `-7`, `1_000`, `0x1F`, `0b101`, `017` (octal), `1:30` (base 60) | int | ``Kind/int(_:)`` |
/// | `2024-01-31` and timestamps | date | ``Kind/timestamp(_:)`` |
///
/// Quoted and block scalars are strings; explicit tags `!!str`, `!!int`, `!!float`, `!!bool`,
/// `!!null` are honoured. Integers beyond 64 bits become doubles. Merge keys (`<<`) are
/// applied as PyYAML does; aliases are expanded, with a cap on the expanded size.
struct YAML11Node: Sendable {
    enum Kind: Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        /// A date or timestamp (PyYAML builds a `datetime`); the text as written.
        case timestamp(String)
        case sequence([YAML11Node])
        case mapping([Entry])
    }

    /// One key–value pair of a mapping, in document order.
    struct Entry: Sendable {
        /// The key as text (for non-string keys: their text as written).
        var key: String
        var keyNode: YAML11Node
        var value: YAML11Node
    }

    var kind: Kind
    /// The scalar's text as written (empty for collections).
    var text: String
    /// 1-based line and column of the node's start.
    var line: Int
    var column: Int

    /// "line L" for messages.
    var location: String { "line \(line)" }

    /// A short description of the node's type for messages ("a boolean", "a list", …).
    var typeDescription: String {
        switch kind {
        case .null: return "null"
        case .bool(let b): return "the boolean \(b ? "true" : "false") (YAML 1.1 reads '\(text)' as a boolean; quote it to use a string)"
        case .int: return "the integer \(text)"
        case .double: return "the number \(text)"
        case .string(let s): return "the string '\(s)'"
        case .timestamp: return "the date \(text) (quote it to use a string)"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The mapping's entries, or `nil` when the node is not a mapping.
    var entries: [Entry]? {
        if case .mapping(let e) = kind { return e }
        return nil
    }

    /// Compact single-line text of the node (JSON-like), used to record Azure-only keys.
    var compactText: String {
        switch kind {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.description
        case .string(let s): return ParameterValue.jsonQuoted(s)
        case .timestamp(let t): return t
        case .sequence(let items): return "[" + items.map(\.compactText).joined(separator: ",") + "]"
        case .mapping(let entries):
            return "{" + entries.map { ParameterValue.jsonQuoted($0.key) + ":" + $0.value.compactText }.joined(separator: ",") + "}"
        }
    }

    // MARK: - Loading

    /// The maximum number of nodes after alias expansion ("billion laughs" guard).
    static let maximumNodeCount = 200_000

    /// Parses `yaml` (a single document). Text beyond ``YAMLSizeLimits`` is refused before it
    /// is parsed. Syntax errors, duplicate keys, unsupported tags and
    /// oversized alias expansions are reported in `problems` with their line; returns `nil`
    /// when the document could not be read at all.
    static func load(_ yaml: String, problems: inout [ConfigurationProblem]) -> YAML11Node? {
        if let problem = YAMLSizeLimits.problem(with: yaml) {
            problems.append(problem)
            return nil
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, plainResolver)
        } catch let error as YamlError {
            problems.append(ConfigurationProblem(path: "", message: describe(error)))
            return nil
        } catch {
            problems.append(ConfigurationProblem(path: "", message: "cannot read the YAML: \(error)"))
            return nil
        }
        guard let root else {
            problems.append(ConfigurationProblem(path: "", message: "the YAML document is empty; a sweep job needs at least type, trial, search_space, objective and limits"))
            return nil
        }
        var budget = maximumNodeCount
        let node = convert(root, budget: &budget, problems: &problems)
        if budget < 0 {
            problems.append(ConfigurationProblem(path: "", message: "the YAML expands to more than \(maximumNodeCount) nodes (through aliases); simplify it"))
            return nil
        }
        return node
    }

    /// Tag given by our resolver to plain scalars without an explicit tag.
    private static let plainTag = "tag:hdbench,2025:plain"

    /// Resolver that marks every untagged plain scalar with ``plainTag`` (quoted and block
    /// scalars are already `!!str`), so resolution is done here, by YAML 1.1 rules.
    private static let plainResolver: Resolver = {
        do {
            return Resolver.basic.appending(try Resolver.Rule(Tag.Name(rawValue: plainTag), "^"))
        } catch {
            preconditionFailure("the pattern ^ is a valid regular expression")
        }
    }()

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error at line \(mark.line), column \(mark.column): \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return message
        case .reader(let problem, _, _, _):
            return "cannot read the YAML: \(problem)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return "duplicate key \(keys) in a mapping at line \(context.mark.line); keep only one"
        default:
            return "cannot read the YAML: \(error)"
        }
    }

    private static func convert(_ node: Node, budget: inout Int, problems: inout [ConfigurationProblem]) -> YAML11Node {
        budget -= 1
        let line = node.mark?.line ?? 0
        let column = node.mark?.column ?? 0
        guard budget >= 0 else { return YAML11Node(kind: .null, text: "", line: line, column: column) }
        switch node {
        case .scalar(let scalar):
            let tag = node.tag.description
            let kind = resolveScalar(scalar.string, tag: tag, line: line, problems: &problems)
            return YAML11Node(kind: kind, text: scalar.string, line: line, column: column)
        case .sequence(let sequence):
            let items = sequence.map { convert($0, budget: &budget, problems: &problems) }
            return YAML11Node(kind: .sequence(items), text: "", line: line, column: column)
        case .mapping(let mapping):
            var entries: [Entry] = []
            var merged: [Entry] = []
            for (keyNode, valueNode) in mapping {
                let key = convert(keyNode, budget: &budget, problems: &problems)
                let value = convert(valueNode, budget: &budget, problems: &problems)
                if case .scalar(let s) = keyNode, s.string == "<<", keyNode.tag.description == plainTag {
                    switch value.kind {
                    case .mapping(let more): merged += more
                    case .sequence(let maps):
                        for map in maps {
                            if case .mapping(let more) = map.kind { merged += more } else {
                                problems.append(.init(path: "", message: "line \(map.line): a merge key (<<) takes mappings only"))
                            }
                        }
                    default:
                        problems.append(.init(path: "", message: "line \(value.line): a merge key (<<) takes a mapping or a list of mappings"))
                    }
                    continue
                }
                let keyText: String
                switch key.kind {
                case .sequence, .mapping: keyText = key.compactText
                default: keyText = key.text
                }
                entries.append(Entry(key: keyText, keyNode: key, value: value))
            }
            for entry in merged where !entries.contains(where: { $0.key == entry.key }) {
                entries.append(entry)
            }
            return YAML11Node(kind: .mapping(entries), text: "", line: line, column: column)
        case .alias:
            return YAML11Node(kind: .null, text: "", line: line, column: column)
        }
    }

    private static func resolveScalar(_ text: String, tag: String, line: Int, problems: inout [ConfigurationProblem]) -> Kind {
        let yamlPrefix = "tag:yaml.org,2002:"
        switch tag {
        case plainTag:
            return resolvePlainScalar(text)
        case yamlPrefix + "str", "!":
            return .string(text)
        case yamlPrefix + "int":
            if let value = constructInt(text) { return value }
        case yamlPrefix + "float":
            if let value = constructFloat(text, strict: false) { return .double(value) }
        case yamlPrefix + "bool":
            if case .bool(let b) = resolvePlainScalar(text) { return .bool(b) }
        case yamlPrefix + "null":
            return .null
        case yamlPrefix + "timestamp":
            return .timestamp(text)
        default:
            problems.append(.init(path: "", message: "line \(line): the tag \(tag) is not supported; remove it"))
            return .string(text)
        }
        problems.append(.init(path: "", message: "line \(line): '\(text)' cannot be read as \(tag.replacingOccurrences(of: yamlPrefix, with: "!!")); fix the value or remove the tag"))
        return .string(text)
    }

    // MARK: - YAML 1.1 implicit resolution (PyYAML 6 `resolver.py` / `constructor.py`)

    private static func regex(_ pattern: String) -> NSRegularExpression {
        do { return try NSRegularExpression(pattern: pattern) } catch {
            preconditionFailure("invalid built-in pattern \(pattern): \(error)")
        }
    }

    private static func matches(_ re: NSRegularExpression, _ text: String) -> Bool {
        re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    private static let boolPattern = regex("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
    private static let floatPattern = regex(
        "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$")
    private static let intPattern = regex(
        "^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")
    private static let nullPattern = regex("^(?:~|null|Null|NULL|)$")
    private static let timestampPattern = regex(
        "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
            + "(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
            + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$")

    /// The value PyYAML's SafeLoader gives an untagged plain scalar.
    static func resolvePlainScalar(_ text: String) -> Kind {
        // Every non-string pattern below starts with one of these characters (or is empty):
        // plain words skip the regular expressions, which are slow on Linux.
        if let first = text.unicodeScalars.first, !"yYnNtTfFoO0123456789+-.~".unicodeScalars.contains(first) {
            return .string(text)
        }
        if matches(boolPattern, text) {
            return .bool(["yes", "true", "on"].contains(text.lowercased()))
        }
        if matches(floatPattern, text), let value = constructFloat(text, strict: true) {
            return .double(value)
        }
        if matches(intPattern, text), let value = constructInt(text) {
            return value
        }
        if matches(nullPattern, text) { return .null }
        if matches(timestampPattern, text) { return .timestamp(text) }
        return .string(text)
    }

    /// PyYAML's `construct_yaml_int`: underscores dropped; `0b` binary, `0x` hex, leading `0`
    /// octal, `a:b:c` base 60.
    private static func constructInt(_ text: String) -> Kind? {
        var value = text.replacingOccurrences(of: "_", with: "")
        var sign = 1
        if value.hasPrefix("-") { sign = -1; value.removeFirst() } else if value.hasPrefix("+") { value.removeFirst() }
        guard !value.isEmpty else { return nil }
        func make(_ digits: Substring, radix: Int) -> Kind? {
            guard !digits.isEmpty else { return nil }
            if let magnitude = Int(digits, radix: radix) { return .int(sign * magnitude) }
            // Beyond 64 bits: Python keeps an exact int; the nearest double is the best here.
            var approx = 0.0
            for c in digits {
                guard let digit = c.hexDigitValue, digit < radix else { return nil }
                approx = approx * Double(radix) + Double(digit)
            }
            return .double(Double(sign) * approx)
        }
        if value == "0" { return .int(0) }
        if value.hasPrefix("0b") { return make(value.dropFirst(2), radix: 2) }
        if value.hasPrefix("0x") { return make(value.dropFirst(2), radix: 16) }
        if value.hasPrefix("0") { return make(value.dropFirst(1), radix: 8) }
        if value.contains(":") {
            var total = 0
            for part in value.split(separator: ":", omittingEmptySubsequences: false) {
                guard let digit = Int(part) else { return nil }
                let (m, o1) = total.multipliedReportingOverflow(by: 60)
                let (s, o2) = m.addingReportingOverflow(digit)
                if o1 || o2 { return nil }
                total = s
            }
            return .int(sign * total)
        }
        return make(Substring(value), radix: 10)
    }

    /// PyYAML's `construct_yaml_float`: underscores dropped, case folded, `.inf`/`.nan`,
    /// base 60 with `:`, else Python's `float()`. `strict` is for implicit scalars already
    /// matched by the float pattern; explicit `!!float` accepts whatever `float()` accepts.
    private static func constructFloat(_ text: String, strict: Bool) -> Double? {
        var value = text.replacingOccurrences(of: "_", with: "").lowercased()
        var sign = 1.0
        if value.hasPrefix("-") { sign = -1; value.removeFirst() } else if value.hasPrefix("+") { value.removeFirst() }
        if value == ".inf" { return sign * .infinity }
        if value == ".nan" { return .nan }
        if value.contains(":") {
            var total = 0.0
            for part in value.split(separator: ":", omittingEmptySubsequences: false) {
                guard let digit = Double(part) else { return nil }
                total = total * 60 + digit
            }
            return sign * total
        }
        if !strict, ["inf", "infinity", "nan"].contains(value) {
            return value == "nan" ? .nan : sign * .infinity
        }
        // Python's float() accepts "1.", ".5" and "1.e+3"; Swift's Double(_:) needs a digit
        // after the point in some of these, so normalise first.
        var normalized = value
        if let dot = normalized.firstIndex(of: ".") {
            let after = normalized.index(after: dot)
            if after == normalized.endIndex || !(normalized[after].isNumber) {
                normalized.insert("0", at: after)
            }
            if dot == normalized.startIndex { normalized.insert("0", at: normalized.startIndex) }
        }
        guard let parsed = Double(normalized) else { return nil }
        return sign * parsed
    }
}
