import Foundation

/// The sampler a ``Study`` uses.
public enum SamplerChoice: Sendable {
    /// Independent draws from each parameter's distribution.
    case random(seed: UInt64 = 0)
    /// Scrambled Sobol points mapped through each distribution's inverse CDF.
    case sobol(seed: UInt64 = 0)
    /// Odometer order over `choice` parameters.
    case grid
    /// Gaussian-process surrogate with log expected improvement (every expression allowed in
    /// Swift: the library has no Azure restrictions).
    case bayesian(seed: UInt64 = 0, options: BayesianOptimizerOptions = .init())
    /// Any sampler of your own.
    case custom(any Sampler)
}

/// Where a trial's configuration came from.
public enum TrialOrigin: String, Sendable, Hashable, Codable, CaseIterable {
    /// Proposed by the sampler.
    case sampler
    /// Given by the caller ahead of time (``Study/enqueue(_:)``, `hdbench sweep --enqueue`):
    /// run before any proposal, in the order given.
    case enqueued
    /// Evaluated elsewhere and added with its value (``Study/add(completed:value:intermediateValues:)``).
    case external
}

/// One trial handed out by ``Study/ask()``.
public struct StudyTrial: Sendable, Hashable, Identifiable {
    /// 0-based trial number, in the order trials were asked for.
    public let id: Int
    /// The values to evaluate.
    public let configuration: Configuration
    /// Proposed by the sampler, or enqueued (or added) by the caller.
    public var origin: TrialOrigin = .sampler

    public init(id: Int, configuration: Configuration, origin: TrialOrigin = .sampler) {
        self.id = id
        self.configuration = configuration
        self.origin = origin
    }

    /// The value of parameter `name`.
    public subscript(name: String) -> ParameterValue? { configuration[name] }

    /// The value of parameter `name` as a real number (ints are converted).
    public func double(_ name: String) -> Double? { configuration[name]?.numericValue }

    /// The value of parameter `name` as an integer, when it is one.
    public func int(_ name: String) -> Int? {
        if case .int(let i) = configuration[name] { return i }
        return nil
    }

    /// The value of parameter `name` as a string, when it is one.
    public func string(_ name: String) -> String? {
        if case .string(let s) = configuration[name] { return s }
        return nil
    }
}

/// What is known about a trial of a ``Study``.
public struct StudyRecord: Sendable, Equatable {
    public enum State: String, Sendable, Hashable, Codable {
        case running, completed, pruned, failed
    }
    public var trial: StudyTrial
    public var state: State
    /// Intermediate values reported with ``Study/report(_:value:)``, in order.
    public var intermediateValues: [Double]
    /// The final value given to ``Study/tell(_:value:)``, if any.
    public var finalValue: Double?
    /// The stop decision, when the policy pruned the trial.
    public var stopDecision: TerminationDecision?
    /// Why the trial failed, when it did.
    public var failureReason: String?

    /// The value used for ranking: the final value if finite, else the best finite
    /// intermediate value (<doc:HyperDriveSemantics#Objective-and-metrics>: a trial's best logged
    /// value; pruned trials still count).
    public func rankingValue(goal: PrimaryMetricGoal) -> Double? {
        if let v = finalValue, v.isFinite { return v }
        let finite = intermediateValues.filter(\.isFinite)
        return goal == .maximize ? finite.max() : finite.min()
    }
}

