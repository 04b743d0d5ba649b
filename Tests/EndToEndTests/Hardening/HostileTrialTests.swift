import Dispatch
import Foundation
import Testing
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Trials that attack the controller through the files it reads, driven through the real
/// binary: none of them may block or spin the loop that enforces timeouts and signals.
extension ExperimentTests {
    @Suite(.serialized) struct HostileTrialTests {
        /// A one-trial sweep whose command is `command` (the choice value is a dummy).
        static func yaml(_ command: String, trialTimeout: Int? = nil) -> String {
            """
            $schema: https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json
            type: sweep
            trial:
              command: \(command)
              code: .
            search_space:
              v: {type: choice, values: [1]}
            sampling_algorithm: grid
            objective: {goal: maximize, primary_metric: accuracy}
            limits: {max_total_trials: 1\(trialTimeout.map { ", trial_timeout: \($0)" } ?? "")}

            """
        }

        /// Runs `hdbench sweep` on `yaml` in a fresh folder; `whileRunning` is called on a Dispatch
        /// thread with the process once the trial folder exists. The run is killed after
        /// `limit` seconds (a hang), which the caller's timing check then reports.
        static func sweep(_ yaml: String, limit: Double = 30, whileRunning: (@Sendable (Process, URL) -> Void)? = nil)
            async throws -> (status: Int32, seconds: Double, experiment: URL, output: String) {
            let work = Fixtures.temporaryDirectory()
            try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
            let experiment = work.appendingPathComponent("exp")
            let output = work.appendingPathComponent("out.txt")
            let started = Date()
            let process = try CommandLineTests.launch(["sweep", "job.yml", "--experiment-dir", experiment.path, "--grace-period", "0.5"],
                                                      in: work, output: output)
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    let metrics = experiment.appendingPathComponent("trials/0/metrics.jsonl").path
                    while process.isRunning && Date().timeIntervalSince(started) < limit {
                        if let whileRunning, FileManager.default.fileExists(atPath: metrics) || (try? FileManager.default.destinationOfSymbolicLink(atPath: metrics)) != nil {
                            whileRunning(process, experiment)
                            break
                        }
                        usleep(20_000)
                    }
                    while process.isRunning && Date().timeIntervalSince(started) < limit { usleep(20_000) }
                    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                    process.waitUntilExit()
                    done.resume()
                }
            }
            return (process.terminationStatus, Date().timeIntervalSince(started), experiment,
                    (try? String(contentsOf: output, encoding: .utf8)) ?? "")
        }

        static func diagnostics(_ experiment: URL) throws -> [DiagnosticRecord] {
            try ExperimentStore.open(existing: experiment).diagnostics()
        }

        @Test("a FIFO in place of the metrics file blocks nothing: trial_timeout still ends the trial")
        func fifoMetricsFile() async throws {
            let run = try await Self.sweep(Self.yaml(#"sh -c 'rm -f "$HDBENCH_METRICS_FILE"; mkfifo "$HDBENCH_METRICS_FILE"; echo accuracy=0.5; exec sleep 60' ${{search_space.v}}"#, trialTimeout: 2))
            #expect(run.seconds < 15, "the sweep took \(run.seconds) s (trial_timeout 2 s)\n\(run.output)")
            let store = try ExperimentStore.open(existing: run.experiment)
            let trial = try #require(try store.trials().first)
            #expect(trial.status == .cancelled)
            #expect(try store.metrics(trial: 0, name: "accuracy").map(\.value) == [0.5])
            #expect(try Self.diagnostics(run.experiment).contains { $0.trial == 0 && $0.message.contains("metrics.jsonl is not a regular file (a FIFO)") })
        }

        @Test("a symbolic link to /dev/zero is not followed, and SIGTERM still stops the sweep")
        func devZeroLinkAndSigterm() async throws {
            let run = try await Self.sweep(Self.yaml(#"sh -c 'ln -sf /dev/zero "$HDBENCH_METRICS_FILE"; echo accuracy=0.25; exec sleep 60' ${{search_space.v}}"#),
                                           whileRunning: { process, experiment in
                // Wait until the link is in place and the trial has logged, then ask the controller to stop.
                let link = experiment.appendingPathComponent("trials/0/metrics.jsonl").path
                let stdout = experiment.appendingPathComponent("trials/0/stdout.log").path
                for _ in 0..<500 {
                    if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == "/dev/zero",
                       ((try? String(contentsOfFile: stdout, encoding: .utf8)) ?? "").contains("accuracy") { break }
                    usleep(20_000)
                }
                usleep(200_000)  // a few polls over the link
                kill(process.processIdentifier, SIGTERM)
            })
            #expect(run.seconds < 20, "the sweep took \(run.seconds) s after SIGTERM\n\(run.output)")
            #expect(run.status != 0 || run.output.contains("interrupted"))
            let store = try ExperimentStore.open(existing: run.experiment)
            #expect(try store.trials().first?.status == .interrupted)
            #expect(try Self.diagnostics(run.experiment).contains { $0.trial == 0 && $0.message.contains("metrics.jsonl is a symbolic link") })
        }

        @Test("a link to another file is not read")
        func linkToPasswdIsNotRead() async throws {
            let run = try await Self.sweep(Self.yaml(#"sh -c 'ln -sf /etc/passwd "$HDBENCH_METRICS_FILE"; echo accuracy=1' ${{search_space.v}}"#))
            #expect(run.status == 0, "\(run.output)")
            let diagnostics = try Self.diagnostics(run.experiment)
            #expect(!diagnostics.contains { ($0.line ?? "").contains("root:") }, "\(diagnostics)")
            #expect(diagnostics.contains { $0.message.contains("symbolic link") })
        }
    }
}
