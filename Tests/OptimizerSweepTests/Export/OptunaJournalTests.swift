import Foundation
import Testing
import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Trials in every hdbench status, written straight into a store (a sweep rarely leaves some of
/// them: queued, running, completed without a value, cancelled by a timeout), exported and
/// loaded by real Optuna. The store has no YAML (a sweep defined in Swift), so the
/// distributions are the inferred ones.
@Suite("Optuna journal: every status, inferred distributions, steps (real Optuna)")
struct OptunaJournalTests {
    @Test func everyStatusLoadsAsTheMappedState() throws {
        guard OptunaSupport.hasOptuna else {
            print("skipping everyStatusLoadsAsTheMappedState: `python3 -c 'import optuna'` failed (.ci/setup --test installs optuna)")
            return
        }
        let directory = Fixtures.temporaryDirectory()
        let store = try ExperimentStore(directory: directory)
        try store.initialize(ExperimentRecord(yaml: "", configurationJSON: "{}", objective: Objective(goal: .maximize, primaryMetric: "acc")))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000.25)
        let cases: [(TrialStatus, [Double], String)] = [
            (.completed, [0.5, 0.7, 0.6], "COMPLETE"),    // value 0.7: the best report, as hdbench ranks
            (.completed, [], "FAIL"),                    // exited 0 without logging the metric
            (.cancelled, [0.2, 0.3], "PRUNED"),          // stopped by the policy (decision below)
            (.cancelled, [0.4], "FAIL"),                 // trial_timeout
            (.failed, [0.9], "FAIL"),
            (.interrupted, [], "FAIL"),
            (.running, [0.1], "RUNNING"),
            (.queued, [], "WAITING"),
        ]
        var metrics: [MetricRecord] = []
        for (id, (status, values, _)) in cases.enumerated() {
            let configuration = Configuration(names: ["lr", "opt", "n"],
                                              values: [.double(0.01 * Double(id + 1)), .string(id % 2 == 0 ? "adam" : "sgd"), .int(id)])
            try store.save(TrialRecord(id: id, proposal: id, configuration: configuration, status: status, created: t0,
                                       started: status == .queued ? nil : t0.addingTimeInterval(1),
                                       ended: status.isFinished ? t0.addingTimeInterval(2) : nil, folder: "/t/\(id)"))
            for (k, value) in values.enumerated() {
                // No step from the script: Optuna's step is the report number.
                metrics.append(MetricRecord(trial: id, name: "acc", value: value, step: nil, channel: .stdout,
                                            time: t0.addingTimeInterval(1.5), reportIndex: k + 1))
            }
        }
        // Trial 2: stopped at report 2; a later report (after the stop) is not an intermediate value.
        metrics.append(MetricRecord(trial: 2, name: "acc", value: 0.95, step: nil, channel: .stdout, time: t0.addingTimeInterval(1.8),
                                    reportIndex: 3, afterStop: true))
        try store.append(metrics: metrics, stopDecisions: [StopDecisionRecord(trial: 2, reportCount: 2, reason: "bandit")])

        let journal = directory.appendingPathComponent("study.log")
        try OptunaJournal(store: try ExperimentStore.open(existing: directory)).text.write(to: journal, atomically: true, encoding: .utf8)
        let loaded = try #require(OptunaSupport.python([OptunaSupport.summarizer.path, journal.path]))
        try #require(loaded.status == 0, "\(loaded.output)")
        let summary = try JSONDecoder().decode(LoadedJSON.self, from: Data(loaded.output.utf8))
        #expect(summary["study_name"] == .string(directory.lastPathComponent))
        #expect(summary["directions"] == .array([.string("MAXIMIZE")]))
        let trials = summary["trials"]?.array ?? []
        try #require(trials.count == cases.count)
        for (id, ((_, values, state), trial)) in zip(cases, trials).enumerated() {
            #expect(trial["state"] == .string(state), "trial \(id)")
            #expect(trial["valid"] == .bool(true), "trial \(id): \(trial["valid"] ?? .null)")
            let expected = Dictionary(uniqueKeysWithValues: values.enumerated().map { (String($0.offset + 1), LoadedJSON.double($0.element)) })
            #expect(trial["intermediate_values"] == .object(expected), "trial \(id)")
            #expect(trial["params"]?["n"] == .int(id) && trial["param_types"]?["n"] == .string("int"), "trial \(id)")
        }
        #expect(trials[0]["value"] == .double(0.7))
        #expect(trials[2]["value"] == .double(0.3))
        #expect(summary["best"]?["number"] == .int(0))
        // Inferred from the values: integers, reals, strings in order of appearance.
        let distributions = trials[0]["distributions"]
        #expect(distributions?["n"] == .object(["name": .string("IntDistribution"), "attributes": .object(
            ["low": .int(0), "high": .int(7), "log": .bool(false), "step": .int(1)])]))
        #expect(distributions?["lr"]?["attributes"]?["low"] == .double(0.01))
        #expect(distributions?["opt"]?["attributes"]?["choices"] == .array([.string("adam"), .string("sgd")]))
    }
}
