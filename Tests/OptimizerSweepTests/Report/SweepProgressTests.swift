import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// The live view's state and panel, and the compute-savings estimate.
extension ReportTests {
    @Suite struct SweepProgressTests {
        static let objective = Objective(goal: .minimize, primaryMetric: "loss")
        static let t0 = Date(timeIntervalSince1970: 1_000)

        static func trial(_ id: Int, _ status: TrialStatus, start: Double, end: Double? = nil, lr: Double) -> TrialRecord {
            TrialRecord(id: id, proposal: id, configuration: Configuration(names: ["lr"], values: [.double(lr)]), status: status,
                        started: t0.addingTimeInterval(start), ended: end.map { t0.addingTimeInterval($0) }, folder: "/x/\(id)")
        }

        static func loss(_ trial: Int, _ value: Double, _ report: Int) -> SweepEvent {
            .metric(MetricRecord(trial: trial, name: "loss", value: value, step: nil, channel: .stdout, time: t0, reportIndex: report))
        }

        @Test func foldsEventsIntoCountsBestSavingsAndETA() {
            var progress = SweepProgress(objective: Self.objective, totalTrials: 4, started: Self.t0)
            progress.apply(.trialStarted(Self.trial(0, .running, start: 0, lr: 0.1)))
            progress.apply(.trialStarted(Self.trial(1, .running, start: 0, lr: 0.2)))
            for n in 1...4 { progress.apply(Self.loss(0, 1.0 / Double(n), n)) }
            progress.apply(Self.loss(1, 2.0, 1))
            #expect(progress.apply(Self.loss(1, 3.0, 2)).isNewBest == false)
            #expect(progress.running[1]?.latestValue == 3.0 && progress.running[1]?.reportCount == 2)
            progress.apply(.trialStopped(StopDecisionRecord(trial: 1, reportCount: 2, reason: "worse")))
            progress.apply(.trialFinished(Self.trial(1, .cancelled, start: 0, end: 10, lr: 0.2), value: 2.0))
            #expect(progress.apply(.trialFinished(Self.trial(0, .completed, start: 0, end: 20, lr: 0.1), value: 0.25)).isNewBest)
            #expect(progress.finished == 2 && progress.running.isEmpty)
            #expect(progress.best?.id == 0 && progress.best?.value == 0.25)
            // Trial 1 logged 2 of the 4 reports a full run logs, at 5 s per report.
            let savings = progress.savings
            #expect(savings.stoppedTrials == 1 && savings.fullRunReports == 4 && savings.reportsSaved == 2)
            #expect(savings.secondsSaved == 10)
            #expect(savings.summary == "1 trial stopped early, ~2 reports (~10 s, 25%) not run")
            // Two trials in 40 s: two more take ~40 s.
            #expect(progress.estimatedSecondsRemaining(now: Self.t0.addingTimeInterval(40)) == 40)

            let panel = progress.panel(width: 80, now: Self.t0.addingTimeInterval(40))
            #expect(panel[0].contains("2/4 trials  50%"))
            #expect(panel[0].contains("ETA ~40 s"))
            #expect(panel[1] == "0 running · 1 completed · 1 cancelled")
            #expect(panel[2] == "best: trial 0  loss=0.25  lr=0.1")
            #expect(panel[3].hasPrefix("early termination: 1 trial stopped early"))
            #expect(panel.allSatisfy { $0.count <= 80 })
        }

        @Test func panelListsRunningTrialsAndNeverExceedsTheWidth() {
            var progress = SweepProgress(objective: Self.objective, totalTrials: 100, started: Self.t0)
            for id in 0..<12 { progress.apply(.trialStarted(Self.trial(id, .running, start: 0, lr: 0.001 * Double(id + 1)))) }
            progress.apply(Self.loss(11, 0.5, 3))
            let panel = progress.panel(width: 40, now: Self.t0.addingTimeInterval(5), maxRunning: 4)
            #expect(panel.allSatisfy { $0.count <= 40 })
            #expect(panel.contains("running:"))
            #expect(panel.contains("  … and 8 more"))
            #expect(panel.contains { $0.hasPrefix("  trial 11  loss=0.5 (report 3)") })
            #expect(progress.panel(width: 100, now: Self.t0)[0].hasSuffix("ETA …"))
            // Control characters in user text cannot move the cursor.
            #expect(SweepProgress.truncated("a\u{1B}[2Jb\nc", to: 40) == "a [2Jb c")
        }

        @Test func resumedProgressCountsEarlierTrials() {
            let done = TrialResult(trial: Self.trial(0, .completed, start: 0, end: 5, lr: 0.1), value: 0.3, history: [], stopDecision: nil)
            let interrupted = TrialResult(trial: Self.trial(1, .interrupted, start: 0, end: 5, lr: 0.2), value: 0.1, history: [], stopDecision: nil)
            let progress = SweepProgress(objective: Self.objective, totalTrials: 3, history: [done, interrupted])
            #expect(progress.finished == 1)
            #expect(progress.best?.id == 0)
        }

        @Test func savingsWithoutCompletedTrialsAreUnknown() {
            let savings = ComputeSavings(trials: [.init(status: .cancelled, reportCount: 2, seconds: 4, stoppedByPolicy: true)])
            #expect(savings.reportsSaved == nil && savings.secondsSaved == nil)
            #expect(savings.summary == "1 trial stopped early (no completed trial yet to estimate the reports saved)")
            #expect(ComputeSavings(trials: []).summary == "no trial stopped early")
        }

        @Test func eventLinesAreOneLineEach() {
            let trial = TrialRecord(id: 3, proposal: 3, configuration: Configuration(names: ["s"], values: [.string("a\nb")]),
                                    status: .failed, reason: "exit code 1; stderr: x\ry", folder: "/x")
            let line = SweepEventLine.line(for: .trialStarted(trial), objective: Self.objective)
            #expect(line == "trial 3 started: s=a b")
            let finished = SweepEventLine.line(for: .trialFinished(trial, value: nil), objective: Self.objective)
            #expect(finished == "trial 3 failed (no loss): exit code 1; stderr: x y")
            let other = MetricRecord(trial: 3, name: "acc", value: 1, step: nil, channel: .stdout, time: Self.t0, reportIndex: 1)
            #expect(SweepEventLine.line(for: .metric(other), objective: Self.objective) == nil)
            let stepped = MetricRecord(trial: 3, name: "loss", value: 0.5, step: 40, channel: .metricsFile, time: Self.t0, reportIndex: 2)
            #expect(SweepEventLine.line(for: .metric(stepped), objective: Self.objective) == "trial 3 loss=0.5 report 2 step=40")
        }
    }
}