/// An ask-and-tell optimisation study for Swift code, with HyperDrive's samplers and
/// early-termination policies.
///
/// ```swift
/// let space = try SearchSpace(["lr": .logUniform(-6, -1), "layers": .choice([1, 2, 3])])
/// var study = try Study(space: space, goal: .maximize, sampler: .bayesian(seed: 7))
/// let trial = try study.ask()
/// study.tell(trial, value: accuracy)
/// ```
/// Intermediate values go through ``report(_:value:)``, which answers with the policy's
/// ``TerminationDecision`` (Optuna's `trial.report` + `should_prune`). For a concurrent loop
/// use ``optimize(trials:concurrency:objective:)``.
///
/// Known configurations run first with ``enqueue(_:)``; trials evaluated elsewhere join with
/// ``add(completed:value:intermediateValues:)``; earlier experiments' trials inform the sampler
/// with ``warmStart(with:source:)``. A study opened on a ``StudyStorage``
/// (``init(space:goal:sampler:policy:storage:)``) records every step there and continues
/// where it stopped when opened again (<doc:PersistentStudy>).
public struct Study: Sendable {
    public let space: SearchSpace
    public let goal: PrimaryMetricGoal
    /// Every trial, its state, reports and stop decision: what the sampler and the policy are
    /// told (``TrialLedger/history``, ``TrialLedger/snapshot``).
    public internal(set) var ledger: TrialLedger
    /// What the sampler said about each suggestion (initial design, model fit, fallbacks), by
    /// trial id.
    public private(set) var diagnostics: [[SamplerDiagnostic]] = []
    /// Configurations given with ``enqueue(_:)`` not asked for yet, in order.
    public internal(set) var queue: [Configuration] = []
    /// The warm start's trials (in this space), what the sampler sees before the study's own.
    public private(set) var warmStartTrials: [WarmStartTrial] = []
    /// Where each trial came from, by trial id.
    public private(set) var origins: [TrialOrigin] = []
    var sampler: any Sampler
    let policy: any EarlyTerminationPolicy
    var failureReasons: [Int: String] = [:]
    /// Where every step is recorded, when the study is persistent.
    var storage: (any StudyStorage)?
    /// The first error the storage gave while recording a step that cannot throw (``tell(_:value:)``,
    /// ``report(_:value:)``); ``ask()`` throws it.
    public internal(set) var storageFailure: String?

    /// - Parameters:
    ///   - space: what to search.
    ///   - goal: maximise or minimise the objective.
    ///   - sampler: how to propose configurations.
    ///   - policy: early termination for intermediate reports (none by default).
    public init(space: SearchSpace, goal: PrimaryMetricGoal, sampler: SamplerChoice = .random(),
                policy: any EarlyTerminationPolicy = NoTerminationPolicy()) throws(ConfigurationError) {
        self.space = space
        self.goal = goal
        switch sampler {
        case .random(let seed): self.sampler = try makeSampler(.random(seed: seed, rule: .random), space: space)
        case .sobol(let seed): self.sampler = try makeSampler(.random(seed: seed, rule: .sobol), space: space)
        case .grid: self.sampler = try makeSampler(.grid, space: space)
        case .bayesian(let seed, let options): self.sampler = BayesianSampler(space: space, seed: seed, options: options)
        case .custom(let s): self.sampler = s
        }
        self.policy = policy
        self.ledger = TrialLedger(goal: goal)
    }

    /// Every trial asked for so far, by id.
    ///
    /// - Complexity: O(trials) per access (built from the ledger).
    public var records: [StudyRecord] { ledger.entries.map(record(of:)) }

    /// The sampler's view of the study: the warm start's trials, then every trial (running ones
    /// as pending).
    public var history: SamplerHistory { ledger.history }

    /// Proposes the next trial: the first enqueued configuration if any is left, else the
    /// sampler's suggestion.
    /// - Throws: ``StudyError/searchSpaceExhausted(trials:)`` when a finite space is used up (or the
    ///   grid is done); ``StudyError/storageFailed(_:)`` when the storage failed; rethrows sampler
    ///   and storage errors.
    public mutating func ask() throws -> StudyTrial {
        if let storageFailure { throw StudyError.storageFailed(storageFailure) }
        let index = ledger.nextProposal
        if let configuration = queue.first {
            try persist(.asked(trial: ledger.entries.count, configuration: configuration, origin: .enqueued, diagnostics: [], samplerState: nil))
            queue.removeFirst()
            return addRunning(configuration, origin: .enqueued, diagnostics: [])
        }
        var sampler = self.sampler
        guard let suggestion = try sampler.suggestion(history: history, trialIndex: index) else {
            throw StudyError.searchSpaceExhausted(trials: index)
        }
        try persist(.asked(trial: ledger.entries.count, configuration: suggestion.configuration, origin: .sampler,
                           diagnostics: suggestion.diagnostics, samplerState: suggestion.state))
        self.sampler = sampler
        return addRunning(suggestion.configuration, origin: .sampler, diagnostics: suggestion.diagnostics)
    }

