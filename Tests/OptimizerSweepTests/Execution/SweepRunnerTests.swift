import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

extension ExperimentTests {
    /// End-to-end sweeps of real `sh` / `python3 -u` trials, recorded in a real SQLite store.
    @Suite(.serialized) struct SweepRunnerTests {
        @Test func endToEndSweepRecordsEverything() async throws {
            let directory = Fixtures.temporaryDirectory()
            let command = #"python3 -u train.py --lr ${{search_space.lr}} --epochs 3 --channel both --sleep 0.05 "#
                + #"&& echo "$AZUREML_SWEEP_lr $AZUREML_SWEEP_tag $HDBENCH_TRIAL_ID $GREETING" > ${{outputs.model}}/info.txt "#
                + #"&& pwd > ${{outputs.model}}/cwd.txt && echo ${{inputs.data}} > ${{ outputs.model }}/input.txt"#
            let definition = Fixtures.definition(
                command: command, limits: Limits(maxTotalTrials: 5),
                environment: [("GREETING", "hi there")], inputs: [("data", "/data/x y.csv")], outputs: ["model"],
                yaml: "# the yaml\n")
            let rates = [0.05, 0.01, 0.02]
            let configurations = rates.map { Fixtures.configuration(["lr": .double($0), "tag": .string("a b;c")]) }
            let events = EventLog()
            let runner = try Fixtures.runner(definition, configurations: configurations, directory: directory)
            let summary = try await runner.run(events: { events.append($0) })

            #expect(summary.status == .completed)
            #expect(summary.reason == "search space used up after 3 trials")
            #expect(summary.trials.map(\.trial.status) == [.completed, .completed, .completed])
            for (index, result) in summary.trials.enumerated() {
                let lr = rates[index]
                let expected: [Double] = (1...3).map { (epoch: Int) -> Double in 1 - lr * 10 / Double(epoch) }
                #expect(result.history.map(\.value) == expected, "trial \(index)")
                #expect(result.history.map(\.reportIndex) == [1, 2, 3])
                #expect(result.value == expected.max())
                let folder = URL(fileURLWithPath: result.trial.folder)
                #expect(folder == directory.appendingPathComponent("trials/\(index)"))
                let info = try String(contentsOf: folder.appendingPathComponent("outputs/model/info.txt"), encoding: .utf8)
                #expect(info == "\(lr) a b;c \(index) hi there\n")
                let cwd = try String(contentsOf: folder.appendingPathComponent("outputs/model/cwd.txt"), encoding: .utf8)
                // Each trial runs in its own copy of the code snapshot.
                #expect(cwd.trimmingCharacters(in: .newlines) == folder.appendingPathComponent("workdir").path)
                let input = try String(contentsOf: folder.appendingPathComponent("outputs/model/input.txt"), encoding: .utf8)
                #expect(input == "/data/x y.csv\n")
                #expect(result.trial.command?.contains("--lr \(lr) ") == true)
                #expect(result.trial.command?.contains("'/data/x y.csv'") == true)
                let stdout = try String(contentsOf: folder.appendingPathComponent("stdout.log"), encoding: .utf8)
                #expect(stdout.contains("epoch 3 done"))
            }
            #expect(summary.best?.trial.id == 1)
            let bestExpected: Double = 1 - 0.01 * 10 / 3
            #expect(summary.best?.value == bestExpected)

            // The store holds the same, including the duplicates from the second channel.
            let store = try ExperimentStore.open(existing: directory)
            let experiment = try #require(try store.experiment())
            #expect(experiment.yaml == "# the yaml\n")
            #expect(experiment.status == .completed)
            #expect(experiment.configurationJSON.contains("\"maxConcurrentTrials\":"))
            let primary = try store.metrics(trial: 1, name: "accuracy")
            #expect(primary.count == 6)
            #expect(primary.filter(\.duplicate).count == 3)
            #expect(Set(primary.map(\.channel)) == [.stdout, .metricsFile])
            #expect(try store.best()?.trial.id == 1)

            // Events: every trial started and finished once, metrics in between.
            let started = events.all.compactMap { if case .trialStarted(let t) = $0 { return t.id } else { return nil } }
            let finished = events.all.compactMap { if case .trialFinished(let t, _) = $0 { return t.id } else { return nil } }
            #expect(started.sorted() == [0, 1, 2])
            #expect(finished.sorted() == [0, 1, 2])

            // best --json and export keys.
            let best = try #require(summary.best)
            let bestJSON = best.bestJSON(objective: definition.objective)
            guard case .object(let bestEntries) = bestJSON else { Issue.record("not an object"); return }
            #expect(bestEntries.map(\.key) == ["trial", "metric", "value", "goal", "parameters", "command", "folder", "status"])
            #expect(bestJSON.serialized().contains(#""parameters":{"lr":0.01,"tag":"a b;c"}"#))
            guard case .object(let exportEntries) = best.exportJSON() else { Issue.record("not an object"); return }
            #expect(exportEntries.map(\.key) == ["trial", "status", "parameters", "value", "history", "reason", "started", "ended"])
            let csv = TrialResult.csv(summary.trials).split(separator: "\n")
            #expect(csv.first == "trial,status,value,lr,tag,reports,reason,started,ended,folder,command")
            #expect(csv.count == 4)
            #expect(csv[2].hasPrefix("1,completed,\(bestExpected),0.01,a b;c,3,,"))
        }

