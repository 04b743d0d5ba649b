import Foundation
import Testing

/// Runs the built `Examples/StudyExample` program, so CI builds and runs the documented example.
@Test func studyExampleRuns() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let candidates = [
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("study-example"),
        root.appendingPathComponent(".build/debug/study-example"),
    ]
    let binary = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                              "study-example not built; run `swift build` first")
    let process = Process()
    process.executableURL = binary
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(output.contains("ask/tell: best accuracy"))
    #expect(output.contains("optimize: best accuracy"))
}
