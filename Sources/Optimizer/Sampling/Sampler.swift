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
    /// Every trial proposed so far, finished and pending, in trial order — after the
    /// ``warmStartCount`` trials of a warm start.
    public var observations: [SamplerObservation]
    /// How many of the first ``observations`` come from elsewhere (a warm start: trials of
    /// earlier experiments, finished, with their values). They are evidence — the Bayesian
    /// sampler fits them, every sampler avoids their configurations in a finite space — but not
    /// proposals of this sampler: their `trial` numbers are negative and trial indices count
    /// only the observations after them.
    public var warmStartCount: Int

    public init(goal: PrimaryMetricGoal, observations: [SamplerObservation] = [], warmStartCount: Int = 0) {
        precondition(warmStartCount >= 0 && warmStartCount <= observations.count, "SamplerHistory: warmStartCount \(warmStartCount) of \(observations.count) observations")
        self.goal = goal
        self.observations = observations
        self.warmStartCount = warmStartCount
    }

    /// The warm start's observations (the first ``warmStartCount``).
    public var warmStart: ArraySlice<SamplerObservation> { observations.prefix(warmStartCount) }
}

/// Proposes configurations. Implementations: random (optionally Sobol), grid and Bayesian.
///
/// Randomness is derived from the sampler's seed and `trialIndex`, so the same history and
/// index give the same proposal whether trials run serially or in parallel. What a sampler
/// carries from one suggestion to the next (the Bayesian sampler's warm start) is returned in
/// ``Suggestion/state`` and can be put back with ``restore(_:)``, so a resumed sweep continues
/// exactly where the interrupted one stopped.
public protocol Sampler: Sendable {
    /// The suggestion for trial `trialIndex`, or `nil` when the space is used up.
    mutating func suggestion(history: SamplerHistory, trialIndex: Int) throws -> Suggestion?

    /// Puts back the state a previous instance returned in ``Suggestion/state`` (the default
    /// ignores it: stateless samplers derive everything from the history).
    mutating func restore(_ state: SamplerState) throws
}

extension Sampler {
    public mutating func restore(_ state: SamplerState) throws {}

    /// The configuration for trial `trialIndex`, or `nil` when the space is used up (the
    /// suggestion without its diagnostics).
    public mutating func suggest(history: SamplerHistory, trialIndex: Int) throws -> Configuration? {
        try suggestion(history: history, trialIndex: trialIndex)?.configuration
    }
}

/// A proposed configuration with what the sampler wants recorded about it.
public struct Suggestion: Sendable, Hashable {
    /// The values to run.
    public var configuration: Configuration
    /// How the configuration was chosen: initial design, the fitted model, a fallback and why.
    public var diagnostics: [SamplerDiagnostic]
    /// The sampler's state after this suggestion, for ``Sampler/restore(_:)``; `nil` for a
    /// stateless sampler.
    public var state: SamplerState?

    public init(_ configuration: Configuration, diagnostics: [SamplerDiagnostic] = [], state: SamplerState? = nil) {
        self.configuration = configuration
        self.diagnostics = diagnostics
        self.state = state
    }
}

/// One thing a sampler reports about a suggestion. A sweep stores these with the trial;
/// `hdbench status` and the report show them.
public struct SamplerDiagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Drawn by the initial design, before a model is used.
        case initialDesign = "initial_design"
        /// Chosen by the fitted surrogate; the message summarises the fit.
        case model
        /// The intended method could not be used (e.g. the surrogate could not be fitted) and a
        /// simpler one stood in; the message says why. Worth a user's attention.
        case fallback
    }

    public var kind: Kind
    /// One line, for people.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// What a sampler carries between suggestions, as named real vectors (JSON-serialisable and
/// exact: doubles round-trip through their shortest decimal form).
///
/// ``BayesianSampler`` stores its Gaussian-process warm start under ``warmStartKey``.
public struct SamplerState: Sendable, Hashable, Codable {
    /// The Bayesian sampler's warm start: log length-scales, then log signal variance, then
    /// log noise variance.
    public static let warmStartKey = "gaussian_process.warm_start"
    /// The Bayesian sampler's large-history schedule (``RefitSchedule``): n at the last refit,
    /// suggestions since, anchor rows, factor rows, fingerprint of the factor's rows.
    public static let refitScheduleKey = "gaussian_process.refit_schedule"
    /// The Bayesian sampler's trust region (``TrustRegion/vector``): side, successes, failures,
    /// best value, restarts.
    public static let trustRegionKey = "gaussian_process.trust_region"

    public var vectors: [String: [Double]]

    public init(vectors: [String: [Double]] = [:]) {
        self.vectors = vectors
    }
}
