/// A finished experiment's recorded primary-metric curves, as ``replay(experiment:policy:)``
/// needs them. Times are seconds since the sweep started.
///
/// JSON keys are snake_case (`goal`, `max_concurrent_trials`, `trials`, `start_time`, …).
public struct ReplayInput: Sendable, Equatable, Codable {
    /// The direction in which the primary metric improves.
    public var goal: PrimaryMetricGoal
    /// The sweep's concurrency limit, recorded for the result's notes; the replay keeps the
    /// recorded start times rather than re-scheduling trials.
    public var maxConcurrentTrials: Int?
    /// Every trial, in the order the trials were started (this order also breaks ties between
    /// reports with the same timestamp). Trial ids must be unique.
    public var trials: [ReplayTrial]

    /// A recorded experiment; `trials` in start order.
    public init(goal: PrimaryMetricGoal, maxConcurrentTrials: Int? = nil, trials: [ReplayTrial]) {
        self.goal = goal
        self.maxConcurrentTrials = maxConcurrentTrials
        self.trials = trials
    }

    enum CodingKeys: String, CodingKey {
        case goal
        case maxConcurrentTrials = "max_concurrent_trials"
        case trials
    }
}

/// One recorded trial.
public struct ReplayTrial: Sendable, Equatable, Codable {
    /// The trial id.
    public var trial: Int
    /// When the trial started, seconds since the sweep started.
    public var startTime: Double
    /// When the trial ended (completed, failed, cancelled or stopped).
    public var endTime: Double
    /// Its primary-metric reports, in the order they were logged.
    public var reports: [ReplayReport]
    /// `true` when a policy stopped this trial during the recorded run: its curve is then
    /// incomplete, and what it would have logged later is unknown.
    public var stoppedByPolicy: Bool

    /// A recorded trial.
    public init(trial: Int, startTime: Double, endTime: Double, reports: [ReplayReport], stoppedByPolicy: Bool = false) {
        self.trial = trial
        self.startTime = startTime
        self.endTime = endTime
        self.reports = reports
        self.stoppedByPolicy = stoppedByPolicy
    }

    enum CodingKeys: String, CodingKey {
        case trial
        case startTime = "start_time"
        case endTime = "end_time"
        case reports
        case stoppedByPolicy = "stopped_by_policy"
    }
}

/// One recorded primary-metric report.
public struct ReplayReport: Sendable, Equatable, Codable {
    /// The primary-metric value (may be non-finite).
    public var value: Double
    /// When it was logged, seconds since the sweep started.
    public var time: Double

    /// A report logged at `time` seconds since the sweep started.
    public init(value: Double, time: Double) {
        self.value = value
        self.time = time
    }
}