        @Test func concurrencyLimitIsRespectedAndPendingTrialsAreShown() async throws {
            let directory = Fixtures.temporaryDirectory()
            let definition = Fixtures.definition(command: "sleep ${{search_space.d}}; echo accuracy=${{search_space.x}}",
                                                 limits: Limits(maxTotalTrials: 6, maxConcurrentTrials: 2))
            let log = HistoryLog()
            let runner = try Fixtures.runner(definition, configurations: (0..<8).map { Fixtures.configuration(["x": .int($0), "d": .double($0 % 2 == 0 ? 0.15 : 3)]) },
                                             directory: directory, log: log)
            let summary = try await runner.run()
            #expect(summary.trials.count == 6)
            #expect(summary.reason == "all 6 trials run")
            #expect(summary.best?.value == 5)
            // At each trial's start, count the trials running then (started earlier, not ended yet).
            var maximum = 0
            for trial in summary.trials.map(\.trial) {
                let start = try #require(trial.started)
                let overlapping = summary.trials.map(\.trial).filter { other in
                    guard let s = other.started, let e = other.ended else { return false }
                    return s <= start && e > start
                }
                maximum = max(maximum, overlapping.count)
            }
            #expect(maximum == 2)
            // When a slot freed, the other trial was still running and shown as pending.
            let histories = log.all
            #expect(histories.count == 6)
            #expect(histories[2].observations.count == 2)
            #expect(histories[2].observations.filter(\.isPending).count == 1)
            #expect(histories.last?.observations.filter { !$0.isPending }.allSatisfy { $0.value != nil } == true)
        }

        @Test func trialTimeoutKillsTheWholeGroupEvenWhenTermIsIgnored() async throws {
            let directory = Fixtures.temporaryDirectory()
            let pidFile = directory.appendingPathComponent("grandchild.pid")
            let definition = Fixtures.definition(command: "exec sh stubborn.sh \(pidFile.path)",
                                                 limits: Limits(maxTotalTrials: 1, trialTimeout: 0.5))
            let runner = try Fixtures.runner(definition, configurations: [Fixtures.configuration(["x": .int(1)])],
                                             directory: directory, options: SweepOptions(gracePeriod: 0.3))
            let clock = ContinuousClock()
            let start = clock.now
            let summary = try await runner.run()
            // Expected: timeout 0.5 s + grace 0.3 s. Without the SIGKILL the trial would live 60 s
            // (its grandchild's sleep), so 20 s still tells the two apart on a loaded machine
            // (6.4 s was measured at load 20 on 2 cores).
            #expect(clock.now - start < .seconds(20))
            let trial = try #require(summary.trials.first)
            #expect(trial.trial.status == .cancelled)
            #expect(trial.trial.reason == "trial_timeout of 0.5 s reached")
            #expect(trial.trial.signal == SIGKILL)
            #expect(trial.value == 0.5)  // cancelled trials keep their values and can be best
            #expect(summary.best?.trial.id == 0)
            let grandchild = try #require(Int32(try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(!Fixtures.isAlive(grandchild))
            let leader = try #require(trial.trial.pid)
            // Nothing of the group runs any more. (A zombie may remain until init reaps it: this
            // test process embeds the runner, so it is not a subreaper; the command line is.)
            #expect(!Self.groupHasLiveMember(leader))
        }

