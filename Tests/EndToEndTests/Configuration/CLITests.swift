import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Runs the real `hdbench` binary, as built by `swift build` / `swift test`.
@Suite("hdbench sample / validate (real binary)")
struct CLITests {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// The built executable: next to the test bundle, or `.build/debug/hdbench`.
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("hdbench"))
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hdbench"))
        candidates.append(SpaceTestSupport.packageRoot.appendingPathComponent(".build/debug/hdbench"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "hdbench binary not found (run swift build): \(candidates.map(\.path))"])
        }
        return found
    }

    func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = try Self.binary()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    func write(_ yaml: String) throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("hdbench-space-cli-\(UUID().uuidString).yml")
        try Data(yaml.utf8).write(to: url)
        return url
    }

    static let quickstart = SpaceTestSupport.packageRoot.appendingPathComponent("Examples/quickstart/sweep.yml").path

    @Test func validateQuickstartSaysOk() throws {
        let r = try run(["validate", Self.quickstart])
        #expect(r.status == 0)
        #expect(r.stdout == "ok\n")
        #expect(r.stderr.isEmpty)
    }

    @Test func validatePrintsEveryProblemAndExitsTwo() throws {
        let url = try write("""
            type: sweep
            trial: {command: python t.py}
            search_space: {lr: {type: uniform, min_value: 1, max_value: 0}, c: {type: choice, values: [on]}}
            sampling_algorithm: random
            objective: {goal: maximize, primary_metric: acc}
            limits: {max_total_trials: 0}
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let r = try run(["validate", url.path])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("search_space.lr.min_value: 1 must be less than max_value (0)") })
        #expect(lines.contains { $0.hasPrefix("search_space.c.values[0]: 'on' is read by YAML 1.1 as the boolean true") })
        #expect(lines.contains("limits.max_total_trials: 0 must be > 0"))
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack"))
    }

    @Test func validateReportsSyntaxErrorsWithTheLine() throws {
        let url = try write("type: sweep\ntrial:\n  command: [unclosed\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let r = try run(["validate", url.path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("YAML syntax error at line"))
    }

    @Test func sampleIsDeterministicJSONLines() throws {
        let first = try run(["sample", Self.quickstart, "--count", "6"])
        let second = try run(["sample", Self.quickstart, "--count", "6"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        let lines = first.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        // The same configurations as the library's sampler with the YAML's seed (42).
        let definition = try SweepDefinition(contentsOf: URL(fileURLWithPath: Self.quickstart))
        let sampler = RandomSampler(space: definition.searchSpace, seed: 42)
        let expected = (0..<6).map { sampler.configuration(history: .init(goal: .maximize), trialIndex: $0)!.jsonText }
        #expect(lines.map(String.init) == expected)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?.keys.sorted() == ["hidden_units", "layers", "learning_rate", "optimizer"])
            #expect(object?["layers"] is Int)
        }
        let reseeded = try run(["sample", Self.quickstart, "--count", "6", "--seed", "7"])
        #expect(reseeded.stdout != first.stdout)
    }

    @Test func sampleGridPrintsTheGridInOrderCappedAtItsSize() throws {
        let url = try write("""
            type: sweep
            trial: {command: "python t.py --a ${{search_space.a}} --b ${{search_space.b}}"}
            search_space:
              a: {type: choice, values: [1, 2]}
              b: {type: choice, values: [x, "y z"]}
            sampling_algorithm: grid
            objective: {goal: maximize, primary_metric: acc}
            limits: {max_total_trials: 10}
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let r = try run(["sample", url.path, "--count", "10"])
        #expect(r.status == 0)
        #expect(r.stdout == """
            {"a":1,"b":"x"}
            {"a":1,"b":"y z"}
            {"a":2,"b":"x"}
            {"a":2,"b":"y z"}

            """)
    }

    @Test func sampleBayesianPrintsTheInitialDesign() throws {
        let url = try write("""
            type: sweep
            trial: {command: python t.py}
            search_space: {a: {type: uniform, min_value: 0, max_value: 1}}
            sampling_algorithm: bayesian
            objective: {goal: maximize, primary_metric: acc}
            limits: {max_total_trials: 20}
            """)
        defer { try? FileManager.default.removeItem(at: url) }
        let r = try run(["sample", url.path, "--count", "3"])
        // With no results the Bayesian sampler proposes its quasi-random initial design.
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(Set(lines).count == 3)
    }

    @Test func missingFileExitsOne() throws {
        let r = try run(["validate", "/nonexistent/sweep.yml"])
        #expect(r.status == 1)
        #expect(r.stderr == "error: cannot read /nonexistent/sweep.yml\n")
    }
}
