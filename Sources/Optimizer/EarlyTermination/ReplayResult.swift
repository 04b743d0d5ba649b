/// What a policy would have saved and lost on a recorded experiment; see
/// ``replay(experiment:policy:)``.
///
/// Encodes to JSON with the keys `policy`, `stopped`, `reports_saved_percent`,
/// `seconds_saved_percent`, `best_without`, `best_with`, `loss` (values may be `null` when no
/// finite value exists), plus `stops`, `reports_total`, `reports_saved`, `trial_seconds_total`,
/// `seconds_saved`, `best_trial_without`, `best_trial_with`, `incomplete_trials` and `notes`.
public struct ReplayResult: Sendable, Equatable, Codable {
    /// The replayed policy's description, e.g. `median_stopping(evaluation_interval: 1, delay_evaluation: 5)`.
    public var policy: String
    /// Ids of the trials the policy stopped, ascending.
    public var stopped: [Int]
    /// Each stop, in simulated time order.
    public var stops: [ReplayStop]
    /// Every recorded report.
    public var reportsTotal: Int
    /// Recorded reports after the stop points.
    public var reportsSaved: Int
    /// 100 · reportsSaved / reportsTotal (0 when there are no reports).
    public var reportsSavedPercent: Double
    /// Σ (end − start) over all trials.
    public var trialSecondsTotal: Double
    /// Σ (end − time of the stopping report) over stopped trials.
    public var secondsSaved: Double
    /// 100 · secondsSaved / trialSecondsTotal (0 when the total is 0).
    public var secondsSavedPercent: Double
    /// The best finite recorded value over all trials (their full recorded curves).
    public var bestWithout: Double?
    /// The best finite value over the curves as truncated by the policy.
    public var bestWith: Double?
    /// The trial holding `bestWithout` (first in start order on ties).
    public var bestTrialWithout: Int?
    /// The trial holding `bestWith` (first in start order on ties).
    public var bestTrialWith: Int?
    /// How much worse `bestWith` is than `bestWithout` in the goal's direction (≥ 0; 0 when the
    /// best trial was not cut short before its best report).
    public var loss: Double?
    /// Trials stopped by a policy in the recorded run (their curves are incomplete).
    public var incompleteTrials: [Int]
    /// Simplifications and caveats that qualify the numbers.
    public var notes: [String]

    /// A result; ``replay(experiment:policy:)`` builds these.
    public init(
        policy: String, stopped: [Int], stops: [ReplayStop],
        reportsTotal: Int, reportsSaved: Int, reportsSavedPercent: Double,
        trialSecondsTotal: Double, secondsSaved: Double, secondsSavedPercent: Double,
        bestWithout: Double?, bestWith: Double?, bestTrialWithout: Int?, bestTrialWith: Int?,
        loss: Double?, incompleteTrials: [Int], notes: [String]
    ) {
        self.policy = policy
        self.stopped = stopped
        self.stops = stops
        self.reportsTotal = reportsTotal
        self.reportsSaved = reportsSaved
        self.reportsSavedPercent = reportsSavedPercent
        self.trialSecondsTotal = trialSecondsTotal
        self.secondsSaved = secondsSaved
        self.secondsSavedPercent = secondsSavedPercent
        self.bestWithout = bestWithout
        self.bestWith = bestWith
        self.bestTrialWithout = bestTrialWithout
        self.bestTrialWith = bestTrialWith
        self.loss = loss
        self.incompleteTrials = incompleteTrials
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case policy, stopped, stops, loss, notes
        case reportsTotal = "reports_total"
        case reportsSaved = "reports_saved"
        case reportsSavedPercent = "reports_saved_percent"
        case trialSecondsTotal = "trial_seconds_total"
        case secondsSaved = "seconds_saved"
        case secondsSavedPercent = "seconds_saved_percent"
        case bestWithout = "best_without"
        case bestWith = "best_with"
        case bestTrialWithout = "best_trial_without"
        case bestTrialWith = "best_trial_with"
        case incompleteTrials = "incomplete_trials"
    }

    /// Writes every key, with `null` for missing values (so readers always find the keys).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(policy, forKey: .policy)
        try container.encode(stopped, forKey: .stopped)
        try container.encode(reportsSavedPercent, forKey: .reportsSavedPercent)
        try container.encode(secondsSavedPercent, forKey: .secondsSavedPercent)
        try container.encode(bestWithout, forKey: .bestWithout)
        try container.encode(bestWith, forKey: .bestWith)
        try container.encode(loss, forKey: .loss)
        try container.encode(stops, forKey: .stops)
        try container.encode(reportsTotal, forKey: .reportsTotal)
        try container.encode(reportsSaved, forKey: .reportsSaved)
        try container.encode(trialSecondsTotal, forKey: .trialSecondsTotal)
        try container.encode(secondsSaved, forKey: .secondsSaved)
        try container.encode(bestTrialWithout, forKey: .bestTrialWithout)
        try container.encode(bestTrialWith, forKey: .bestTrialWith)
        try container.encode(incompleteTrials, forKey: .incompleteTrials)
        try container.encode(notes, forKey: .notes)
    }
}

/// One trial stopped during a replay.
public struct ReplayStop: Sendable, Equatable, Codable {
    /// The stopped trial.
    public var trial: Int
    /// The report count at which it was stopped (1-based: its curve keeps reports 1…report).
    public var report: Int
    /// The stopping report's time, seconds since the sweep started.
    public var time: Double
    /// Recorded reports after the stop.
    public var reportsSaved: Int
    /// end − time, never negative.
    public var secondsSaved: Double
    /// The policy's reason.
    public var reason: String

    /// One stop of a replay.
    public init(trial: Int, report: Int, time: Double, reportsSaved: Int, secondsSaved: Double, reason: String) {
        self.trial = trial
        self.report = report
        self.time = time
        self.reportsSaved = reportsSaved
        self.secondsSaved = secondsSaved
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case trial, report, time, reason
        case reportsSaved = "reports_saved"
        case secondsSaved = "seconds_saved"
    }
}
