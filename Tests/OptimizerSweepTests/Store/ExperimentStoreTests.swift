import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

extension ExperimentTests {
    @Suite struct ExperimentStoreTests {
        @Test func roundTrip() throws {
            let directory = Fixtures.temporaryDirectory()
            let objective = Objective(goal: .minimize, primaryMetric: "loss")
            do {
                let store = try ExperimentStore(directory: directory)
                try store.initialize(ExperimentRecord(yaml: "type: sweep\n", configurationJSON: "{}", objective: objective,
                                                      created: Date(timeIntervalSince1970: 1000), updated: Date(timeIntervalSince1970: 1000)))
                let configuration = Configuration(names: ["lr", "layers", "opt"], values: [
                    .double(1e-3), .int(3),
                    .mapping([.init(name: "name", value: .string("adam")), .init(name: "beta", value: .double(0.9))]),
                ])
                try store.save(TrialRecord(id: 0, proposal: 0, configuration: configuration, status: .cancelled, reason: "why",
                                           exitCode: nil, signal: 9, pid: 42, created: Date(timeIntervalSince1970: 1001),
                                           started: Date(timeIntervalSince1970: 1002), ended: Date(timeIntervalSince1970: 1003.5),
                                           command: "python t.py --lr 0.001", folder: "/x/trials/0"))
                try store.save(TrialRecord(id: 1, proposal: 0, rerunOf: 0, configuration: configuration, status: .running,
                                           created: Date(timeIntervalSince1970: 1004), folder: "/x/trials/1"))
                try store.append(
                    metrics: [
                        MetricRecord(trial: 0, name: "loss", value: 2.5, step: nil, channel: .stdout, time: Date(timeIntervalSince1970: 1002.25), reportIndex: 1),
                        MetricRecord(trial: 0, name: "loss", value: .nan, step: 2, channel: .metricsFile, time: Date(timeIntervalSince1970: 1002.5), reportIndex: 2),
                        MetricRecord(trial: 0, name: "loss", value: -.infinity, step: 3, channel: .mlflow, time: Date(timeIntervalSince1970: 1002.75), reportIndex: 3),
                        MetricRecord(trial: 0, name: "loss", value: 1.5, step: 4, channel: .mlflow, time: Date(timeIntervalSince1970: 1003), reportIndex: 4),
                        MetricRecord(trial: 0, name: "loss", value: 1.5, step: nil, channel: .stdout, time: Date(timeIntervalSince1970: 1003), reportIndex: nil, duplicate: true),
                        MetricRecord(trial: 0, name: "loss", value: 0.1, step: 5, channel: .mlflow, time: Date(timeIntervalSince1970: 1003.25), reportIndex: 5, afterStop: true),
                        MetricRecord(trial: 0, name: "acc", value: 0.5, step: 1, channel: .mlflow, time: Date(timeIntervalSince1970: 1003), reportIndex: 1),
                    ],
                    diagnostics: [DiagnosticRecord(trial: 0, time: Date(timeIntervalSince1970: 1002.5), channel: .metricsFile, message: "m", line: "l"),
                                  DiagnosticRecord(trial: nil, time: Date(timeIntervalSince1970: 1000), message: "sweep-level")],
                    stopDecisions: [StopDecisionRecord(trial: 0, time: Date(timeIntervalSince1970: 1003.1), reportCount: 4, reason: "bandit")])
            }
            let store = try ExperimentStore.open(existing: directory)
            let experiment = try #require(try store.experiment())
            #expect(experiment.yaml == "type: sweep\n")
            #expect(experiment.objective == objective)
            #expect(experiment.created == Date(timeIntervalSince1970: 1000))
            let trials = try store.trials()
            #expect(trials.count == 2)
            #expect(trials[0].configuration[ "opt"] == .mapping([.init(name: "name", value: .string("adam")), .init(name: "beta", value: .double(0.9))]))
            #expect(trials[0].configuration["layers"] == .int(3))
            #expect(trials[0].status == .cancelled && trials[0].signal == 9 && trials[0].pid == 42 && trials[0].reason == "why")
            #expect(trials[0].ended == Date(timeIntervalSince1970: 1003.5))
            #expect(trials[1].rerunOf == 0 && trials[1].started == nil && trials[1].command == nil)
            let metrics = try store.metrics(trial: 0, name: "loss")
            #expect(metrics.count == 6)
            #expect(metrics[1].value.isNaN && metrics[2].value == -.infinity)
            #expect(metrics.map(\.channel) == [.stdout, .metricsFile, .mlflow, .mlflow, .stdout, .mlflow])
            #expect(metrics[4].duplicate && metrics[4].reportIndex == nil)
            #expect(metrics[5].afterStop)
            #expect(try store.diagnostics().map(\.description) == ["trial 0 [metrics_file]: m: l", "sweep: sweep-level"])
            #expect(try store.stopDecisions() == [StopDecisionRecord(trial: 0, time: Date(timeIntervalSince1970: 1003.1), reportCount: 4, reason: "bandit")])

            // Ranking: minimise, finite, not after the stop, duplicates not counted.
            let results = try store.results()
            #expect(results[0].value == 1.5)
            #expect(results[0].reportCount == 4)
            #expect(results[0].stopDecision?.reason == "bandit")
            #expect(results[1].value == nil)
            #expect(try store.best()?.trial.id == 0)
            let parameters = ParameterJSON.object(trials[0].configuration).serialized()
            #expect(parameters == #"{"lr":0.001,"layers":3,"opt":{"name":"adam","beta":0.9}}"#)
        }

        @Test func openRefusesFoldersWithoutExperiment() {
            let directory = Fixtures.temporaryDirectory()
            #expect(throws: ExperimentStoreError.self) { try ExperimentStore.open(existing: directory) }
        }

        @Test func resumingWithAnotherYAMLIsRefused() throws {
            let directory = Fixtures.temporaryDirectory()
            let objective = Objective(goal: .maximize, primaryMetric: "a")
            let store = try ExperimentStore(directory: directory)
            try store.initialize(ExperimentRecord(yaml: "one", configurationJSON: "{}", objective: objective))
            #expect(throws: ExperimentStoreError.self) {
                try store.initialize(ExperimentRecord(yaml: "two", configurationJSON: "{}", objective: objective))
            }
            #expect(try store.initialize(ExperimentRecord(yaml: "one", configurationJSON: "{}", objective: objective)).yaml == "one")
        }

        @Test func bestPrefersEarliestTrialOnTies() {
            func result(_ id: Int, _ value: Double?) -> TrialResult {
                TrialResult(trial: TrialRecord(id: id, proposal: id, configuration: Configuration(names: [], values: []), folder: ""),
                            value: value, history: [], stopDecision: nil)
            }
            #expect(TrialResult.best(of: [result(0, 1), result(1, 3), result(2, 3), result(3, nil)], goal: .maximize)?.trial.id == 1)
            #expect(TrialResult.best(of: [result(0, 1), result(1, 3), result(2, 1)], goal: .minimize)?.trial.id == 0)
            #expect(TrialResult.best(of: [result(0, nil)], goal: .minimize) == nil)
        }
    }
}
