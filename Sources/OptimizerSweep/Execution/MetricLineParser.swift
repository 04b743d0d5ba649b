import Foundation
import Optimizer

/// Parses one line of each metric channel (HyperDriveSemantics.md §Logging metrics). Pure
/// functions; the collector decides what to record.
public enum MetricLineParser {
    /// What one line says.
    public enum Outcome: Sendable, Equatable {
        /// A metric value (possibly non-finite).
        case metric(name: String, value: Double, step: Int?)
        /// A stdout line shaped like `NAME=TEXT` / `NAME: TEXT` whose text is not a number
        /// (`loss: high`). It is a diagnostic only when `NAME` is a metric the sweep knows;
        /// otherwise it is ordinary program output.
        case nonNumeric(name: String, text: String)
        /// A line of a metric-only channel (JSON lines, MLflow) that cannot be read.
        case malformed(reason: String)
        /// Not a metric line (ordinary output, blank line).
        case ignored
    }

    /// A stdout line: `NAME=VALUE` or `NAME: VALUE`, one metric per line, surrounding blanks
    /// allowed. `NAME` matches `[A-Za-z_][A-Za-z0-9_./-]*`; `VALUE` is a decimal number
    /// (`0.93`, `-1e-3`, `.5`) or `nan` / `inf` / `-inf` / `infinity` in any case.
    public static func parseStdoutLine<S: StringProtocol>(_ line: S) -> Outcome {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        var index = text.startIndex
        guard index < text.endIndex, isNameStart(text[index]) else { return .ignored }
        while index < text.endIndex, isNameCharacter(text[index]) { index = text.index(after: index) }
        let name = String(text[text.startIndex..<index])
        while index < text.endIndex, text[index] == " " || text[index] == "\t" { index = text.index(after: index) }
        guard index < text.endIndex, text[index] == "=" || text[index] == ":" else { return .ignored }
        let rest = text[text.index(after: index)...].trimmingCharacters(in: .whitespaces)
        if let value = parseNumber(rest) { return .metric(name: name, value: value, step: nil) }
        return .nonNumeric(name: name, text: rest)
    }

    /// A line of the `HDBENCH_METRICS_FILE` JSON-lines file:
    /// `{"name": "accuracy", "value": 0.93, "step": 3}`. `step` is optional; `value` may also
    /// be a numeric string, and Python's bare `NaN` / `Infinity` / `-Infinity` are accepted.
    public static func parseJSONLine<S: StringProtocol>(_ line: S) -> Outcome {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .ignored }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        func decode(_ json: String) -> Result<JSONLine, Error> {
            Result { try decoder.decode(JSONLine.self, from: Data(json.utf8)) }
        }
        var result = decode(text)
        if case .failure = result, text.contains("NaN") || text.contains("Infinity") {
            result = decode(quotingBareNonFiniteTokens(text))
        }
        switch result {
        case .success(let line):
            guard !line.name.isEmpty else { return .malformed(reason: "empty \"name\"") }
            return .metric(name: line.name, value: line.value, step: line.step)
        case .failure(let error):
            return .malformed(reason: describe(error))
        }
    }

    /// A line of an MLflow file-store metric file (`mlruns/<exp>/<run>/metrics/<name>`):
    /// `TIMESTAMP_MS VALUE STEP`.
    public static func parseMLflowLine<S: StringProtocol>(_ line: S, name: String) -> Outcome {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
        if fields.isEmpty { return .ignored }
        guard fields.count >= 2, let value = parseNumber(String(fields[1])) else {
            return .malformed(reason: "expected \"timestamp value step\"")
        }
        let step = fields.count >= 3 ? Int(fields[2]) : nil
        return .metric(name: name, value: value, step: step)
    }

    /// A decimal number or a non-finite word; `nil` for anything else (hex, `1,5`, `0.9%`).
    static func parseNumber(_ text: String) -> Double? {
        switch text.lowercased() {
        case "nan", "+nan", "-nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              text.contains(where: \.isNumber) else { return nil }
        return Double(text)
    }

    private static func isNameStart(_ c: Character) -> Bool {
        c == "_" || (c.isASCII && c.isLetter)
    }

    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "_./-".contains(c))
    }

    /// Puts quotes around `NaN`, `Infinity` and `-Infinity` outside JSON strings (Python's
    /// `json.dumps` writes them bare), so the decoder's non-conforming-float strategy reads them.
    private static func quotingBareNonFiniteTokens(_ text: String) -> String {
        var output = ""
        var inString = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if inString {
                output.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                index = text.index(after: index)
                continue
            }
            if c == "\"" { inString = true }
            var matched = false
            for token in ["-Infinity", "Infinity", "NaN"] where text[index...].hasPrefix(token) {
                output += "\"\(token)\""
                index = text.index(index, offsetBy: token.count)
                matched = true
                break
            }
            if !matched {
                output.append(c)
                index = text.index(after: index)
            }
        }
        return output
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _):
            return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not a JSON object" : "\"\(path)\": \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not valid JSON" : "\"\(path)\": \(context.debugDescription)"
        default:
            return "not valid JSON"
        }
    }

    private struct JSONLine: Decodable {
        var name: String
        var value: Double
        var step: Int?

        enum CodingKeys: String, CodingKey { case name, value, step }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            guard container.contains(.value) else {
                throw DecodingError.keyNotFound(CodingKeys.value, .init(codingPath: [], debugDescription: "missing value"))
            }
            if let number = try? container.decode(Double.self, forKey: .value) {
                value = number
            } else if let text = try? container.decode(String.self, forKey: .value), let number = MetricLineParser.parseNumber(text) {
                value = number
            } else {
                throw DecodingError.typeMismatch(Double.self, .init(
                    codingPath: [CodingKeys.value], debugDescription: "expected a number"))
            }
            if let integer = try? container.decodeIfPresent(Int.self, forKey: .step) {
                step = integer
            } else if let real = try? container.decodeIfPresent(Double.self, forKey: .step),
                      real.rounded() == real, abs(real) < 1e15 {
                step = Int(real)
            } else {
                step = nil
            }
        }
    }
}
