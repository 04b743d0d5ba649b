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
    /// Every trial asked for so far, by id.
    public private(set) var records: [StudyRecord] = []
    private var sampler: any Sampler
    private var monitor: PruningMonitor

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
        self.monitor = PruningMonitor(goal: goal, policy: policy)
    }

    /// The sampler's view of the study: every trial, running ones as pending.
    public var history: SamplerHistory {
        SamplerHistory(goal: goal, observations: records.map {
            SamplerObservation(trial: $0.trial.id, configuration: $0.trial.configuration,
                               value: $0.rankingValue(goal: goal), isPending: $0.state == .running,
                               isPartial: $0.state == .pruned)
        })
    }

    /// Proposes the next trial.
    /// - Throws: ``StudyError/searchSpaceExhausted(trials:)`` when a finite space is used up (or the
    ///   grid is done); rethrows sampler errors.
    public mutating func ask() throws -> StudyTrial {
        let id = records.count
        guard let configuration = try sampler.suggest(history: history, trialIndex: id) else {
            throw StudyError.searchSpaceExhausted(trials: id)
        }
        let trial = StudyTrial(id: id, configuration: configuration)
        records.append(StudyRecord(trial: trial, state: .running, intermediateValues: []))
        return trial
    }

    /// Reports an intermediate value of a running trial and returns the policy's decision.
    /// A `.stop` decision marks the trial pruned; its reports still count for ranking.
    @discardableResult
    public mutating func report(_ trial: StudyTrial, value: Double) -> TerminationDecision {
        precondition(records.indices.contains(trial.id), "Study.report: unknown trial \(trial.id)")
        let decision = monitor.report(trial: trial.id, value: value)
        if records[trial.id].state == .running {
            records[trial.id].intermediateValues.append(value)
            if decision.shouldStop {
                records[trial.id].state = .pruned
                records[trial.id].stopDecision = decision
                monitor.finish(trial: trial.id)
            }
        }
        return decision
    }

    /// Whether the policy has stopped this trial.
    public func shouldPrune(_ trial: StudyTrial) -> Bool { records[trial.id].state == .pruned }

    /// Completes a trial with its final value (non-finite values are recorded, never best).
    public mutating func tell(_ trial: StudyTrial, value: Double) {
        precondition(records.indices.contains(trial.id), "Study.tell: unknown trial \(trial.id)")
        records[trial.id].finalValue = value
        if records[trial.id].state == .running {
            records[trial.id].state = .completed
            monitor.finish(trial: trial.id)
        }
    }

    /// Marks a trial failed; its intermediate values still count.
    public mutating func tell(_ trial: StudyTrial, failure reason: String) {
        precondition(records.indices.contains(trial.id), "Study.tell: unknown trial \(trial.id)")
        if records[trial.id].state == .running {
            records[trial.id].state = .failed
            records[trial.id].failureReason = reason
            monitor.finish(trial: trial.id)
        }
    }

    /// The best trial so far by ranking value (ties: the earlier trial).
    public var bestRecord: StudyRecord? {
        var best: (StudyRecord, Double)?
        for r in records {
            guard let v = r.rankingValue(goal: goal) else { continue }
            if best == nil || goal.isBetter(v, than: best!.1) { best = (r, v) }
        }
        return best?.0
    }

    /// The best ranking value so far.
    public var bestValue: Double? { bestRecord?.rankingValue(goal: goal) }
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
