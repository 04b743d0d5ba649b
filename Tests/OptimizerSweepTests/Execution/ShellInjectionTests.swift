import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// A value can never inject shell code, wherever its placeholder is written: every hostile value
/// in every quoting context goes through a real `/bin/sh -c`, and the program must receive
/// exactly the value while the file the value tries to create never appears.
@Suite("Shell injection through placeholders")
struct ShellInjectionTests {
    /// Values that would run `touch F` (or otherwise change the command) if they reached the
    /// shell unescaped.
    static let hostile: [String] = [
        "$(touch F)", "`touch F`", "\"; touch F; \"", "'; touch F; '", "\\", "a\\", "\\\"", "\\'",
        "line1\ntouch F", "\n", "$HOME", "${HOME}", "!", "!!", "*", "?", "[a-z]*", "~", "", " ", "a b",
        "naïve — 日本語 🎉", "tab\there", "'", "''", "\"", "x'$(touch F)'y", "x\"$(touch F)\"y", "%s%n",
        "-n", "--", "a;touch F", "a|touch F", "a&&touch F", "a#b", "$((1+1))", "\\$(touch F)", "}}", "${{x}}",
    ]

    /// A command shape: the template with `${{search_space.v}}` somewhere, and what the
    /// program should print for a value.
    struct Shape: Sendable, CustomStringConvertible {
        var name: String
        var template: String
        var expected: @Sendable (String) -> String
        var description: String { name }
    }

    // printf '%s|' prints each argument followed by |, so word splitting would show.
    static let shapes: [Shape] = [
        Shape(name: "unquoted", template: "printf '%s|' ${{search_space.v}}", expected: { "\($0)|" }),
        Shape(name: "unquoted, legacy braces", template: "printf '%s|' {search_space.v}", expected: { "\($0)|" }),
        Shape(name: "unquoted, glued to text", template: "printf '%s|' --v=${{search_space.v}}", expected: { "--v=\($0)|" }),
        Shape(name: "inside double quotes", template: "printf '%s|' \"${{search_space.v}}\"", expected: { "\($0)|" }),
        Shape(name: "inside double quotes with text", template: "printf '%s|' \"pre ${{ search_space.v }} post\"", expected: { "pre \($0) post|" }),
        Shape(name: "inside single quotes", template: "printf '%s|' '${{search_space.v}}'", expected: { "\($0)|" }),
        Shape(name: "inside single quotes with text", template: "printf '%s|' 'pre ${{search_space.v}} post'", expected: { "pre \($0) post|" }),
        Shape(name: "twice: single then double quotes", template: "printf '%s|' 'a${{search_space.v}}' \"b${{search_space.v}}\"", expected: { "a\($0)|b\($0)|" }),
        Shape(name: "double quotes inside $(…)", template: "printf '%s|' \"$(printf '%s' \"${{search_space.v}}\")\"", expected: { trimmingTrailingNewlines("\($0)") + "|" }),
        Shape(name: "unquoted inside $(…) inside double quotes", template: "printf '%s|' \"$(printf '%s' ${{search_space.v}})\"", expected: { trimmingTrailingNewlines("\($0)") + "|" }),
        Shape(name: "after an apostrophe in double quotes", template: "printf '%s|' \"it's ${{search_space.v}}\"", expected: { "it's \($0)|" }),
        Shape(name: "after an escaped quote", template: "printf '%s|' \\\" ${{search_space.v}}", expected: { "\"|\($0)|" }),
        Shape(name: "after a comment with an apostrophe", template: "true # don't\nprintf '%s|' ${{search_space.v}}", expected: { "\($0)|" }),
        Shape(name: "v1 style (appended)", template: "printf '%s|'", expected: { "--v|\($0)|" }),
    ]

    /// Contexts where hdbench does not escape: a hostile value must be refused, never run.
    static let unescapable: [String] = [
        "printf '%s|' \"`printf '%s' ${{search_space.v}}`\"",
        "printf '%s|' \"${X:-${{search_space.v}}}\"",
        "printf '%s|' $((${{search_space.v}}))",
        "cat <<EOF\n${{search_space.v}}\nEOF",
        "true # ${{search_space.v}}",
        "printf '%s|' \\${{search_space.v}}",
        "printf '%s|' \"\\${{search_space.v}}\"",
        "printf '%s|' x\\{search_space.v}",
        "printf '%s|' $'it\\'s' ${{search_space.v}}",
    ]

    static func trimmingTrailingNewlines(_ text: String) -> String {
        var t = text
        while t.hasSuffix("\n") { t.removeLast() }
        return t
    }

    /// Runs `command` under `/bin/sh -c` in a fresh folder; returns its standard output and
    /// whether anything was created in the folder (file F).
    static func runShell(_ command: String) throws -> (output: String, created: [String]) {
        let folder = Fixtures.temporaryDirectory("shell")
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": "/home-of-the-test"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let created = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        return (String(decoding: data, as: UTF8.self), created)
    }

    @Test("every hostile value reaches the program exactly, in every quoting context", arguments: shapes)
    func hostileValuesStayLiteral(shape: Shape) throws {
        for value in Self.hostile {
            let configuration = Configuration(names: ["v"], values: [.string(value)])
            let command = try renderCommand(shape.template, configuration: configuration, inputs: [:], outputs: [:],
                                            appendArguments: shape.name == "v1 style (appended)")
            let run = try Self.runShell(command)
            #expect(run.created.isEmpty, "\(shape): value \(value.debugDescription) created \(run.created) via \(command.debugDescription)")
            #expect(run.output == shape.expected(value), "\(shape): value \(value.debugDescription) via \(command.debugDescription)")
        }
    }

    @Test("inputs and outputs are escaped for their context too")
    func inputsAndOutputs() throws {
        let configuration = Configuration(names: ["v"], values: [.int(1)])
        for value in ["$(touch F)", "a \"b\" 'c'", "`touch F`"] {
            let command = try renderCommand(
                "printf '%s|' ${{search_space.v}} \"${{inputs.d}}\" '${{outputs.o}}' ${{inputs.d}}", configuration: configuration,
                inputs: ["d": value], outputs: ["o": value])
            let run = try Self.runShell(command)
            #expect(run.created.isEmpty, "\(command)")
            #expect(run.output == "1|\(value)|\(value)|\(value)|", "\(command)")
        }
    }

    @Test("where hdbench cannot escape, a hostile value is refused and a plain one substituted")
    func unescapableContexts() throws {
        for template in Self.unescapable {
            for value in Self.hostile where !value.isEmpty {
                let configuration = Configuration(names: ["v"], values: [.string(value)])
                let plain = value.unicodeScalars.allSatisfy { CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,:/=+@%-").contains($0) }
                do {
                    let command = try renderCommand(template, configuration: configuration, inputs: [:], outputs: [:])
                    #expect(plain, "\(template.debugDescription): \(value.debugDescription) was substituted: \(command.debugDescription)")
                    let run = try Self.runShell(command)
                    #expect(run.created.isEmpty, "\(command.debugDescription)")
                } catch {
                    #expect(!plain)
                    #expect("\(error)".contains("sits inside"), "\(error)")
                }
            }
            let numeric = try renderCommand(template, configuration: Configuration(names: ["v"], values: [.int(7)]), inputs: [:], outputs: [:])
            #expect(numeric.contains("7"))
        }
    }
}
