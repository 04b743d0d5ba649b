import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// `hdbench replay` through the real binary, on experiments recorded by real sweeps of
/// `Fixtures/trials/train.py` (accuracy at epoch e = 1 − lr·10/e, exactly).
///
/// Nested in the serialized ``ExperimentTests/CommandLineTests`` so that no two tests spawn
/// `hdbench` processes at once: run alongside the kill-and-resume test, they starved its
/// polling and once left the test process waiting on a child forever.
extension ExperimentTests.CommandLineTests {
    @Suite("hdbench replay", .serialized)
    struct ReplayCommandTests {
        typealias CLI = ExperimentTests.CommandLineTests

        static let rates = [0.01, 0.02, 0.04, 0.08, 0.16]

        /// ``ExperimentTests/CommandLineTests/run(_:in:)``.
        static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
            try CLI.run(arguments, in: directory)
        }

        static func yaml(epochs: Int, sleep: Double, trials: Int = 5, concurrency: Int = 2, earlyTermination: String = "") -> String {
            """
            type: sweep
            trial:
              command: python3 -u train.py --lr ${{search_space.lr}} --epochs \(epochs) --sleep \(sleep)
              code: \(Fixtures.trials.path)
            search_space:
              lr: {type: choice, values: [\(rates.prefix(trials).map { "\($0)" }.joined(separator: ", "))]}
            sampling_algorithm: grid
            objective: {goal: maximize, primary_metric: accuracy}
            limits: {max_total_trials: \(trials), max_concurrent_trials: \(concurrency)}
            \(earlyTermination)
            """
        }

        /// Runs a sweep to completion through the binary; returns the work and experiment folders.
        static func recordedSweep(_ yaml: String, label: String = #function) throws -> (work: URL, experiment: URL) {
            let work = Fixtures.temporaryDirectory(label)
            try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
            let experiment = work.appendingPathComponent("exp")
            let sweep = try Self.run(["sweep", "job.yml", "--experiment-dir", experiment.path, "--quiet", "--grace-period", "0.5"], in: work)
            try #require(sweep.status == 0, "\(sweep.output)")
            return (work, experiment)
        }