    /// Adds a running trial of `configuration`.
    mutating func addRunning(_ configuration: Configuration, origin: TrialOrigin, diagnostics: [SamplerDiagnostic]) -> StudyTrial {
        let id = ledger.add(configuration, state: .running)
        self.diagnostics.append(diagnostics)
        origins.append(origin)
        return StudyTrial(id: id, configuration: configuration, origin: origin)
    }

    /// Queues `configuration` to be run before any proposal: ``ask()`` hands out enqueued
    /// configurations first, in the order given, each once; they count as trials of the study
    /// like any other (Optuna's `enqueue_trial`).
    ///
    /// - Parameter configuration: a value for every parameter of the space (by name; the order
    ///   does not matter, numbers compare as numbers).
    /// - Throws: ``ConfigurationError`` naming each unknown or missing parameter and each value
    ///   the space does not admit; storage errors.
    public mutating func enqueue(_ configuration: Configuration) throws {
        let canonical = try space.configuration(validating: configuration).get()
        try persist(.enqueued(canonical))
        queue.append(canonical)
    }

    /// ``enqueue(_:)`` from name–value pairs: `try study.enqueue(parameters: ["lr": .double(0.01), "layers": .int(2)])`.
    public mutating func enqueue(parameters values: KeyValuePairs<String, ParameterValue>) throws {
        try enqueue(Configuration(names: values.map(\.key), values: values.map(\.value)))
    }

    /// Adds a trial evaluated elsewhere (by hand, on another machine, by another tool): it
    /// counts as a completed trial of the study, the sampler learns from it and the policy
    /// compares against its curve.
    ///
    /// - Parameters:
    ///   - configuration: a value for every parameter of the space.
    ///   - value: its final value.
    ///   - intermediateValues: what it reported on the way, if known.
    /// - Returns: the trial, with origin ``TrialOrigin/external``.
    /// - Throws: ``ConfigurationError`` when the configuration is not of the space; storage errors.
    @discardableResult
    public mutating func add(completed configuration: Configuration, value: Double, intermediateValues: [Double] = []) throws -> StudyTrial {
        let canonical = try space.configuration(validating: configuration).get()
        try persist(.added(trial: ledger.entries.count, configuration: canonical, value: value, intermediateValues: intermediateValues))
        return addCompleted(canonical, value: value, intermediateValues: intermediateValues)
    }

    mutating func addCompleted(_ configuration: Configuration, value: Double, intermediateValues: [Double]) -> StudyTrial {
        let trial = addRunning(configuration, origin: .external, diagnostics: [])
        for v in intermediateValues { ledger.report(trial.id, value: v) }
        ledger.finish(trial.id, state: .completed, finalValue: value)
        return trial
    }

    /// Gives the sampler what earlier experiments found: each trial of `trials` that this space
    /// can use (``WarmStart/map(_:onto:source:)``: values outside the space dropped, trials
    /// lacking a parameter skipped) becomes a finished observation before the study's own
    /// trials. The Bayesian sampler fits them (a warm start of at least its initial-design size
    /// goes straight to model suggestions) and, in a finite space, no sampler proposes their
    /// configurations again. They are not trials of the study: not in ``records``, not counted,
    /// never ``bestRecord``.
    ///
    /// - Parameters:
    ///   - trials: configurations (of any space) with their values, oriented by this study's goal.
    ///   - source: a name for the summary.
    /// - Returns: how many trials were used, dropped and skipped.
    @discardableResult
    public mutating func warmStart(with trials: [WarmStartTrial], source: String = "warm start") throws -> WarmStartSummary {
        let (used, summary) = WarmStart.map(trials, onto: space, source: source)
        try persist(.warmStarted(used))
        appendWarmStart(used)
        return summary
    }