        /// Whether a process of group `group` exists that is not a zombie.
        static func groupHasLiveMember(_ group: Int32) -> Bool {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
            return names.contains { name in
                guard Int32(name) != nil, let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return false }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                return fields.count > 2 && Int32(fields[2]) == group && fields[0] != "Z"
            }
        }

        @Test func sweepTimeoutCancelsRunningTrials() async throws {
            let directory = Fixtures.temporaryDirectory()
            let definition = Fixtures.definition(command: "echo accuracy=${{search_space.x}}; sleep 30",
                                                 limits: Limits(maxTotalTrials: 10, maxConcurrentTrials: 3, timeout: 1))
            let runner = try Fixtures.runner(definition, configurations: (0..<10).map { Fixtures.configuration(["x": .int($0)]) },
                                             directory: directory)
            let clock = ContinuousClock()
            let start = clock.now
            let summary = try await runner.run()
            // Expected: timeout 0.5 s + grace 0.3 s. Without the SIGKILL the trial would live 60 s
            // (its grandchild's sleep), so 20 s still tells the two apart on a loaded machine
            // (6.4 s was measured at load 20 on 2 cores).
            #expect(clock.now - start < .seconds(20))
            #expect(summary.status == .timedOut)
            #expect(summary.trials.count == 3)
            for result in summary.trials {
                #expect(result.trial.status == .cancelled)
                #expect(result.trial.reason == "sweep timeout of 1 s reached")
                let pid = try #require(result.trial.pid)
                #expect(!Self.groupHasLiveMember(pid))
            }
            #expect(summary.best?.value == 2)
            #expect(try ExperimentStore.open(existing: directory).experiment()?.status == .timedOut)
        }

        @Test func crashingNaNAndGarbageTrialsAreDiagnosedAndKept() async throws {
            let directory = Fixtures.temporaryDirectory()
            let definition = Fixtures.definition(command: "sh -c ${{search_space.script}}", limits: Limits(maxTotalTrials: 4))
            let scripts = [
                "echo accuracy=0.7; echo 'boom: bad thing' >&2; exit 3",
                #"echo accuracy=nan; echo accuracy=garbage; echo '{"name": "accuracy", "value": "x"}' >> "$HDBENCH_METRICS_FILE"; echo accuracy=0.2"#,
                "no_such_command_hdbench",
                "echo accuracy=0.1; kill -SEGV $$",
            ]
            let runner = try Fixtures.runner(definition, configurations: scripts.map { Fixtures.configuration(["script": .string($0)]) },
                                             directory: directory)
            let summary = try await runner.run()
            let trials = summary.trials.map(\.trial)
            #expect(trials.map(\.status) == [.failed, .completed, .failed, .failed])
            #expect(trials[0].exitCode == 3)
            #expect(trials[0].reason == "exit code 3; stderr: boom: bad thing")
            #expect(trials[2].exitCode == 127)
            #expect(trials[2].reason?.hasPrefix("exit code 127 (command not found); stderr: ") == true)
            #expect(trials[3].signal == SIGSEGV || trials[3].exitCode == 128 + SIGSEGV)
            #expect(summary.trials.map(\.value) == [0.7, 0.2, nil, 0.1])
            #expect(summary.best?.trial.id == 0)  // a failed trial's values still count

            let store = try ExperimentStore.open(existing: directory)
            let diagnostics = try store.diagnostics()
            let trial1 = diagnostics.filter { $0.trial == 1 }.map(\.message)
            #expect(trial1.contains { $0.contains("non-finite") })
            #expect(trial1.contains { $0.contains("\"garbage\" is not a number") })
            #expect(trial1.contains { $0.contains("metrics file line ignored") })
            #expect(diagnostics.contains { $0.trial == 0 && $0.message.contains("exit code 3") })
            let nanReport = try store.metrics(trial: 1, name: "accuracy").first
            #expect(nanReport?.value.isNaN == true)
            #expect(nanReport?.reportIndex == 1)
        }

