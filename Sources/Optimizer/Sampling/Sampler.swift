/// What a sampler knows about one trial when it is asked for the next configuration.
public struct SamplerObservation: Sendable, Hashable {
    /// Trial index, 0-based, in the order trials were proposed.
    public var trial: Int
    public var configuration: Configuration
    /// The trial's value for ranking (its best logged primary metric), `nil` when it logged none.
    public var value: Double?
    /// `true` while the trial is still queued or running (its result is not known yet).
    public var isPending: Bool
    /// `true` when an early-termination policy stopped the trial
    /// (<doc:HyperDriveSemantics#Extensions-beyond-Azure>, Bayesian sampling with a policy):
    /// `value` is then its best value *so far*, from an incomplete curve — a lower bound
    /// (maximising; an upper bound minimising) of what the full run would have logged.
    /// ``BayesianSampler`` treats such values per its ``BayesianSampler/partialObservations``.
    public var isPartial: Bool

    public init(trial: Int, configuration: Configuration, value: Double?, isPending: Bool, isPartial: Bool = false) {
        self.trial = trial
        self.configuration = configuration
        self.value = value
        self.isPending = isPending
        self.isPartial = isPartial
    }
}

/// An immutable snapshot of everything a sampler may use to decide the next configuration.
public struct SamplerHistory: Sendable {
    public var goal: PrimaryMetricGoal
    /// Every trial proposed so far, finished and pending, in trial order.
    public var observations: [SamplerObservation]

    public init(goal: PrimaryMetricGoal, observations: [SamplerObservation] = []) {
        self.goal = goal
        self.observations = observations
    }
}

/// Proposes configurations. Implementations: random (optionally Sobol), grid and Bayesian.
///
/// Randomness is derived from the sampler's seed and `trialIndex`, so the same history and
/// index give the same proposal whether trials run serially or in parallel.
public protocol Sampler: Sendable {
    /// The configuration for trial `trialIndex`, or `nil` when the space is used up.
    mutating func suggest(history: SamplerHistory, trialIndex: Int) throws -> Configuration?
}
