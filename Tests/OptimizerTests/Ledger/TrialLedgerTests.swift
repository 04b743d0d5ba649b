import Foundation
import Testing
@testable import Optimizer
import TestSupport

/// The one place the rules "what the sampler and the policies are told about running,
/// finished and stopped trials" are tested (the sweep runner, `Study` and both benchmarks read
/// their histories from a ``TrialLedger``).
@Suite struct TrialLedgerTests {
    static func configuration(_ x: Int) -> Configuration {
        Configuration(names: ["x"], values: [.int(x)])
    }

    @Test("a warm start comes first in the history, also when it arrives after trials; later updates land on their own proposal")
    func warmStartPrefix() {
        var ledger = TrialLedger(goal: .maximize)
        let first = ledger.add(Self.configuration(0), state: .running)
        ledger.addWarmStart([WarmStartTrial(configuration: Self.configuration(10), value: 0.1)])
        ledger.addWarmStart([WarmStartTrial(configuration: Self.configuration(11), value: 0.2),
                             WarmStartTrial(configuration: Self.configuration(12), value: 0.3)])
        let second = ledger.add(Self.configuration(1), state: .running)
        ledger.report(first, value: 0.5)
        ledger.finish(first, state: .completed)
        let history = ledger.history
        #expect(history.warmStartCount == 3)
        #expect(history.observations.map(\.trial) == [-1, -2, -3, 0, 1])
        #expect(history.warmStart.map(\.value) == [0.1, 0.2, 0.3])
        #expect(history.observations[3].value == 0.5 && !history.observations[3].isPending)
        #expect(history.observations[4].configuration == Self.configuration(1) && history.observations[4].isPending)
        #expect(ledger.nextProposal == 2 && ledger.entries.count == 2 && second == 1)
        #expect(ledger.snapshot.curves.map(\.trial) == [0, 1])
    }

    @Test("pending, running, finished, stopped: the sampler's observation of each")
    func historyRules() {
        var ledger = TrialLedger(goal: .maximize)
        let queued = ledger.add(Self.configuration(0))
        let running = ledger.add(Self.configuration(1), state: .running)
        let done = ledger.add(Self.configuration(2), state: .running)
        let stopped = ledger.add(Self.configuration(3), state: .running)
        let failed = ledger.add(Self.configuration(4), state: .running)

        ledger.report(running, value: 0.4)
        ledger.report(done, value: 0.5)
        ledger.report(done, value: .nan)
        ledger.report(done, value: 0.7)
        ledger.finish(done, state: .completed)
        ledger.report(stopped, value: 0.2)
        ledger.stop(stopped, decision: TerminationDecision(trial: stopped, action: .stop, reportCount: 1, reason: "test"))
        ledger.report(stopped, value: 0.9)  // after the stop: not recorded
        ledger.finish(stopped, state: .cancelled)
        ledger.report(failed, value: 0.3)
        ledger.finish(failed, state: .failed)

        let observations = ledger.history.observations
        #expect(observations.map(\.trial) == [0, 1, 2, 3, 4])
        #expect(observations.map(\.isPending) == [true, true, false, false, false])
        #expect(observations.map(\.isPartial) == [false, false, false, true, false])
        #expect(observations[queued].value == nil)
        #expect(observations[running].value == 0.4)
        #expect(observations[done].value == 0.7)  // best finite report
        #expect(observations[stopped].value == 0.2)  // reports after the stop do not count
        #expect(observations[failed].value == 0.3)  // failed trials' reports still count
        #expect(ledger.entries[stopped].state == .stopped)  // finish keeps a stop
        #expect(ledger.best?.id == done)
    }

    @Test("a final value outranks the reports; a non-finite one falls back to them")
    func finalValue() {
        var ledger = TrialLedger(goal: .minimize)
        let a = ledger.add(Self.configuration(0), state: .running)
        ledger.report(a, value: 3)
        ledger.finish(a, state: .completed, finalValue: 5)
        let b = ledger.add(Self.configuration(1), state: .running)
        ledger.report(b, value: 4)
        ledger.finish(b, state: .completed, finalValue: .infinity)
        #expect(ledger.rankingValue(of: a) == 5)
        #expect(ledger.rankingValue(of: b) == 4)
        #expect(ledger.best?.id == b)
        // Ties go to the earlier trial.
        let c = ledger.add(Self.configuration(2), state: .running)
        ledger.finish(c, state: .completed, finalValue: 4)
        #expect(ledger.best?.id == b)
    }