        @Test func missingCodeFolderFailsTrialsNotTheSweep() async throws {
            let directory = Fixtures.temporaryDirectory()
            let definition = Fixtures.definition(command: "echo accuracy=1", code: URL(fileURLWithPath: "/nonexistent/hdbench"),
                                                 limits: Limits(maxTotalTrials: 2))
            let runner = try Fixtures.runner(definition, configurations: [Fixtures.configuration(["x": .int(1)]),
                                                                          Fixtures.configuration(["x": .int(2)])],
                                             directory: directory)
            let summary = try await runner.run()
            #expect(summary.trials.map(\.trial.status) == [.failed, .failed])
            #expect(summary.trials.first?.trial.reason == "cannot start: code folder /nonexistent/hdbench does not exist")
            #expect(summary.best == nil)
            #expect(summary.status == .completed)
        }

        @Test func earlyTerminationStopsTrialAndFlagsLateReports() async throws {
            let directory = Fixtures.temporaryDirectory()
            let definition = Fixtures.definition(command: "sh -c ${{search_space.script}}",
                                                 limits: Limits(maxTotalTrials: 2, maxConcurrentTrials: 2))
            let scripts = ["sh stop_late.sh 0.3", "for i in 1 2 3; do echo accuracy=0.9; sleep 0.05; done"]
            let calls = HistoryLog()
            let hook = EarlyTerminationHook { snapshot, trial in
                calls.append(SamplerHistory(goal: snapshot.goal, observations: [
                    SamplerObservation(trial: trial, configuration: Fixtures.configuration([:]), value: nil, isPending: true)]))
                guard let curve = snapshot.curves.first(where: { $0.trial == trial }) else { return nil }
                if curve.values.count == 2 && curve.values.last! < 0.5 {
                    return TrialStopDecision(reason: "below 0.5 at n=2")
                }
                return nil
            }
            let runner = try Fixtures.runner(definition, configurations: scripts.map { Fixtures.configuration(["script": .string($0)]) },
                                             directory: directory, hook: hook)
            let summary = try await runner.run()
            let stopped = summary.trials[0]
            #expect(stopped.trial.status == .cancelled)
            #expect(stopped.trial.reason == "stopped by early termination at report 2: below 0.5 at n=2")
            #expect(stopped.stopDecision?.reportCount == 2)
            #expect(stopped.stopDecision?.reason == "below 0.5 at n=2")
            #expect(stopped.value == 0.3)
            #expect(stopped.reportCount == 2)
            let late = stopped.history.filter(\.afterStop)
            #expect(late.last?.value == 0.99)
            #expect(late.allSatisfy { $0.reportIndex ?? 0 > 2 })
            #expect(summary.trials[1].trial.status == .completed)
            #expect(summary.best?.trial.id == 1)
            // The hook saw trial 0 exactly twice (n = 1, 2), never after its stop.
            #expect(calls.all.filter { $0.observations.first?.trial == 0 }.count == 2)
            #expect(calls.all.filter { $0.observations.first?.trial == 1 }.count == 3)
        }

        @Test func mlflowChannelWithRealMLflow() async throws {
            guard Fixtures.hasMLflow else {
                print("skipping mlflowChannelWithRealMLflow: `python3 -c 'import mlflow'` failed (pip install mlflow-skinny)")
                return
            }
            let directory = Fixtures.temporaryDirectory()
            let definition = Fixtures.definition(command: "python3 -u train.py --lr ${{search_space.lr}} --epochs 3 --channel mlflow",
                                                 limits: Limits(maxTotalTrials: 1))
            let runner = try Fixtures.runner(definition, configurations: [Fixtures.configuration(["lr": .double(0.02)])],
                                             directory: directory)
            let summary = try await runner.run()
            let trial = try #require(summary.trials.first)
            #expect(trial.trial.status == .completed, "\(trial.trial.reason ?? "")")
            let expected: [Double] = (1...3).map { (epoch: Int) -> Double in 1 - 0.02 * 10 / Double(epoch) }
            #expect(trial.history.map(\.value) == expected)
            #expect(trial.history.map(\.step) == [1, 2, 3])
            #expect(trial.history.allSatisfy { $0.channel == .mlflow })
        }
    }
}
