public import Foundation
import TestSupport

/// Real Optuna for the export tests: Python 3 with `optuna` (`.ci/setup --test` installs it).
public enum OptunaSupport {
    /// `Tests/Fixtures/optuna/summarize_journal.py`: loads a journal, prints what Optuna sees.
    public static let summarizer = SpaceTestSupport.fixtures.appendingPathComponent("optuna/summarize_journal.py")

    /// Whether `python3 -c 'import optuna'` succeeds.
    public static var hasOptuna: Bool { python(["-c", "import optuna"])?.status == 0 }

    /// `python3 arguments`: exit status and standard output (standard error appended on
    /// failure); `nil` when python3 cannot be started.
    public static func python(_ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        guard (try? process.run()) != nil else { return nil }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        return (process.terminationStatus, process.terminationStatus == 0 ? text : text + String(decoding: errors, as: UTF8.self))
    }
}

/// A parsed JSON value (JSONDecoder reads numbers exactly, unlike JSONSerialization here);
/// integers and reals compare by value, so `20` and `20.0` are equal (Python's `type` is
/// checked separately where it matters).
public enum LoadedJSON: Decodable, Equatable, CustomStringConvertible, Sendable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([LoadedJSON]), object([String: LoadedJSON])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([LoadedJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: LoadedJSON].self)) }
    }

    public static func == (lhs: LoadedJSON, rhs: LoadedJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    public subscript(key: String) -> LoadedJSON? {
        if case .object(let entries) = self { return entries[key] }
        return nil
    }
    public var array: [LoadedJSON]? { if case .array(let values) = self { return values } else { return nil } }
    public var object: [String: LoadedJSON]? { if case .object(let entries) = self { return entries } else { return nil } }
    public var string: String? { if case .string(let text) = self { return text } else { return nil } }

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .double(let x): return "\(x)"
        case .string(let s): return "\"\(s)\""
        case .array(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .object(let entries): return "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}
