package import Foundation
package import Optimizer

/// What a running sweep has done so far, updated event by event: the state behind the live
/// terminal view and the `(best so far)` mark of the plain event lines.
///
/// A value type: ``apply(_:at:)`` folds one ``SweepEvent`` in; ``panel(width:now:)`` renders
/// the live view's lines.
package struct SweepProgress: Sendable {
    /// A trial whose process is running.
    package struct RunningTrial: Sendable, Hashable {
        /// The trial id.
        package var id: Int
        /// Its parameters.
        package var configuration: Configuration
        /// When its process started.
        package var started: Date
        /// The latest primary-metric report (may be non-finite).
        package var latestValue: Double?
        /// The number of that report (n).
        package var reportCount: Int
    }

    /// The primary metric and its goal.
    package let objective: Objective
    /// Trials the sweep will run in all (max_total_trials, or fewer when the space is smaller).
    package var totalTrials: Int
    /// When this run of the sweep started.
    package var started: Date
    /// Trials that ended, by status (including earlier runs of a resumed sweep).
    package private(set) var finishedByStatus: [TrialStatus: Int] = [:]
    /// Trials that ended in this run (for the ETA).
    package private(set) var finishedThisRun = 0
    /// Running trials by id.
    package private(set) var running: [Int: RunningTrial] = [:]
    /// The best trial so far: id, value, parameters.
    package private(set) var best: (id: Int, value: Double, configuration: Configuration)?
    /// How many trials were stopped by the early-termination policy.
    package private(set) var stoppedByPolicy = 0
    /// Usage of every finished trial, for ``ComputeSavings``.
    package private(set) var usage: [ComputeSavings.TrialUsage] = []
    private var stopped: Set<Int> = []
    private var configurations: [Int: Configuration] = [:]

    /// Progress of a sweep with `totalTrials` trials in all; `history` holds the results of
    /// earlier runs when the sweep is resumed.
    package init(objective: Objective, totalTrials: Int, started: Date = Date(), history: [TrialResult] = []) {
        self.objective = objective
        self.totalTrials = totalTrials
        self.started = started
        for result in history where result.trial.status.isFinished && result.trial.status != .interrupted {
            finishedByStatus[result.trial.status, default: 0] += 1
            if result.stopDecision != nil { stoppedByPolicy += 1; stopped.insert(result.trial.id) }
            usage.append(ComputeSavings.TrialUsage(result: result))
            consider(id: result.trial.id, value: result.value, configuration: result.trial.configuration)
        }
    }

    /// What an event changed, for the printer.
    package struct Update: Sendable, Hashable {
        /// The event made its trial the best so far (a finished trial, or a report beating the best).
        package var isNewBest = false
    }

    /// Folds `event` in.
    @discardableResult
    package mutating func apply(_ event: SweepEvent, at now: Date = Date()) -> Update {
        var update = Update()
        switch event {
        case .sweepStarted, .codeSnapshot:
            break
        case .trialStarted(let trial):
            configurations[trial.id] = trial.configuration
            running[trial.id] = RunningTrial(id: trial.id, configuration: trial.configuration, started: trial.started ?? now,
                                             latestValue: nil, reportCount: 0)
        case .metric(let metric):
            guard metric.name == objective.primaryMetric, !metric.duplicate, !metric.afterStop else { break }
            if var entry = running[metric.trial] {
                entry.latestValue = metric.value
                entry.reportCount = metric.reportIndex ?? entry.reportCount + 1
                running[metric.trial] = entry
            }
            if let configuration = configurations[metric.trial] {
                update.isNewBest = consider(id: metric.trial, value: metric.value, configuration: configuration)
            }
        case .diagnostic:
            break
        case .trialStopped(let decision):
            if stopped.insert(decision.trial).inserted { stoppedByPolicy += 1 }
        case .trialFinished(let trial, let value):
            let reports = running[trial.id]?.reportCount ?? 0
            running[trial.id] = nil
            if trial.status == .interrupted { break }
            finishedByStatus[trial.status, default: 0] += 1
            finishedThisRun += 1
            var seconds: Double?
            if let started = trial.started, let ended = trial.ended { seconds = ended.timeIntervalSince(started) }
            usage.append(ComputeSavings.TrialUsage(status: trial.status, reportCount: reports, seconds: seconds,
                                                   stoppedByPolicy: stopped.contains(trial.id)))
            let wasBest = best?.id == trial.id
            update.isNewBest = consider(id: trial.id, value: value, configuration: trial.configuration) || (wasBest && value != nil)
        }
        return update
    }

    /// Makes `id` the best when `value` beats the best so far; returns whether it did.
    @discardableResult
    private mutating func consider(id: Int, value: Double?, configuration: Configuration) -> Bool {
        guard let value, value.isFinite else { return false }
        if let best, best.id != id, !objective.goal.isBetter(value, than: best.value) { return false }
        if let best, best.id == id, !objective.goal.isBetter(value, than: best.value) { return false }
        best = (id, value, configuration)
        return true
    }

    /// Trials that ended (interrupted ones excluded: they run again).
    package var finished: Int { finishedByStatus.values.reduce(0, +) }

    /// Compute saved by early termination so far.
    package var savings: ComputeSavings { ComputeSavings(trials: usage) }

    /// Seconds until the sweep should end, from this run's pace (`nil` until a trial ended).
    package func estimatedSecondsRemaining(now: Date) -> Double? {
        let remaining = max(0, totalTrials - finished)
        if remaining == 0 { return 0 }
        guard finishedThisRun > 0 else { return nil }
        let elapsed = now.timeIntervalSince(started)
        return elapsed / Double(finishedThisRun) * Double(remaining)
    }
}
