import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Groups the replay-from-the-store suites, so `swift test --filter StoreReplay` selects them
/// (`--filter Replay` also selects the policies' own replay tests and `hdbench replay`'s,
/// which sit with the other command-line tests).
@Suite("Replay from the store")
enum StoreReplayTests {
}

extension StoreReplayTests {
    @Suite("StoredReplay from a hand-written store")
    struct StoredReplayTests {
        static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

        /// Trials (times are Unix seconds):
        /// - 0 completed 1010–1020: acc 0.5, 0.7 (plus a cross-channel duplicate), 0.8;
        /// - 1 cancelled by a policy at n = 2, 1005–1011 (the first to start): acc 0.1, NaN, then
        ///   0.9 after the stop;
        /// - 2 interrupted 1012–1015: acc 0.6; 3 its re-run 1016–1019: acc 0.65;
        /// - 4 failed without starting; 5 still running since 1018: acc 0.3 at 1019.
        static func makeStore() throws -> ExperimentStore {
            let directory = Fixtures.temporaryDirectory()
            let store = try ExperimentStore(directory: directory)
            let definition = Fixtures.definition(command: "true", metric: "acc", limits: Limits(maxTotalTrials: 6, maxConcurrentTrials: 2))
            let configurationJSON = ResolvedSweepConfiguration(definition: definition, options: SweepOptions()).jsonString()
            try store.initialize(ExperimentRecord(yaml: "", configurationJSON: configurationJSON, objective: definition.objective,
                                                  created: date(1000), updated: date(1000)))
            func configuration(_ x: Int) -> Configuration { Fixtures.configuration(["x": .int(x)]) }
            let trials = [
                TrialRecord(id: 0, proposal: 0, configuration: configuration(0), status: .completed, started: date(1010), ended: date(1020), folder: "/t/0"),
                TrialRecord(id: 1, proposal: 1, configuration: configuration(1), status: .cancelled, started: date(1005), ended: date(1011), folder: "/t/1"),
                TrialRecord(id: 2, proposal: 2, configuration: configuration(2), status: .interrupted, started: date(1012), ended: date(1015), folder: "/t/2"),
                TrialRecord(id: 3, proposal: 2, rerunOf: 2, configuration: configuration(2), status: .completed, started: date(1016), ended: date(1019), folder: "/t/3"),
                TrialRecord(id: 4, proposal: 3, configuration: configuration(3), status: .failed, ended: date(1016), folder: "/t/4"),
                TrialRecord(id: 5, proposal: 4, configuration: configuration(4), status: .running, started: date(1018), folder: "/t/5"),
            ]
            for trial in trials { try store.save(trial) }
            func acc(_ trial: Int, _ value: Double, _ time: Double, _ index: Int?, afterStop: Bool = false, duplicate: Bool = false) -> MetricRecord {
                MetricRecord(trial: trial, name: "acc", value: value, step: nil, channel: duplicate ? .metricsFile : .stdout,
                             time: date(time), reportIndex: index, afterStop: afterStop, duplicate: duplicate)
            }
            try store.append(metrics: [
                acc(1, 0.1, 1007, 1), acc(1, .nan, 1008, 2), acc(1, 0.9, 1010, 3, afterStop: true),
                acc(0, 0.5, 1012, 1), acc(0, 0.7, 1014, 2), acc(0, 0.7, 1014.1, nil, duplicate: true), acc(0, 0.8, 1016, 3),
                MetricRecord(trial: 0, name: "loss", value: 3, step: nil, channel: .stdout, time: date(1013), reportIndex: 1),
                acc(2, 0.6, 1013, 1), acc(3, 0.65, 1017, 1), acc(5, 0.3, 1019, 1),
            ], stopDecisions: [StopDecisionRecord(trial: 1, time: date(1008.5), reportCount: 2, reason: "policy")])
            return store
        }

        @Test("trials in start order, times since the first start, duplicates and after-stop reports left out")
        func input() throws {
            let stored = try Self.makeStore().storedReplay()
            let input = stored.input
            #expect(stored.objective == Objective(goal: .maximize, primaryMetric: "acc"))
            #expect(stored.sweepStart == Self.date(1005))
            #expect(!stored.sweepWasRunning)
            #expect(input.goal == .maximize && input.maxConcurrentTrials == 2)
            #expect(input.trials.map(\.trial) == [1, 0, 2, 3, 5])
            #expect(input.trials.map(\.startTime) == [0, 5, 7, 11, 13])
            #expect(input.trials.map(\.endTime) == [6, 15, 10, 14, 14])  // trial 5 is running: its last report
            #expect(input.trials.map(\.stoppedByPolicy) == [true, false, false, false, false])
            // Values compared as text so the NaN report is checked too.
            #expect(input.trials.map { $0.reports.map { "\($0.value)@\($0.time)" } } == [
                ["0.1@2.0", "nan@3.0"], ["0.5@7.0", "0.7@9.0", "0.8@11.0"], ["0.6@8.0"], ["0.65@12.0"], ["0.3@14.0"],
            ])
            #expect(stored.notes.contains("trials [5] had not finished (running, or hdbench stopped before marking them); each is taken to end at its last report"))
            #expect(stored.notes.contains("trials [2] were interrupted (hdbench stopped) and their parameters run again as trials [3]; their curves end early and are replayed as recorded"))
            #expect(stored.notes.contains("trials [4] never started and are left out"))
            #expect(stored.notes.count == 3)
        }

        @Test("a replay carries the store's notes and lists the recorded run's stopped trials as incomplete")
        func result() throws {
            let stored = try Self.makeStore().storedReplay()
            let result = stored.result(for: NoTerminationPolicy())
            #expect(result.incompleteTrials == [1])
            #expect(result.reportsTotal == 8)
            #expect(result.bestWithout == 0.8 && result.bestTrialWithout == 0)
            #expect(Array(result.notes.suffix(3)) == stored.notes)
            #expect(result.notes.contains { $0.contains("trials [1] were stopped by a policy in the recorded run") })
            // Same as replaying the input directly, apart from the notes.
            var direct = replay(experiment: stored.input, policy: NoTerminationPolicy())
            direct.notes += stored.notes
            #expect(direct == result)
        }

        @Test("JSON: the seven required keys first, decodable as a ReplayResult")
        func json() throws {
            let stored = try Self.makeStore().storedReplay()
            let result = stored.result(for: BanditPolicy(slackAmount: 0.1))
            let json = stored.json(result, experiment: URL(fileURLWithPath: "/x"))
            guard case .object(let entries) = json else { Issue.record("not an object: \(json)"); return }
            #expect(entries.prefix(7).map(\.key) == ["policy", "stopped", "reports_saved_percent", "seconds_saved_percent", "best_without", "best_with", "loss"])
            #expect(entries.suffix(5).map(\.key) == ["experiment", "primary_metric", "goal", "trials", "max_concurrent_trials"])
            let decoded = try JSONDecoder().decode(ReplayResult.self, from: Data(json.serialized().utf8))
            #expect(decoded.stopped == result.stopped && decoded.stops.map(\.trial) == result.stops.map(\.trial))
            #expect(decoded.notes == result.notes && decoded.incompleteTrials == result.incompleteTrials)
            #expect(decoded.reportsSaved == result.reportsSaved && decoded.bestTrialWith == result.bestTrialWith)
        }
    }
}
