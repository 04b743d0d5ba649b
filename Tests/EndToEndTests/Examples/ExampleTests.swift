import Dispatch
import Foundation
import Testing

/// Runs the built `Examples/StudyExample` program, so CI builds and runs the documented example.
@Test func studyExampleRuns() async throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let candidates = [
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("study-example"),
        Bundle.main.bundleURL.appendingPathComponent("study-example"),
        // Beside the test runner, whatever the scratch path.
        Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("study-example"),
        root.appendingPathComponent(".build/debug/study-example"),
    ]
    let binary = try #require(candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                              "study-example not built; run `swift build` first")
    let process = Process()
    process.executableURL = binary
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    // Read and wait on a Dispatch thread: blocking the test pool starves timing-sensitive tests.
    let output = await withCheckedContinuation { (done: CheckedContinuation<String, Never>) in
        DispatchQueue.global().async {
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            done.resume(returning: text)
        }
    }
    #expect(process.terminationStatus == 0)
    #expect(output.contains("ask/tell: best accuracy"))
    #expect(output.contains("optimize: best accuracy"))
}