        static func object(_ output: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "not one JSON object: \(output)")
        }

        static let requiredKeys: Set = ["policy", "stopped", "reports_saved_percent", "seconds_saved_percent", "best_without", "best_with", "loss"]

        /// Numbers printed by hdbench and read back: 1e-12 relative covers a reader that does not
        /// round decimal text to the nearest double (the values are shortest round-trip text).
        static func close(_ a: Double?, _ b: Double?) -> Bool {
            guard let a, let b else { return a == nil && b == nil }
            return abs(a - b) <= 1e-12 * max(1, abs(a), abs(b))
        }

        @Test("a sweep without a policy, replayed under every policy: JSON matches the same policy run in process")
        func replayEveryPolicy() throws {
            let (work, experiment) = try Self.recordedSweep(Self.yaml(epochs: 12, sleep: 0.02))
            let stored = try ExperimentStore.open(existing: experiment).storedReplay()

            // The input holds exactly the curves train.py logged, in start order.
            let trials = try ExperimentStore.open(existing: experiment).trials()
            #expect(stored.input.trials.count == 5 && stored.input.maxConcurrentTrials == 2 && stored.input.goal == .maximize)
            #expect(stored.input.trials.map(\.startTime) == stored.input.trials.map(\.startTime).sorted())
            for replayTrial in stored.input.trials {
                let lr = try #require(trials.first { $0.id == replayTrial.trial }?.configuration["lr"]?.numericValue)
                #expect(replayTrial.reports.map(\.value) == (1...12).map { 1 - lr * 10 / Double($0) })
                #expect(replayTrial.reports.map(\.time) == replayTrial.reports.map(\.time).sorted())
                #expect(replayTrial.startTime <= replayTrial.reports[0].time && replayTrial.reports[11].time <= replayTrial.endTime)
                #expect(!replayTrial.stoppedByPolicy)
            }

            let cases: [(arguments: [String], policy: any EarlyTerminationPolicy)] = [
                (["--policy", "bandit", "--slack-factor", "0.1"], BanditPolicy(slackFactor: 0.1)),
                (["--policy", "bandit", "--slack-amount", "0.05", "--evaluation-interval", "0"], BanditPolicy(slackAmount: 0.05, evaluationInterval: 1)),
                (["--policy", "median", "--delay-evaluation", "3"], MedianStoppingPolicy(evaluationInterval: 1, delayEvaluation: 3)),
                (["--policy", "median_stopping", "--evaluation-interval", "2", "--delay-evaluation", "4"], MedianStoppingPolicy(evaluationInterval: 2, delayEvaluation: 4)),
                (["--policy", "truncation", "--truncation-percentage", "40", "--delay-evaluation", "2"], TruncationSelectionPolicy(truncationPercentage: 40, delayEvaluation: 2)),
                (["--policy", "none"], NoTerminationPolicy()),
            ]
            for (arguments, policy) in cases {
                let run = try Self.run(["replay", experiment.path, "--json"] + arguments, in: work)
                #expect(run.status == 0, "\(arguments): \(run.output)")
                let object = try Self.object(run.output)
                #expect(Self.requiredKeys.isSubset(of: Set(object.keys)), "\(arguments): keys \(object.keys.sorted())")
                let printed = try JSONDecoder().decode(ReplayResult.self, from: Data(run.output.utf8))
                let expected = stored.result(for: policy)
                #expect(printed.policy == expected.policy, "\(arguments)")
                #expect(printed.stopped == expected.stopped, "\(arguments)")
                #expect(printed.stops.map { [$0.trial, $0.report, $0.reportsSaved] } == expected.stops.map { [$0.trial, $0.report, $0.reportsSaved] }, "\(arguments)")
                #expect(printed.stops.map(\.reason) == expected.stops.map(\.reason), "\(arguments)")
                #expect(Self.close(printed.reportsSavedPercent, expected.reportsSavedPercent), "\(arguments)")
                #expect(Self.close(printed.secondsSavedPercent, expected.secondsSavedPercent), "\(arguments)")
                #expect(Self.close(printed.bestWithout, expected.bestWithout) && Self.close(printed.bestWith, expected.bestWith), "\(arguments)")
                #expect(Self.close(printed.loss, expected.loss), "\(arguments)")
                #expect(printed.incompleteTrials.isEmpty && printed.notes == expected.notes, "\(arguments)")
                #expect(object["primary_metric"] as? String == "accuracy" && object["trials"] as? Int == 5)
            }

            // Independent expectations from the curves themselves. Trial 0 (lr 0.01) is best at
            // every report count, so no policy stops it and nothing is lost.
            let bestOfAll = 1 - 0.01 * 10 / 12
            for (arguments, _) in cases {
                let output = try Self.run(["replay", experiment.path, "--json"] + arguments, in: work).output
                let printed = try JSONDecoder().decode(ReplayResult.self, from: Data(output.utf8))
                #expect(!printed.stopped.contains(0) && printed.loss == 0 && Self.close(printed.bestWithout, bestOfAll), "\(arguments)")
            }
            // Bandit, slack 0.05: trials 2–4 are ≥ 0.3 behind trial 0 at n = 1 (trial 0 has always
            // reported by the time they start), so each is stopped at its first report; trial 1
            // (0.1/n behind) only if trial 0 had reported before its first report.
            let banditOutput = try Self.run(["replay", experiment.path, "--json", "--policy", "bandit", "--slack-amount", "0.05"], in: work).output
            let bandit = try JSONDecoder().decode(ReplayResult.self, from: Data(banditOutput.utf8))
            let lrOf = Dictionary(uniqueKeysWithValues: trials.map { ($0.id, $0.configuration["lr"]?.numericValue ?? 0) })
            let farBehind = Set(trials.filter { lrOf[$0.id]! >= 0.04 }.map(\.id))
            #expect(farBehind.isSubset(of: Set(bandit.stopped)))
            #expect(bandit.stops.filter { farBehind.contains($0.trial) }.allSatisfy { $0.report == 1 && $0.reportsSaved == 11 })
            // No policy: nothing saved, nothing lost.
            let noneOutput = try Self.run(["replay", experiment.path, "--json", "--policy", "none"], in: work).output
            let none = try Self.object(noneOutput)
            #expect(none["reports_saved_percent"] as? Double == 0 && none["seconds_saved_percent"] as? Double == 0)
            #expect((none["stopped"] as? [Int]) == [])
            #expect(none["loss"] as? Double == 0)

            // The human table.
            let table = try Self.run(["replay", experiment.path, "--policy", "bandit", "--slack-amount", "0.05"], in: work)
            #expect(table.status == 0)
            #expect(table.output.contains("policy: bandit(slack_amount: 0.05, evaluation_interval: 1, delay_evaluation: 0)"))
            #expect(table.output.contains("would stop \(bandit.stopped.count) of 5 trials:"))
            #expect(table.output.contains("reports saved: \(bandit.reportsSaved) of 60 ("))
            #expect(table.output.contains("best without the policy: \(bestOfAll) (trial 0)"))
            #expect(table.output.contains("loss: 0.0"))
            #expect(!table.output.contains("incomplete curves"))
        }

        @Test("a sweep run with a policy: the stopped trials' curves are flagged incomplete")
        func incompleteCurves() throws {
            let (work, experiment) = try Self.recordedSweep(Self.yaml(
                epochs: 10, sleep: 0.1, trials: 4, concurrency: 2,
                earlyTermination: "early_termination: {type: bandit, slack_amount: 0.05}"))
            let store = try ExperimentStore.open(existing: experiment)
            let stoppedInRun = try store.stopDecisions().map(\.trial)
            try #require(!stoppedInRun.isEmpty, "the recorded run stopped nothing")
            let stored = try store.storedReplay()
            #expect(stored.input.trials.filter(\.stoppedByPolicy).map(\.trial).sorted() == stoppedInRun.sorted())
            // Reports after the stop are stored but not replayed.
            for trial in stored.input.trials where trial.stoppedByPolicy {
                let decision = try #require(try store.stopDecisions().first { $0.trial == trial.trial })
                #expect(trial.reports.count == decision.reportCount)
            }

            let json = try Self.run(["replay", experiment.path, "--json", "--policy", "none"], in: work)
            #expect(json.status == 0, "\(json.output)")
            let object = try Self.object(json.output)
            #expect((object["incomplete_trials"] as? [Int])?.sorted() == stoppedInRun.sorted())
            let notes = try #require(object["notes"] as? [String])
            #expect(notes.contains { $0.contains("were stopped by a policy in the recorded run") })
            #expect(notes.contains { $0.contains("this policy did not stop trials") })

            let table = try Self.run(["replay", experiment.path, "--policy", "median"], in: work)
            #expect(table.status == 0)
            #expect(table.output.contains("incomplete curves: trials \(stoppedInRun.sorted())"))
        }

        @Test("a running sweep is refused unless --allow-running")
        func runningSweep() async throws {
            let work = Fixtures.temporaryDirectory()
            try Self.yaml(epochs: 8, sleep: 0.3, trials: 2).write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
            let experiment = work.appendingPathComponent("exp")
            let output = work.appendingPathComponent("sweep.txt")
            let sweep = try CLI.launch(["sweep", "job.yml", "--experiment-dir", experiment.path], in: work, output: output)
            defer { if sweep.isRunning { kill(sweep.processIdentifier, SIGINT) }; sweep.waitUntilExit() }
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(20)
            while clock.now < deadline, !((try? String(contentsOf: output, encoding: .utf8)) ?? "").contains(" report 2") {
                try await Task.sleep(for: .milliseconds(50))
            }
            try #require(sweep.isRunning, "the sweep ended before the test could replay it")

            let refused = try Self.run(["replay", experiment.path, "--policy", "median"], in: work)
            #expect(refused.status != 0)
            #expect(refused.output.contains("is still running; wait for it to finish, or pass --allow-running"))
            let allowed = try Self.run(["replay", experiment.path, "--policy", "median", "--json", "--allow-running"], in: work)
            #expect(allowed.status == 0, "\(allowed.output)")
            let allowedObject = try Self.object(allowed.output)
            let notes = try #require(allowedObject["notes"] as? [String])
            #expect(notes.contains("the sweep was still running when the store was read: its curves are those logged so far"))
            sweep.waitUntilExit()
            #expect(sweep.terminationStatus == 0)
        }

        @Test("bad flags: one readable line naming the flag, non-zero exit", arguments: [
            (["--policy", "bandit"], "--policy bandit needs exactly one of --slack-factor and --slack-amount"),
            (["--policy", "bandit", "--slack-factor", "0.1", "--slack-amount", "0.1"], "not both"),
            (["--policy", "bandit", "--slack-factor", "-0.2"], "--slack-factor: -0.2 must be ≥ 0"),
            (["--policy", "bandit", "--slack-amount", "much"], "--slack-amount: 'much' must be a finite number ≥ 0"),
            (["--policy", "truncation"], "--policy truncation needs --truncation-percentage"),
            (["--policy", "truncation", "--truncation-percentage", "0"], "--truncation-percentage: '0' must be an integer from 1 to 99"),
            (["--policy", "truncation", "--truncation-percentage", "100"], "'100' must be an integer from 1 to 99"),
            (["--policy", "truncation", "--truncation-percentage", "12.5"], "'12.5' must be an integer from 1 to 99"),
            (["--policy", "median", "--slack-factor", "0.1"], "--slack-factor does not apply to --policy median"),
            (["--policy", "none", "--delay-evaluation", "5"], "--delay-evaluation does not apply to --policy none"),
            (["--policy", "median", "--evaluation-interval", "-1"], "--evaluation-interval: -1 must be ≥ 0 (0 means 1)"),
            (["--policy", "median", "--delay-evaluation", "-2"], "--delay-evaluation: -2 must be ≥ 0"),
            (["--policy", "hyperband"], "--policy: 'hyperband' is not a policy; use bandit, median, truncation or none"),
            ([], "--policy is missing"),
            (["--policy", "median"], "holds no hdbench experiment"),
        ] as [([String], String)])
        func badFlags(arguments: [String], message: String) throws {
            let work = Fixtures.temporaryDirectory()
            let run = try Self.run(["replay", work.appendingPathComponent("missing").path] + arguments, in: work)
            #expect(run.status != 0)
            let lines = run.output.split(separator: "\n", omittingEmptySubsequences: true)
            #expect(lines.count == 1, "\(run.output)")
            #expect(run.output.contains(message), "\(run.output)")
        }
    }
}
