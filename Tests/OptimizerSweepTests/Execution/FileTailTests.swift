import Foundation
import Testing
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// The metrics file followed like `tail -F`: replaced or truncated mid-run, nothing read is lost
/// and the change is reported. The writer here is the test itself, between polls, so the order
/// of events is exact.
@Suite struct FileTailTests {
    static func file() -> URL {
        Fixtures.temporaryDirectory().appendingPathComponent("metrics.jsonl")
    }

    @Test("a file replaced by another is read again from its start, with a diagnostic")
    func replaced() throws {
        let path = Self.file()
        try "{\"accuracy\": 1}\n".write(to: path, atomically: false, encoding: .utf8)
        var tail = FileTail(path: path.path)
        var problems: [String] = []
        #expect(tail.readLines(final: false, overflow: { problems.append($0) }) == ["{\"accuracy\": 1}"])
        // A new file renamed over the old one (another inode), shorter than what was read.
        let replacement = path.deletingLastPathComponent().appendingPathComponent("new.jsonl")
        try "{\"accuracy\": 2}\n".write(to: replacement, atomically: false, encoding: .utf8)
        #expect(rename(replacement.path, path.path) == 0)
        #expect(tail.readLines(final: false, overflow: { problems.append($0) }) == ["{\"accuracy\": 2}"])
        #expect(problems == ["metrics.jsonl was replaced by another file; reading the new one from its start"])
    }

    @Test("a truncated file is read again from its start, with a diagnostic")
    func truncated() throws {
        let path = Self.file()
        try "first line, long enough\n".write(to: path, atomically: false, encoding: .utf8)
        var tail = FileTail(path: path.path)
        var problems: [String] = []
        #expect(tail.readLines(final: false, overflow: { problems.append($0) }) == ["first line, long enough"])
        let handle = try FileHandle(forWritingTo: path)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data("second\n".utf8))
        try handle.close()
        #expect(tail.readLines(final: false, overflow: { problems.append($0) }) == ["second"])
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("metrics.jsonl was truncated") == true)
    }

    @Test("at most a bounded number of bytes per poll; the rest on later polls")
    func boundedPerPoll() throws {
        let path = Self.file()
        let line = String(repeating: "x", count: 1023) + "\n"
        let lineCount = FileTail.maximumBytesPerPoll / 1024 + 100
        try String(repeating: line, count: lineCount).write(to: path, atomically: false, encoding: .utf8)
        var tail = FileTail(path: path.path)
        let first = tail.readLines(final: false, overflow: { _ in })
        #expect(first.count == FileTail.maximumBytesPerPoll / 1024)
        let second = tail.readLines(final: false, overflow: { _ in })
        #expect(first.count + second.count == lineCount)
    }

    @Test("a FIFO is refused at once, once")
    func fifo() throws {
        let path = Self.file()
        #expect(mkfifo(path.path, 0o644) == 0)
        var tail = FileTail(path: path.path)
        var problems: [String] = []
        for _ in 0..<3 { #expect(tail.readLines(final: false, overflow: { problems.append($0) }).isEmpty) }
        #expect(problems == ["metrics.jsonl is not a regular file (a FIFO); it is ignored"])
    }
}
