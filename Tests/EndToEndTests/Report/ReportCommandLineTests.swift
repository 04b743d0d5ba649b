import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// The real binary: the plain line format when stdout is a file, `--quiet`, `best`, `report`.
extension ReportTests {
    @Suite(.serialized) struct CommandLineTests {
        /// Grid order, one at a time: lr=0.01 completes (best), lr=0.05 is stopped by the bandit
        /// policy at report 2 (0.75 < 0.95 − 0.1, trial 0's best in 2 reports), and `bad` fails in argparse (exit code 2).
        static let yaml = """
            type: sweep
            trial:
              command: python3 -u train.py --lr ${{search_space.lr}} --epochs 4 --sleep 0.05
              code: \(Fixtures.trials.path)
              environment_variables: {EXTRA: "a b"}
            search_space:
              lr: {type: choice, values: [0.01, 0.05, bad]}
            sampling_algorithm: grid
            objective: {goal: maximize, primary_metric: accuracy}
            early_termination: {type: bandit, slack_amount: 0.1, evaluation_interval: 1, delay_evaluation: 2}
            limits: {max_total_trials: 3, max_concurrent_trials: 1}

            """

        @Test func plainLinesHaveTheDocumentedFormat() async throws {
            let work = Fixtures.temporaryDirectory()
            try Self.yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
            let experiment = work.appendingPathComponent("exp")
            let run = try await HDBenchBinary.run(["sweep", "job.yml", "--experiment-dir", experiment.path], in: work)
            #expect(run.status == 0, "\(run.output)")
            let lines = run.output.split(separator: "\n").map(String.init)
            func expectLine(_ pattern: String, sourceLocation: SourceLocation = #_sourceLocation) {
                let regex = try! Regex("^" + pattern + "$")
                #expect(lines.contains { $0.wholeMatch(of: regex) != nil }, "no line matches \(pattern) in:\n\(run.output)", sourceLocation: sourceLocation)
            }
            let number = #"-?[0-9.e+-]+"#
            let seconds = #"\([0-9]+\.[0-9] s\)"#
            expectLine("experiment: .*/exp")
            expectLine("sweep started: up to 1 trial at once")
            expectLine("code snapshot: [0-9]+ files, [0-9.]+ MB from \(NSRegularExpression.escapedPattern(for: Fixtures.trials.path)) in [0-9.]+ s")
            expectLine("trial 0 started: lr=0.01")
            expectLine("trial 0 accuracy=0.9 report 1")
            expectLine("trial 0 accuracy=\(number) report 4")
            expectLine("trial 0 completed accuracy=0.975 \(seconds) \\(best so far\\)")
            expectLine("trial 1 started: lr=0.05")
            expectLine("trial 1 accuracy=0.75 report 2")
            expectLine("trial 1 stopped by policy at report 2: .*bandit.*")
            expectLine("trial 1 cancelled accuracy=0.75 \(seconds): .+")
            expectLine("trial 2 started: lr=bad")
            expectLine("trial 2 failed \\(no accuracy\\) \(seconds): exit code 2.*")
            expectLine("warning: trial 2: failed: exit code 2.*")
            expectLine("sweep completed: .*")
            expectLine("trials: 1 completed, 1 failed, 1 cancelled")
            expectLine("early termination: 1 trial stopped early, ~2 reports .* not run")
            expectLine("best: trial 0, accuracy = 0.975 \\(maximize\\), completed")
            expectLine("  parameters: lr=0.01")
            expectLine("  folder: .*/exp/trials/0")
            expectLine("  command: python3 -u train.py --lr 0.01 --epochs 4 --sleep 0.05")
            // The best trial's own working copy of the code snapshot.
            expectLine("  run in: .*/exp/trials/0/workdir")
            expectLine("  reproduce: cd .*/exp/trials/0/workdir && env AZUREML_SWEEP_lr=0.01 EXTRA='a b' /bin/sh -c 'python3 -u train.py --lr 0.01 --epochs 4 --sleep 0.05'")
            expectLine("report: hdbench report .*/exp")
            // No ANSI escapes when stdout is not a terminal.
            #expect(!run.output.contains("\u{1B}["))
            // Only the best trial is marked.
            #expect(lines.filter { $0.hasSuffix("(best so far)") }.count == 1)
            // Every line is one of the documented kinds.
            let kinds = ["experiment: ", "sweep ", "code snapshot", "trial ", "warning: ", "trials: ", "early termination: ", "best: ", "  ", "report: "]
            for line in lines { #expect(kinds.contains { line.hasPrefix($0) }, "undocumented line: \(line)") }

            // The reproduce line really reproduces the best trial's output.
            let reproduce = try #require(lines.first { $0.hasPrefix("  reproduce: ") }).dropFirst("  reproduce: ".count)
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", String(reproduce)]
            let pipe = Pipe()
            shell.standardOutput = pipe
            try await shell.runToExit()
            let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(shell.terminationStatus == 0)
            #expect(printed.contains("accuracy=0.975"))

            // `best` prints the same description.
            let best = try await HDBenchBinary.run(["best", experiment.path], in: work)
            #expect(best.status == 0)
            #expect(best.output.hasPrefix("best: trial 0, accuracy = 0.975 (maximize), completed\n  parameters: lr=0.01\n"))
            #expect(best.output.contains("  reproduce: cd "))

            // `report` writes DIR/report.html by default, or -o FILE.
            let report = try await HDBenchBinary.run(["report", experiment.path], in: work)
            #expect(report.status == 0, "\(report.output)")
            #expect(report.output.hasPrefix("report: \(experiment.path)/report.html (3 trials, "))
            let html = try String(contentsOf: experiment.appendingPathComponent("report.html"), encoding: .utf8)
            #expect(html.contains("data-trial-count=\"3\""))
            let custom = try await HDBenchBinary.run(["report", experiment.path, "-o", work.appendingPathComponent("r.html").path], in: work)
            #expect(custom.status == 0)
            #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("r.html").path))
            let missing = try await HDBenchBinary.run(["report", work.path], in: work)
            #expect(missing.status != 0)
            #expect(missing.output.contains("holds no hdbench experiment"))
        }

        @Test func quietPrintsOnlyTheSummary() async throws {
            let work = Fixtures.temporaryDirectory()
            try Self.yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
            let run = try await HDBenchBinary.run(["sweep", "job.yml", "--experiment-dir", work.appendingPathComponent("exp").path, "--quiet"], in: work)
            #expect(run.status == 0)
            let lines = run.output.split(separator: "\n")
            #expect(!lines.contains { $0.hasPrefix("trial ") || $0.hasPrefix("warning: ") || $0.hasPrefix("sweep started") }, "\(run.output)")
            #expect(lines.contains { $0.hasPrefix("sweep completed") })
            #expect(lines.contains { $0.hasPrefix("best: trial 0") })

            // `importance`: one completed trial is too few (exit 1, a line saying why and what
            // --include-stopped would add); with the trial the policy stopped, lr explains all.
            let experiment = work.appendingPathComponent("exp").path
            let tooFew = try await HDBenchBinary.run(["importance", experiment], in: work)
            #expect(tooFew.status == 1)
            #expect(tooFew.output.contains("Error: cannot rank parameters: parameter importance needs at least 2 trials with a finite objective value; there is only 1 (3 trials recorded; only completed ones with a value count; --include-stopped adds those stopped early)"), "\(tooFew.output)")
            let text = try await HDBenchBinary.run(["importance", experiment, "--include-stopped"], in: work)
            #expect(text.status == 0, "\(text.output)")
            #expect(text.output.hasPrefix("parameter importance (fANOVA, 64 trees, seed 0) from 2 trials; left out: 1 failed\nparameter  importance  alone"), "\(text.output)")
            let json = try await HDBenchBinary.run(["importance", experiment, "--include-stopped", "--json"], in: work)
            #expect(json.status == 0)
            let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
            #expect(parsed?.count == 1)
            #expect(parsed?.first?["parameter"] as? String == "lr")
            #expect(parsed?.first?["importance"] as? Double == 1)
            // Not an experiment: the same one line and exit status (2, bad input) as `best` and `report`.
            let notExperiment = try await HDBenchBinary.run(["importance", work.path], in: work)
            #expect(notExperiment.status == 2)
            #expect(notExperiment.output.contains("holds no hdbench experiment"))
        }
    }
}