    @Test("a re-run replaces its proposal's observation; the original stays in the snapshot")
    func reruns() {
        var ledger = TrialLedger(goal: .maximize)
        let first = ledger.add(Self.configuration(0), state: .running)
        ledger.report(first, value: 0.5)
        ledger.finish(first, state: .cancelled)
        ledger.requeue(first)  // waiting to be run again: pending for the sampler
        #expect(ledger.history.observations[0].isPending)
        #expect(ledger.history.observations[0].value == 0.5)
        ledger.finish(first, state: .cancelled)
        let rerun = ledger.add(Self.configuration(0), proposal: 0, state: .running)
        #expect(ledger.nextProposal == 1)
        #expect(ledger.history.observations.count == 1)
        #expect(ledger.history.observations[0].value == nil)
        ledger.report(rerun, value: 0.6)
        #expect(ledger.history.observations[0].value == 0.6)
        #expect(ledger.snapshot.curves.map(\.trial) == [first, rerun])
        #expect(ledger.snapshot.curves.map(\.values) == [[0.5], [0.6]])
    }

    @Test("the snapshot: curves of started trials, running until they end or exit")
    func snapshotRules() {
        var ledger = TrialLedger(goal: .maximize)
        let a = ledger.add(Self.configuration(0), state: .running)
        let b = ledger.add(Self.configuration(1))
        #expect(ledger.snapshot.curves.map(\.trial) == [a])  // b has not started
        ledger.start(b)
        ledger.report(b, value: 1)
        ledger.report(a, value: 2)
        #expect(ledger.snapshot.curves.map(\.isRunning) == [true, true])
        ledger.markExited(a)
        #expect(ledger.snapshot.curves.map(\.isRunning) == [false, true])
        #expect(ledger.entries[a].state == .running)
        ledger.finish(b, state: .completed)
        #expect(ledger.snapshot.curves.map(\.isRunning) == [false, false])
        #expect(ledger.snapshot.curve(for: b)?.values == [1])
    }

    /// The ledger's policy path agrees with ``PruningMonitor`` (the reference the replay tests
    /// use) on random curves and policies: same decisions at the same reports.
    @Test("report(_:value:policy:) decides as PruningMonitor does", arguments: 0..<16)
    func policyDecisionsMatchThePruningMonitor(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let curves = EarlyTerminationTests.randomCurves(using: &rng)
        let policy = EarlyTerminationTests.randomPolicy(using: &rng)
        var monitor = PruningMonitor(goal: .maximize, policy: policy)
        var ledger = TrialLedger(goal: .maximize)
        for index in curves.indices { ledger.add(Self.configuration(index), state: .running) }
        let longest = curves.map(\.count).max() ?? 0
        for step in 0..<longest {
            for (trial, curve) in curves.enumerated() where step < curve.count {
                let expected = monitor.report(trial: trial, value: curve[step])
                let actual = ledger.report(trial, value: curve[step], policy: policy)
                #expect(actual.action == expected.action, "seed \(seed), trial \(trial), report \(step + 1)")
                if expected.shouldStop { #expect(actual.reason == expected.reason) }
            }
        }
        #expect(ledger.entries.filter { $0.state == .stopped }.map(\.id).sorted() == monitor.stopDecisions.keys.sorted())
    }

    @Test("a report on an ended trial is not evaluated")
    func reportAfterEnd() {
        var ledger = TrialLedger(goal: .maximize)
        let a = ledger.add(Self.configuration(0), state: .running)
        ledger.finish(a, state: .completed, finalValue: 1)
        let decision = ledger.report(a, value: 2, policy: MedianStoppingPolicy())
        #expect(!decision.shouldStop)
        #expect(ledger.entries[a].reports.isEmpty)
    }
}
