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

/// One trial handed out by ``Study/ask()``.
public struct StudyTrial: Sendable, Hashable, Identifiable {
    /// 0-based trial number, in the order trials were asked for.
    public let id: Int
    /// The values to evaluate.
    public let configuration: Configuration

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
public struct Study: Sendable {
    public let space: SearchSpace
    public let goal: PrimaryMetricGoal
    /// Every trial, its state, reports and stop decision: what the sampler and the policy are
    /// told (``TrialLedger/history``, ``TrialLedger/snapshot``).
    public private(set) var ledger: TrialLedger
    /// What the sampler said about each suggestion (initial design, model fit, fallbacks), by
    /// trial id.
    public private(set) var diagnostics: [[SamplerDiagnostic]] = []
    private var sampler: any Sampler
    private let policy: any EarlyTerminationPolicy
    private var failureReasons: [Int: String] = [:]

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

    /// The sampler's view of the study: every trial, running ones as pending.
    public var history: SamplerHistory { ledger.history }

    /// Proposes the next trial.
    /// - Throws: ``StudyError/searchSpaceExhausted(trials:)`` when a finite space is used up (or the
    ///   grid is done); rethrows sampler errors.
    public mutating func ask() throws -> StudyTrial {
        let index = ledger.nextProposal
        guard let suggestion = try sampler.suggestion(history: ledger.history, trialIndex: index) else {
            throw StudyError.searchSpaceExhausted(trials: index)
        }
        let id = ledger.add(suggestion.configuration, state: .running)
        diagnostics.append(suggestion.diagnostics)
        return StudyTrial(id: id, configuration: suggestion.configuration)
    }

    /// Reports an intermediate value of a running trial and returns the policy's decision.
    /// A `.stop` decision marks the trial pruned; its reports still count for ranking.
    @discardableResult
    public mutating func report(_ trial: StudyTrial, value: Double) -> TerminationDecision {
        precondition(ledger.entries.indices.contains(trial.id), "Study.report: unknown trial \(trial.id)")
        return ledger.report(trial.id, value: value, policy: policy)
    }

    /// Whether the policy has stopped this trial.
    public func shouldPrune(_ trial: StudyTrial) -> Bool { ledger.entries[trial.id].state == .stopped }

    /// Completes a trial with its final value (non-finite values are recorded, never best).
    public mutating func tell(_ trial: StudyTrial, value: Double) {
        precondition(ledger.entries.indices.contains(trial.id), "Study.tell: unknown trial \(trial.id)")
        ledger.finish(trial.id, state: .completed, finalValue: value)
    }

    /// Marks a trial failed; its intermediate values still count.
    public mutating func tell(_ trial: StudyTrial, failure reason: String) {
        precondition(ledger.entries.indices.contains(trial.id), "Study.tell: unknown trial \(trial.id)")
        guard ledger.entries[trial.id].state.isPending else { return }
        ledger.finish(trial.id, state: .failed)
        failureReasons[trial.id] = reason
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
        return StudyRecord(trial: StudyTrial(id: entry.id, configuration: entry.configuration), state: state,
                           intermediateValues: entry.reports, finalValue: entry.finalValue,
                           stopDecision: entry.stopDecision, failureReason: failureReasons[entry.id])
    }
}

/// Errors of the ask/tell API.
public enum StudyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A finite search space has no unused configuration left.
    case searchSpaceExhausted(trials: Int)

    public var description: String {
        switch self {
        case .searchSpaceExhausted(let n): return "the search space is used up after \(n) trials"
        }
    }
}
