import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Azure sweep jobs and scripts run unchanged through the real binary: the public
/// examples' equivalents (Tests/Fixtures/azure, see its README), per-trial working copies of one
/// code snapshot, no stray argument append, remote assets replaced on the command line, and
/// HyperDrive v1 `Run.log` scripts.
extension ExperimentTests {
    @Suite(.serialized) struct AzureJobTests {
        static let fixtures = SpaceTestSupport.fixtures.appendingPathComponent("azure")

        /// A fresh folder holding a copy of fixture `name` (experiments are created beside it).
        func workspace(_ name: String, label: String = #function) throws -> URL {
            let work = Fixtures.temporaryDirectory(label)
            let copy = work.appendingPathComponent(name)
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name), to: copy)
            return copy
        }

        func write(_ text: String, to url: URL, executable: Bool = false) throws {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            if executable { chmod(url.path, 0o755) }
        }

        func skipWithoutMLflow(_ name: String = #function) -> Bool {
            if Fixtures.hasMLflow { return false }
            print("skipping \(name): `python3 -c 'import mlflow'` failed (.ci/setup --test installs mlflow-skinny)")
            return true
        }

        // MARK: - The public examples

        @Test func helloSweepRunsEndToEnd() async throws {
            if skipWithoutMLflow() { return }
            let job = try workspace("hello-sweep")
            let run = try await HDBenchBinary.run(["sweep", "hello-sweep.yml", "--experiment-dir", "exp", "--quiet"], in: job)
            #expect(run.status == 0, "\(run.output)")
            let store = try ExperimentStore.open(existing: job.appendingPathComponent("exp"))
            let results = try store.results()
            #expect(results.map(\.trial.status) == Array(repeating: .completed, count: 4))
            for result in results {
                #expect(result.history.count == 1 && result.value.map { (0..<1).contains($0) } == true, "trial \(result.trial.id)")
                #expect(result.trial.command?.hasPrefix("python hello-sweep.py --A 0.5 --B ") == true)
            }
            #expect(try store.experiment()?.resolvedConfiguration?.recordedAzureKeys.map(\.name).contains("trial.environment") == true)
            let snapshot = try #require(try store.codeSnapshot())
            #expect(snapshot.files == 1 && snapshot.source == job.appendingPathComponent("src").path)
        }

        @Test func irisSweepRunsWithALocalCSVInPlaceOfTheRemoteInput() async throws {
            if skipWithoutMLflow() { return }
            let job = try workspace("iris")
            let csv = job.appendingPathComponent("data/iris.csv").path
            // Without --input: one message listing what to pass, exit 2, before anything runs.
            let refused = try await HDBenchBinary.run(["sweep", "job-sweep.yml", "--experiment-dir", "exp"], in: job)
            #expect(refused.status == 2)
            #expect(refused.output == "error: this sweep uses remote assets hdbench cannot fetch: inputs.iris_csv (wasbs://datasets@azuremlexamples.blob.core.windows.net/iris.csv); download them and pass --input iris_csv=PATH\n")
            #expect(!FileManager.default.fileExists(atPath: job.appendingPathComponent("exp").path))
            let validate = try await HDBenchBinary.run(["validate", "job-sweep.yml"], in: job)
            #expect(validate.status == 0)
            #expect(validate.output.contains("warning: inputs.iris_csv: 'wasbs://datasets@azuremlexamples.blob.core.windows.net/iris.csv' is a remote asset hdbench cannot fetch; pass --input iris_csv=PATH with a local copy"))

            let run = try await HDBenchBinary.run(["sweep", "job-sweep.yml", "--experiment-dir", "exp", "--quiet",
                                                   "--input", "iris_csv=data/iris.csv", "--max-concurrent", "2"], in: job)
            #expect(run.status == 0, "\(run.output)")
            let store = try ExperimentStore.open(existing: job.appendingPathComponent("exp"))
            let results = try store.results()
            #expect(results.count == 20 && results.allSatisfy { $0.trial.status == .completed })
            #expect(results.allSatisfy { $0.value.map { (0...1).contains($0) } == true })
            #expect(results.allSatisfy { $0.trial.command?.contains("--iris-csv \(csv) ") == true })
            #expect(try store.overrides() == SweepOverrides(inputs: [.init(name: "iris_csv", value: csv)]))
            let best = try await HDBenchBinary.run(["best", "exp"], in: job)
            #expect(best.output.contains("reproduce: cd \(job.path)/exp/trials/") && best.output.contains("/workdir && env AZUREML_SWEEP_C="))
            #expect(best.output.contains("--iris-csv \(csv)"))

            // --resume uses the recorded override and snapshot; a different one is refused.
            let resumed = try await HDBenchBinary.run(["sweep", "job-sweep.yml", "--experiment-dir", "exp", "--resume"], in: job)
            #expect(resumed.status == 0, "\(resumed.output)")
            #expect(resumed.output.contains("code snapshot (reused): 1 file"))
            let other = try await HDBenchBinary.run(["sweep", "job-sweep.yml", "--experiment-dir", "exp", "--resume",
                                                     "--input", "iris_csv=/elsewhere.csv"], in: job)
            #expect(other.status == 2)
            #expect(other.output.hasPrefix("error: \(job.path)/exp was started with --input iris_csv=\(csv); resume it without --code and --input"))
        }

        // MARK: - Working directory per trial

        /// As the Python SDK writes a job: `command: |` and no placeholder. Every trial completes
        /// (no `--lr` appended after the block's newline), writes ./outputs/output.txt in its own
        /// working copy and logs through MLflow; with --append-arguments the values are
        /// appended before the newline.
        @Test func sdkStyleCommandBlockCompletesEveryTrial() async throws {
            if skipWithoutMLflow() { return }
            let job = try workspace("sdk-command")
            let run = try await HDBenchBinary.run(["sweep", "job.yml", "--experiment-dir", "exp", "--quiet"], in: job)
            #expect(run.status == 0, "\(run.output)")
            let results = try ExperimentStore.open(existing: job.appendingPathComponent("exp")).results()
            #expect(results.map(\.trial.status) == [.completed, .completed, .completed])
            for (result, lr) in zip(results, [0.01, 0.02, 0.04]) {
                #expect(result.trial.command == "python3 train.py\n")
                #expect(result.history.map(\.value) == (1...3).map { 1 - lr * 10 / Double($0) })
                let output = URL(fileURLWithPath: result.trial.folder).appendingPathComponent("workdir/outputs/output.txt")
                #expect(try String(contentsOf: output, encoding: .utf8) == "lr=\(lr)\n")
                #expect(FileManager.default.fileExists(atPath: URL(fileURLWithPath: result.trial.folder).appendingPathComponent("workdir/logs").path))
            }
            let appended = try await HDBenchBinary.run(["sweep", "job.yml", "--experiment-dir", "exp2", "--quiet", "--append-arguments"], in: job)
            #expect(appended.status == 0, "\(appended.output)")
            let commands = try ExperimentStore.open(existing: job.appendingPathComponent("exp2")).trials().map(\.command)
            #expect(commands == ["python3 train.py --lr 0.01\n", "python3 train.py --lr 0.02\n", "python3 train.py --lr 0.04\n"])
        }

        /// Two trials running at once write the same relative path; each reads back its own
        /// value. The trials meet at a barrier (each waits until both have written), so the test
        /// depends on events, not timing. Fails when trials share the code folder.
        @Test func concurrentTrialsWritingTheSamePathDoNotSeeEachOther() async throws {
            let work = Fixtures.temporaryDirectory()
            let barrier = work.appendingPathComponent("barrier")
            try FileManager.default.createDirectory(at: barrier, withIntermediateDirectories: true)
            try write("""
                #!/bin/sh
                echo "$AZUREML_SWEEP_x" > same.txt
                touch "$BARRIER/$AZUREML_SWEEP_x"
                n=0
                while [ "$(ls "$BARRIER" | wc -l)" -lt 2 ]; do
                    n=$((n + 1)); [ "$n" -gt 600 ] && { echo "the other trial never wrote" >&2; exit 3; }
                    sleep 0.05
                done
                if [ "$(cat same.txt)" = "$AZUREML_SWEEP_x" ]; then echo own=1; else echo own=0; fi

                """, to: work.appendingPathComponent("code/trial.sh"), executable: true)
            try write("""
                type: sweep
                trial:
                  command: ./trial.sh
                  code: code
                  environment_variables: {BARRIER: \(barrier.path)}
                search_space: {x: {type: choice, values: [a, b]}}
                sampling_algorithm: grid
                objective: {goal: maximize, primary_metric: own}
                limits: {max_total_trials: 2, max_concurrent_trials: 2}

                """, to: work.appendingPathComponent("job.yml"))
            let run = try await HDBenchBinary.run(["sweep", "job.yml", "--experiment-dir", "exp", "--quiet"], in: work)
            #expect(run.status == 0, "\(run.output)")
            let results = try ExperimentStore.open(existing: work.appendingPathComponent("exp")).results()
            #expect(results.map(\.trial.status) == [.completed, .completed])
            #expect(results.map(\.value) == [1, 1], "each trial must read back its own ./same.txt")
            #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("code/same.txt").path))
        }

        /// The first trial edits the code folder in place; later trials still run the code as it
        /// was when the sweep started. Fails when trials run in the code folder.
        @Test func editingTheCodeFolderDuringASweepDoesNotChangeLaterTrials() async throws {
            let work = Fixtures.temporaryDirectory()
            let code = work.appendingPathComponent("code")
            try write("1\n", to: code.appendingPathComponent("version.txt"))
            try write("""
                #!/bin/sh
                echo "version=$(cat version.txt)"
                # Edit the original code folder, in place, as an editor or a git checkout would.
                echo 2 > "$CODE_DIR/version.txt"

                """, to: code.appendingPathComponent("trial.sh"), executable: true)
            try write("""
                type: sweep
                trial:
                  command: ./trial.sh
                  code: code
                  environment_variables: {CODE_DIR: \(code.path)}
                search_space: {x: {type: choice, values: [1, 2, 3]}}
                sampling_algorithm: grid
                objective: {goal: maximize, primary_metric: version}
                limits: {max_total_trials: 3, max_concurrent_trials: 1}

                """, to: work.appendingPathComponent("job.yml"))
            let run = try await HDBenchBinary.run(["sweep", "job.yml", "--experiment-dir", "exp", "--quiet"], in: work)
            #expect(run.status == 0, "\(run.output)")
            let results = try ExperimentStore.open(existing: work.appendingPathComponent("exp")).results()
            #expect(results.map(\.value) == [1, 1, 1])
            #expect(try String(contentsOf: code.appendingPathComponent("version.txt"), encoding: .utf8) == "2\n")
            #expect(try String(contentsOf: work.appendingPathComponent("exp/snapshot/version.txt"), encoding: .utf8) == "1\n")
        }

        // MARK: - HyperDrive v1 scripts

        /// `Run.get_context().log(...)` metrics arrive with no azureml-core importable, and with
        /// one importable (a stand-in on PYTHONPATH whose offline run drops them): the shim comes
        /// first. With the shim switched off, the stand-in wins and nothing arrives; with neither,
        /// the import fails.
        @Test func v1RunLogMetricsArrive() async throws {
            let fake = Self.fixtures.appendingPathComponent("fake-azureml-core").path
            for (label, pythonPath, shim) in [("no azureml-core", nil, true), ("azureml-core importable", fake, true),
                                             ("shim off", fake, false), ("shim off, no azureml-core", nil, false)] {
                let job = try workspace("v1-run-log", label: "v1RunLog-\(label)")
                if let pythonPath {
                    let yaml = try String(contentsOf: job.appendingPathComponent("job.yml"), encoding: .utf8)
                        .replacingOccurrences(of: "  code: .\n", with: "  code: .\n  environment_variables: {PYTHONPATH: \(pythonPath)}\n")
                    try write(yaml, to: job.appendingPathComponent("job.yml"))
                }
                let run = try await HDBenchBinary.run(["sweep", "job.yml", "--experiment-dir", "exp", "--quiet"]
                                                      + (shim ? [] : ["--no-azureml-run-shim"]), in: job)
                #expect(run.status == 0, "\(label): \(run.output)")
                let store = try ExperimentStore.open(existing: job.appendingPathComponent("exp"))
                let results = try store.results()
                switch (shim, pythonPath) {
                case (true, _):
                    #expect(results.map(\.trial.status) == [.completed, .completed], "\(label)")
                    for (result, lr) in zip(results, [0.01, 0.02]) {
                        #expect(result.history.map(\.value) == (1...3).map { 1 - lr * 10 / Double($0) }, "\(label)")
                        let names = try store.metrics(trial: result.trial.id).map(\.name)
                        #expect(names.filter { $0 == "losses" }.count == 2 && names.contains("summary.lr") && names.contains("summary.epochs"), "\(label)")
                    }
                case (false, .some):
                    #expect(results.map(\.trial.status) == [.completed, .completed], "\(label)")
                    #expect(results.allSatisfy { $0.history.isEmpty }, "\(label)")
                case (false, nil):
                    #expect(results.map(\.trial.status) == [.failed, .failed], "\(label)")
                    #expect(results.first?.trial.reason?.contains("No module named 'azureml'") == true, "\(label)")
                }
            }
        }

        // MARK: - Pipelines

        /// A pipeline with three sweep nodes: `--node` runs each (inline trial; a component file
        /// with inputs bound to the pipeline's; a component whose data is another job's output,
        /// given with --input); without --node one message lists them and the other jobs.
        @Test func pipelineSweepNodesRunWithNode() async throws {
            let job = try workspace("pipeline")
            let data = job.appendingPathComponent("data/train.csv").path
            let listed = try await HDBenchBinary.run(["sweep", "pipeline.yml"], in: job)
            #expect(listed.status == 2)
            #expect(listed.output == "jobs: this is a pipeline; hdbench runs one of its sweep nodes as a sweep: pass --node NAME with one of sweep_inline, sweep_component, sweep_after_prep; other jobs: prep (command), report (command)\n")
            let unknown = try await HDBenchBinary.run(["sweep", "pipeline.yml", "--node", "nope"], in: job)
            #expect(unknown.status == 2)
            #expect(unknown.output == "--node: 'nope' names no job of this pipeline; its sweep nodes: sweep_inline, sweep_component, sweep_after_prep\n")
            #expect(!FileManager.default.fileExists(atPath: job.appendingPathComponent("experiments").path))

            let expected: [(node: String, arguments: [String], commands: [String])] = [
                ("sweep_inline", [], ["python3 train.py --data \(data) --lr 0.01 --epochs 3", "python3 train.py --data \(data) --lr 0.02 --epochs 3"]),
                ("sweep_component", [], []),
                ("sweep_after_prep", ["--input", "data=data/train.csv"], []),
            ]
            for (node, arguments, commands) in expected {
                let run = try await HDBenchBinary.run(["sweep", "pipeline.yml", "--node", node, "--experiment-dir", node, "--quiet"] + arguments, in: job)
                #expect(run.status == 0, "\(node): \(run.output)")
                let store = try ExperimentStore.open(existing: job.appendingPathComponent(node))
                let results = try store.results()
                #expect(!results.isEmpty && results.allSatisfy { $0.trial.status == .completed && $0.value != nil }, "\(node)")
                #expect(try store.experiment()?.resolvedConfiguration?.pipelineNode == node)
                if !commands.isEmpty { #expect(results.map(\.trial.command) == commands) }
                if node == "sweep_component" {
                    // The component's defaults fill the inputs the node leaves unbound (epochs: 4),
                    // the sampled lr reaches ${{inputs.lr}}, and ${{outputs.model}} is per trial.
                    #expect(results.count == 3)
                    for result in results {
                        let lr = try #require(result.trial.configuration["lr"].flatMap { value -> Double? in
                            if case .double(let x) = value { return x }
                            return nil
                        })
                        let folder = result.trial.folder
                        #expect(result.trial.command == "python3 train.py --data \(data) --lr \(lr) --epochs 4 --model \(folder)/outputs/model")
                        #expect(result.history.count == 4)
                        #expect(try String(contentsOfFile: folder + "/outputs/model/model.txt", encoding: .utf8) == "lr=\(lr)\n")
                    }
                }
                if node == "sweep_after_prep" {
                    #expect(try store.overrides() == SweepOverrides(inputs: [.init(name: "data", value: data)]))
                    #expect(try store.experiment()?.resolvedConfiguration?.earlyTermination == EarlyTerminationSpec(kind: .bandit(slackFactor: 0.2, slackAmount: nil)))
                }
            }
        }

        // MARK: - Validation and bad input

        @Test func validateAcceptsTheFormsAzureAccepts() async throws {
            let work = Fixtures.temporaryDirectory()
            try FileManager.default.createDirectory(at: work.appendingPathComponent("data"), withIntermediateDirectories: true)
            try write("""
                type: sweep
                trial: {command: "python t.py --lr ${{search_space.lr}} --data ${{inputs.data}} --n ${{inputs.n}}"}
                inputs:
                  data: {path: ./data}
                  n: {value: 42}
                search_space:
                  lr: {type: loguniform, min_value: -4, max_value: -1}
                  batch: {type: qloguniform, min_value: 3, max_value: 7, q: 1}
                sampling_algorithm: {type: random, seed: 1, logbase: 2.5}
                objective: {goal: maximize, primary_metric: acc}
                early_termination: {type: bandit, slack_factor: 0.1, slack_amount: 0, evaluation_interval: 1}
                limits: {max_total_trials: 4}

                """, to: work.appendingPathComponent("job.yml"))
            let validate = try await HDBenchBinary.run(["validate", "job.yml"], in: work)
            #expect(validate.status == 0)
            #expect(validate.output == "ok\n")
            let sample = try await HDBenchBinary.run(["sample", "job.yml", "--count", "50"], in: work)
            #expect(sample.status == 0, "\(sample.output)")
            for line in sample.output.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                let lr = try #require(object?["lr"] as? Double)
                #expect(lr >= pow(2.5, -4) * (1 - 1e-12) && lr <= pow(2.5, -1) * (1 + 1e-12), "\(lr)")
            }
        }

        @Test func badCommandLineInputIsOneLineAndExitTwoBeforeAnythingRuns() async throws {
            let job = try workspace("iris")
            let cases: [([String], String)] = [
                (["--input", "nope=1"], "error: --input nope: the sweep job declares no input 'nope' (declared: iris_csv)\n"),
                (["--input", "iris_csv"], "error: --input: 'iris_csv' is not NAME=VALUE; e.g. --input iris_csv=./iris.csv\n"),
                (["--code", "job-sweep.yml"], "error: --code: 'job-sweep.yml' is not a folder; give the folder that holds the training code\n"),
                (["--code", "missing"], "error: --code: 'missing' does not exist (looked for \(job.path)/missing); give the folder that holds the training code\n"),
            ]
            for (arguments, message) in cases {
                let run = try await HDBenchBinary.run(["sweep", "job-sweep.yml", "--experiment-dir", "exp"] + arguments, in: job)
                #expect(run.status == 2, "\(arguments)")
                #expect(run.output == message)
                #expect(!FileManager.default.fileExists(atPath: job.appendingPathComponent("exp").path))
            }
        }
    }
}
