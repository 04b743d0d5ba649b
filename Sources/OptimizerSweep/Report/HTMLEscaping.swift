import Foundation
import Optimizer

/// Escaping for text placed in HTML and for JSON embedded in a `<script>` element.
public enum HTMLEscaping {
    /// `text` safe as HTML element content or a quoted attribute value: `&`, `<`, `>`, `"`,
    /// `'` and U+2028/U+2029 become character references.
    public static func text(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\u{2028}": output += "&#x2028;"
            case "\u{2029}": output += "&#x2029;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A JSON string literal that is also safe inside `<script type="application/json">`:
    /// besides JSON's own escapes, `<`, `>` and `&` are written `\u003c`, `\u003e`, `\u0026`
    /// (so neither `</script>` nor `<!--` can appear), and U+2028/U+2029 as `\u2028`/`\u2029`
    /// (line terminators in older JavaScript). `JSON.parse` restores the exact text.
    public static func jsonString(_ text: String) -> String { jsonStringLiteral(text, htmlSafe: true) }

    /// A JSON number: shortest round-trip text, or `null` when not finite (JSON has no NaN).
    public static func jsonNumber(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A JSON number with at most `digits` significant digits (curves: smaller payload).
    public static func jsonNumber(_ value: Double, significantDigits digits: Int) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.\(digits)g", value)
        // "%g" never produces forms JSON rejects except a leading "+" in the exponent, which JSON allows.
        if text.hasPrefix(".") { text = "0" + text }
        return text
    }
}
