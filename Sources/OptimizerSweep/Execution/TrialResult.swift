public import Foundation
public import Optimizer

/// One trial with its outcome: what `status`, `best` and `export` show.
public struct TrialResult: Sendable, Hashable {
    /// The trial as stored.
    public var trial: TrialRecord
    /// Best primary-metric value (max or min by goal) among finite reports logged before any
    /// stop decision; `nil` when there is none (such a trial is never best).
    public var value: Double?
    /// Every primary-metric report that counts as one (no cross-channel duplicates), in order,
    /// including those flagged `afterStop`.
    public var history: [MetricRecord]
    /// The early-termination decision that stopped the trial, if one did.
    public var stopDecision: StopDecisionRecord?

    public init(trial: TrialRecord, value: Double?, history: [MetricRecord], stopDecision: StopDecisionRecord?) {
        self.trial = trial
        self.value = value
        self.history = history
        self.stopDecision = stopDecision
    }

    /// Number of primary-metric reports before any stop (n).
    public var reportCount: Int { history.lazy.filter { !$0.afterStop }.count }

    /// The ranking value of `history` under `goal`.
    static func rankingValue(of history: [MetricRecord], goal: PrimaryMetricGoal) -> Double? {
        var best: Double?
        for report in history where !report.afterStop && !report.duplicate && report.value.isFinite {
            if best == nil || goal.isBetter(report.value, than: best!) { best = report.value }
        }
        return best
    }

    /// The best of `results` under `goal`: the best value, the earliest trial on ties.
    public static func best(of results: [TrialResult], goal: PrimaryMetricGoal) -> TrialResult? {
        var best: TrialResult?
        for result in results {
            guard let value = result.value else { continue }
            if let current = best?.value, !goal.isBetter(value, than: current) { continue }
            best = result
        }
        return best
    }
}

/// The outcome of ``SweepRunner/run(events:)``.
public struct SweepSummary: Sendable {
    /// The experiment folder.
    public var directory: URL
    /// The primary metric and its goal.
    public var objective: Objective
    /// How the sweep ended.
    public var status: ExperimentRecord.Status
    /// Why the sweep ended (budget used, space used up, timeout, interrupt, sampler error).
    public var reason: String?
    /// Every trial of the experiment (earlier runs included when resumed).
    public var trials: [TrialResult]
    /// The best trial, if any logged the primary metric.
    public var best: TrialResult?
    /// Wall time of this run, in seconds.
    public var elapsed: TimeInterval

    public init(directory: URL, objective: Objective, status: ExperimentRecord.Status, reason: String?,
                trials: [TrialResult], best: TrialResult?, elapsed: TimeInterval) {
        self.directory = directory
        self.objective = objective
        self.status = status
        self.reason = reason
        self.trials = trials
        self.best = best
        self.elapsed = elapsed
    }

    /// How many trials ended with each status.
    public var countsByStatus: [TrialStatus: Int] {
        trials.reduce(into: [:]) { $0[$1.trial.status, default: 0] += 1 }
    }
}
