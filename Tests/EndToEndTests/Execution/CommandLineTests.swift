import Dispatch
import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Runs the real `hdbench` binary (built alongside the tests).
extension ExperimentTests {
    @Suite(.serialized) struct CommandLineTests {
        static var binary: URL? { HDBenchBinary.executable }

        /// Starts the binary with output to `output`; returns the running process.
        static func launch(_ arguments: [String], in directory: URL, output: URL) throws -> Process {
            let process = Process()
            guard let executable = binary else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "hdbench binary not found; run `swift build` first"])
            }
            process.executableURL = executable
            process.arguments = arguments
            process.currentDirectoryURL = directory
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            return process
        }

        /// Runs the binary to completion; returns its exit status and output.
        static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
            let output = directory.appendingPathComponent("out-\(UUID().uuidString.prefix(6)).txt")
            let process = try launch(arguments, in: directory, output: output)
            process.waitUntilExit()
            return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
        }

        static let yaml = """
            $schema: https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json
            type: sweep
            trial:
              command: python3 -u train.py --lr ${{search_space.lr}} --epochs 12 --sleep 0.3
              code: \(Fixtures.trials.path)
            search_space:
              lr: {type: choice, values: [0.01, 0.02, 0.04]}
            sampling_algorithm: grid
            objective: {goal: maximize, primary_metric: accuracy}
            limits: {max_total_trials: 3, max_concurrent_trials: 2}

            """

        @Test func killNineThenResumeLosesNothing() async throws {
            let work = Fixtures.temporaryDirectory()
            try Self.yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
            let experiment = work.appendingPathComponent("exp")
            let firstOutput = work.appendingPathComponent("first.txt")
            let first = try Self.launch(["sweep", "job.yml", "--experiment-dir", experiment.path], in: work, output: firstOutput)
            // Kill it once both trials have reported a few values. The watch runs on a Dispatch
            // thread, not the test pool, so tests blocking pool threads cannot delay the kill.
            let pid = first.processIdentifier
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    let deadline = Date().addingTimeInterval(15)
                    while Date() < deadline {
                        let printed = (try? String(contentsOf: firstOutput, encoding: .utf8)) ?? ""
                        if printed.components(separatedBy: " report ").count > 6 { break }
                        usleep(20_000)
                    }
                    kill(pid, SIGKILL)
                    done.resume()
                }
            }
            first.waitUntilExit()
            #expect(first.terminationReason == .uncaughtSignal)

            // Every metric line the killed process printed is in the store.
            let printed = try String(contentsOf: firstOutput, encoding: .utf8)
            let printedReports = printed.split(separator: "\n").filter { $0.contains(" accuracy=") && $0.contains(" report ") }
            #expect(printedReports.count >= 5)
            let store = try ExperimentStore.open(existing: experiment)
            let stored = try store.metrics(name: "accuracy")
            for line in printedReports {
                // "trial N accuracy=V report K"
                let words = line.split(separator: " ")
                let trial = Int(words[1])
                let value = Double(words[2].dropFirst("accuracy=".count))
                let index = Int(words[4])
                #expect(stored.contains { $0.trial == trial && $0.value == value && $0.reportIndex == index }, "\(line)")
            }
            let beforeResume = try store.trials()
            #expect(beforeResume.filter { $0.status == .running }.count == 2)
            #expect(try store.experiment()?.status == .running)
            #expect(!store.isSweepRunning())

            // Status of the killed sweep says it was interrupted.
            let status = try Self.run(["status", experiment.path], in: work)
            #expect(status.status == 0)
            #expect(status.output.contains("status: interrupted (no hdbench process is running it"))

            // Resume: running trials become interrupted and are re-run with the same parameters.
            let resumed = try Self.run(["sweep", "job.yml", "--experiment-dir", experiment.path, "--resume"], in: work)
            #expect(resumed.status == 0, "\(resumed.output)")
            #expect(resumed.output.contains("sweep resumed"))
            #expect(resumed.output.contains("(re-run of trial 0)"))
            let trials = try store.trials()
            let interrupted = trials.filter { $0.status == .interrupted }
            #expect(interrupted.map(\.id) == beforeResume.filter { $0.status == .running }.map(\.id))
            #expect(trials.filter { $0.status == .completed }.count == 3)
            for old in interrupted {
                let rerun = try #require(trials.first { $0.rerunOf == old.id })
                #expect(rerun.configuration == old.configuration && rerun.proposal == old.proposal)
                #expect(rerun.status == .completed)
            }
            // The interrupted trials' reports are all still there.
            for report in stored { #expect(try store.metrics(trial: report.trial, name: "accuracy").contains(report)) }
            #expect(Set(trials.map(\.configuration)).count == 3)
            #expect(try store.experiment()?.status == .completed)
            // No process of the killed run survived the resume.
            for old in interrupted { #expect(kill(-(old.pid ?? 0), 0) == -1 || !Self.groupHasLiveProcess(old.pid ?? 0)) }

            // best --json, export, status.
            let best = try Self.run(["best", experiment.path, "--json"], in: work)
            #expect(best.status == 0)
            let bestObject = try #require(try JSONSerialization.jsonObject(with: Data(best.output.utf8)) as? [String: Any])
            #expect(Set(bestObject.keys) == ["trial", "metric", "value", "goal", "parameters", "command", "folder", "status"])
            #expect((bestObject["parameters"] as? [String: Any])?["lr"] as? Double == 0.01)
            let expectedBest: Double = 1 - 0.01 * 10 / 12
            // Compared as text: Foundation's JSONSerialization on Linux does not round decimals exactly.
            #expect(best.output.contains("\"value\": \(expectedBest),"))
            #expect(bestObject["goal"] as? String == "maximize")
            let export = try Self.run(["export", experiment.path, "--format", "json"], in: work)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(export.output.utf8)) as? [[String: Any]])
            #expect(rows.count == trials.count)
            #expect(rows.allSatisfy { Set($0.keys) == ["trial", "status", "parameters", "value", "history", "reason", "started", "ended"] })
            let csv = try Self.run(["export", experiment.path, "--format", "csv"], in: work)
            #expect(csv.output.hasPrefix("trial,status,value,lr,reports,reason,started,ended,folder,command\n"))
            #expect(csv.output.split(separator: "\n").count == trials.count + 1)
            let table = try Self.run(["status", experiment.path], in: work)
            #expect(table.output.contains("status: completed"))
            let header = try #require(table.output.split(separator: "\n").first { $0.hasPrefix("trial ") })
            #expect(header.split(separator: " ", omittingEmptySubsequences: true) == ["trial", "status", "accuracy", "reports", "time", "parameters", "reason"])
            #expect(table.output.contains("interrupted"))
        }

        /// `bench compare --intervals` prints each result's median and its distribution-free
        /// interval at the budget (order statistics 2 and 9 of 10 values at 95%), and a result
        /// too short for an interval just its median.
        @Test func compareIntervalsAreTheOrderStatistics() throws {
            let work = Fixtures.temporaryDirectory()
            func write(_ name: String, sampler: String, finals: [Double]) throws {
                let object: [String: Any] = [
                    "problem": "branin", "sampler": sampler, "seeds": finals.count, "budget": 100,
                    "checkpoints": [50, 100],
                    "log10_regret": ["median": [1.5, 1.25], "q25": [1, 1], "q75": [2, 2]],
                    "per_seed_final": finals, "seconds_per_suggestion": 0.01, "versions": [String: String](),
                ]
                try JSONSerialization.data(withJSONObject: object).write(to: work.appendingPathComponent(name))
            }
            try write("a.json", sampler: "alpha", finals: [0.9, -0.3, 0.1, 0.7, -0.8, 0.4, 0.2, 1.6, 0.05, -0.1])
            try write("b.json", sampler: "beta", finals: [0.1, 0.2, 0.3])
            let result = try Self.run(["bench", "compare", "a.json", "b.json", "--at", "50,100", "--intervals"], in: work)
            #expect(result.status == 0, "\(result.output)")
            let row100 = try #require(result.output.split(separator: "\n").last { $0.hasPrefix("branin") })
            #expect(row100.contains("1.25 [10] (-0.30, 0.90)"), "\(row100)")
            #expect(row100.contains("1.25 [3]") && !row100.contains("[3] ("), "\(row100)")
            let row50 = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("branin") })
            #expect(!row50.contains("("), "intervals are printed at the budget only: \(row50)")
        }

        /// `bench quality --trace` writes one JSON object per suggestion of the surrogate and
        /// says how many sat on the bounds; it is refused for a sampler without a surrogate.
        @Test func qualityTraceIsJSONLines() throws {
            let work = Fixtures.temporaryDirectory()
            let result = try Self.run(["bench", "quality", "--problem", "branin", "--sampler", "bayesian", "--budget", "13",
                                       "--seeds", "1", "--trace", "t.jsonl"], in: work)
            #expect(result.status == 0, "\(result.output)")
            let lines = try String(contentsOf: work.appendingPathComponent("t.jsonl"), encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 3)
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(Set(object.keys) == ["seed", "trial", "point", "coordinates_on_bounds", "length_scales", "signal_variance",
                                             "noise_variance", "incumbent", "acquisition", "noiseless_value"])
            }
            #expect(result.output.contains("trace: 3 suggestions of the surrogate written to t.jsonl"), "\(result.output)")
            let refused = try Self.run(["bench", "quality", "--problem", "branin", "--sampler", "random", "--trace", "t.jsonl"], in: work)
            #expect(refused.status != 0 && refused.output.contains("--trace applies to --sampler bayesian only"), "\(refused.output)")
        }

        @Test func errorsAreOneReadableLine() throws {
            let work = Fixtures.temporaryDirectory()
            let missing = try Self.run(["status", work.path], in: work)
            #expect(missing.status != 0)
            #expect(missing.output.contains("holds no hdbench experiment"))
            try Self.yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
            let noResume = try Self.run(["sweep", "job.yml", "--resume"], in: work)
            #expect(noResume.status != 0)
            #expect(noResume.output.contains("no experiment to resume"))
        }

        static func groupHasLiveProcess(_ pgid: Int32) -> Bool {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
            for entry in entries {
                guard let pid = Int32(entry),
                      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 3, Int32(fields[2]) == pgid, Fixtures.isAlive(pid) { return true }
            }
            return false
        }
    }
}
