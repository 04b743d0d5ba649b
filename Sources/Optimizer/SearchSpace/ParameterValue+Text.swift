// Text forms of values: plain (environment variables, tables) and compact JSON.

extension ParameterValue {
    /// The value as plain, unquoted text — what a trial sees in `AZUREML_SWEEP_<name>` and what
    /// tables and CSV show: integers in decimal, doubles in shortest round-trip form, strings verbatim, mappings
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

extension ParameterValue {
    /// Shortest round-trip text of a double (Swift's `description`: `0.1`, `1e-05`, `2.0`).
    package static func shortestText(_ x: Double) -> String { x.description }

    /// Compact JSON: integers in decimal, doubles in shortest round-trip form, strings JSON-escaped, mappings as
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
    package static func jsonQuoted(_ text: String) -> String { jsonStringLiteral(text) }
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
package func jsonStringLiteral(_ text: String, htmlSafe: Bool = false) -> String {
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