    mutating func appendWarmStart(_ used: [WarmStartTrial]) {
        warmStartTrials += used
        ledger.addWarmStart(used)
    }

    /// Reports an intermediate value of a running trial and returns the policy's decision.
    /// A `.stop` decision marks the trial pruned; its reports still count for ranking.
    @discardableResult
    public mutating func report(_ trial: StudyTrial, value: Double) -> TerminationDecision {
        precondition(ledger.entries.indices.contains(trial.id), "Study.report: unknown trial \(trial.id)")
        let wasStopped = ledger.entries[trial.id].stopDecision != nil
        let decision = ledger.report(trial.id, value: value, policy: policy)
        if !wasStopped {
            persistQuietly(.reported(trial: trial.id, value: value, stop: decision.shouldStop ? decision : nil))
        }
        return decision
    }

    /// Whether the policy has stopped this trial.
    public func shouldPrune(_ trial: StudyTrial) -> Bool { ledger.entries[trial.id].state == .stopped }

    /// Completes a trial with its final value (non-finite values are recorded, never best).
    public mutating func tell(_ trial: StudyTrial, value: Double) {
        precondition(ledger.entries.indices.contains(trial.id), "Study.tell: unknown trial \(trial.id)")
        ledger.finish(trial.id, state: .completed, finalValue: value)
        persistQuietly(.told(trial: trial.id, value: value))
    }

    /// Marks a trial failed; its intermediate values still count.
    public mutating func tell(_ trial: StudyTrial, failure reason: String) {
        precondition(ledger.entries.indices.contains(trial.id), "Study.tell: unknown trial \(trial.id)")
        guard ledger.entries[trial.id].state.isPending else { return }
        ledger.finish(trial.id, state: .failed)
        failureReasons[trial.id] = reason
        persistQuietly(.failed(trial: trial.id, reason: reason))
    }

    /// The best trial so far by ranking value (ties: the earlier trial).
    public var bestRecord: StudyRecord? { ledger.best.map { record(of: ledger.entries[$0.id]) } }

    /// The best ranking value so far.
    public var bestValue: Double? { ledger.best?.value }

    private func record(of entry: TrialLedger.Entry) -> StudyRecord {
        let state: StudyRecord.State
        switch entry.state {
        case .pending, .running: state = .running
        case .completed: state = .completed
        case .stopped: state = .pruned
        case .failed, .cancelled: state = .failed
        }
        return StudyRecord(trial: StudyTrial(id: entry.id, configuration: entry.configuration, origin: origins[entry.id]), state: state,
                           intermediateValues: entry.reports, finalValue: entry.finalValue,
                           stopDecision: entry.stopDecision, failureReason: failureReasons[entry.id])
    }
}

/// Errors of the ask/tell API.
public enum StudyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A finite search space has no unused configuration left.
    case searchSpaceExhausted(trials: Int)
    /// The study's ``StudyStorage`` failed to record a step; reopen the study from its storage.
    case storageFailed(String)
    /// A storage's records do not replay onto this study (another space, or damaged).
    case storageMismatch(String)

    public var description: String {
        switch self {
        case .searchSpaceExhausted(let n): return "the search space is used up after \(n) trials"
        case .storageFailed(let why): return "the study's storage failed: \(why); reopen the study from its storage"
        case .storageMismatch(let why): return "the study's storage cannot be replayed onto this study: \(why)"
        }
    }
}
