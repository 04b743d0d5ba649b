/// `value` as it is substituted into a trial's shell command (SPEC §6).
///
/// - Integers: decimal, no ".0" (`3`).
/// - Doubles: shortest round-trip form (`0.001`, `1e-05`, `1e+16`, `inf`, `nan`); Python's
///   `float()` parses all of them.
/// - Strings: verbatim when non-empty and made only of `[A-Za-z0-9_.,:/=+@%-]`; otherwise
///   single-quoted for `/bin/sh` with each `'` written as `'\''`, so a value can never inject
///   shell code (`a b; rm -rf /` → `'a b; rm -rf /'`).
/// - Nested-choice mappings: compact JSON (see ``ParameterValue/jsonText``), then quoted.
public func renderedForShell(_ value: ParameterValue) -> String {
    switch value {
    case .int(let i): return String(i)
    case .double(let x): return ParameterValue.shortestText(x)
    case .string(let s): return shellQuoted(s)
    case .mapping: return shellQuoted(value.jsonText)
    }
}

extension ParameterValue {
    /// The value as plain, unquoted text — what a trial sees in `AZUREML_SWEEP_<name>` and what
    /// tables and CSV show: numbers as in ``renderedForShell(_:)``, strings verbatim, mappings
    /// as compact JSON.
    public var plainText: String {
        switch self {
        case .int(let i): return String(i)
        case .double(let x): return Self.shortestText(x)
        case .string(let s): return s
        case .mapping: return jsonText
        }
    }
}

/// `text` unchanged when it is non-empty and made only of `[A-Za-z0-9_.,:/=+@%-]`, else
/// single-quoted for `/bin/sh`.
public func shellQuoted(_ text: String) -> String {
    if !text.isEmpty, text.unicodeScalars.allSatisfy(isShellSafe) { return text }
    return "'" + text.replacingAllOccurrences(of: "'", with: "'\\''") + "'"
}

private func isShellSafe(_ c: Unicode.Scalar) -> Bool {
    switch c {
    case "a"..."z", "A"..."Z", "0"..."9": return true
    case "_", ".", ",", ":", "/", "=", "+", "@", "%", "-": return true
    default: return false
    }
}

extension String {
    fileprivate func replacingAllOccurrences(of target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count)
        for c in self {
            if c == target { result += replacement } else { result.append(c) }
        }
        return result
    }
}

extension ParameterValue {
    /// Shortest round-trip text of a double (Swift's `description`: `0.1`, `1e-05`, `2.0`).
    static func shortestText(_ x: Double) -> String { x.description }

    /// Compact JSON: numbers as in ``renderedForShell(_:)``, strings JSON-escaped, mappings as
    /// objects in the order written. Non-finite doubles are written `Infinity`, `-Infinity`,
    /// `NaN` (as Python's `json` module reads and writes them).
    public var jsonText: String {
        switch self {
        case .int(let i): return String(i)
        case .double(let x):
            if x.isNaN { return "NaN" }
            if x.isInfinite { return x < 0 ? "-Infinity" : "Infinity" }
            return Self.shortestText(x)
        case .string(let s): return Self.jsonQuoted(s)
        case .mapping(let entries):
            return "{" + entries.map { Self.jsonQuoted($0.name) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }

    /// `text` as a JSON string literal.
    static func jsonQuoted(_ text: String) -> String { jsonStringLiteral(text) }
}

extension Configuration {
    /// The configuration as one compact JSON object, parameters in order
    /// (`{"lr":0.001,"layers":2}`): the line format of `hdbench sample`.
    public var jsonText: String {
        "{" + zip(names, values).map { ParameterValue.jsonQuoted($0) + ":" + $1.jsonText }.joined(separator: ",") + "}"
    }
}

/// `text` as a JSON string literal — the one JSON string escaper of the project (sample
/// output, the experiment store's JSON, the HTML report's embedded data).
///
/// With `htmlSafe`, `<`, `>` and `&` are also written `\u003c`, `\u003e`, `\u0026` and
/// U+2028/U+2029 as `\u2028`/`\u2029`, so the literal can sit inside a `<script>` element
/// (neither `</script>` nor `<!--` can appear); `JSON.parse` restores the exact text.
func jsonStringLiteral(_ text: String, htmlSafe: Bool = false) -> String {
    var out = "\""
    out.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "<" where htmlSafe: out += "\\u003c"
        case ">" where htmlSafe: out += "\\u003e"
        case "&" where htmlSafe: out += "\\u0026"
        case "\u{2028}" where htmlSafe: out += "\\u2028"
        case "\u{2029}" where htmlSafe: out += "\\u2029"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
