public import Foundation
import Testing


/// Headless Chromium: loads a report from a file and returns the DOM after its scripts ran.
public enum Chromium {
    /// The browser on PATH (`chromium`, as Debian names it, or `chromium-browser`).
    public static var executable: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }

    public static let missing = "chromium is not on PATH: the report tests need a headless browser (Debian: apt-get install -y chromium); CI installs it in .ci/setup"

    /// Runs `chromium --headless --no-sandbox --disable-gpu EXTRA file://PAGE` with stdout to a
    /// file; returns its stdout and the seconds it took.
    public static func run(_ extra: [String], page: URL) async throws -> (output: String, seconds: Double) {
        guard let executable else { throw ChromiumError(description: missing) }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString.prefix(8)).out")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        defer { try? handle.close(); try? FileManager.default.removeItem(at: out) }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-profile-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)"] + extra + [page.absoluteString]
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        let start = Date()
        try await process.runToExit()
        let seconds = Date().timeIntervalSince(start)
        guard process.terminationStatus == 0 else {
            throw ChromiumError(description: "chromium exited with status \(process.terminationStatus) for \(page.path)")
        }
        return (try String(contentsOf: out, encoding: .utf8), seconds)
    }

    /// The DOM after the page's scripts ran (`--dump-dom`).
    public static func dumpDOM(_ page: URL) async throws -> (dom: String, seconds: Double) {
        let result = try await run(["--dump-dom"], page: page)
        return (result.output, result.seconds)
    }

    /// A 1400×2000 screenshot of `page` at `png`.
    public static func screenshot(_ page: URL, to png: URL) async throws {
        try? FileManager.default.createDirectory(at: png.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = try await run(["--screenshot=\(png.path)", "--window-size=1400,2000", "--hide-scrollbars"], page: page)
    }

    public struct ChromiumError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }
}

/// Reading the dumped DOM.
public enum DOM {
    /// The value of `attribute` on the first element whose opening tag contains `marker`.
    public static func attribute(_ attribute: String, ofTagContaining marker: String, in dom: String) -> String? {
        guard let markerRange = dom.range(of: marker),
              let open = dom[..<markerRange.lowerBound].range(of: "<", options: .backwards),
              let close = dom[markerRange.upperBound...].range(of: ">") else { return nil }
        let tag = dom[open.lowerBound..<close.upperBound]
        guard let start = tag.range(of: " \(attribute)=\"") else { return nil }
        let rest = tag[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// `data-marks` of the chart `name` as an integer.
    public static func marks(_ name: String, in dom: String) -> Int? {
        attribute("data-marks", ofTagContaining: "data-chart=\"\(name)\"", in: dom).flatMap(Int.init)
    }

    public static func count(_ needle: String, in dom: String) -> Int {
        dom.components(separatedBy: needle).count - 1
    }

    /// The opening `<body …>` tag.
    public static func bodyTag(_ dom: String) -> String {
        guard let start = dom.range(of: "<body"), let end = dom[start.upperBound...].firstIndex(of: ">") else { return "" }
        return String(dom[start.lowerBound...end])
    }
}

public enum ReportArtifacts {
    /// `<package>/.build/test-artifacts/`, kept after the run.
    public static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build").appendingPathComponent("test-artifacts")
}

public extension Process {
    /// Starts the process and waits for it without blocking a thread of the cooperative pool
    /// (other tests, e.g. the kill -9 test's polling loop, keep running meanwhile).
    func runToExit() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            terminationHandler = { _ in continuation.resume() }
            do {
                try run()
            } catch {
                terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}

/// The real `hdbench` binary, awaited without blocking the cooperative pool.
public enum HDBenchBinary {
    /// The built `hdbench` next to the test bundle, else `.build/debug/hdbench`.
    public static var executable: URL? {
        // Next to the test executable (whatever the scratch path), then the default build folder.
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("hdbench"),
            Bundle.main.bundleURL.appendingPathComponent("hdbench"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hdbench"),
            // Beside the test runner, whatever the scratch path (`--scratch-path .build-x`).
            Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("hdbench"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/hdbench"),
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs the binary to completion with stdout and stderr to a file; returns its exit status
    /// and output.
    public static func run(_ arguments: [String], in directory: URL) async throws -> (status: Int32, output: String) {
        guard let executable else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "hdbench binary not found; run `swift build` first"])
        }
        let output = directory.appendingPathComponent("out-\(UUID().uuidString.prefix(6)).txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = handle
        process.standardError = handle
        try await process.runToExit()
        return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
    }
}
