import Foundation
import Synchronization

/// One step of a ``Study``, as a ``StudyStorage`` records it. Replaying a study's steps in
/// order rebuilds it exactly: its trials and their states, reports and stop decisions, the
/// queue, the warm start, and the sampler's state after its last suggestion.
public enum StudyEvent: Sendable, Equatable, Codable {
    /// ``Study/ask()`` handed out `trial` (the sampler's suggestion, with what it said and its
    /// state after it, or an enqueued configuration).
    case asked(trial: Int, configuration: Configuration, origin: TrialOrigin, diagnostics: [SamplerDiagnostic], samplerState: SamplerState?)
    /// ``Study/report(_:value:)``; `stop` is the policy's decision when it stopped the trial.
    case reported(trial: Int, value: Double, stop: TerminationDecision?)
    /// ``Study/tell(_:value:)``.
    case told(trial: Int, value: Double)
    /// ``Study/tell(_:failure:)``.
    case failed(trial: Int, reason: String)
    /// ``Study/enqueue(_:)`` (the configuration in canonical form).
    case enqueued(Configuration)
    /// ``Study/add(completed:value:intermediateValues:)``.
    case added(trial: Int, configuration: Configuration, value: Double, intermediateValues: [Double])
    /// ``Study/warmStart(with:source:)``: the trials used, in this space.
    case warmStarted([WarmStartTrial])
}

/// Where a persistent ``Study`` records its steps, so that it can be opened again — in another
/// launch of the app — and continue exactly where it stopped
/// (``Study/init(space:goal:sampler:policy:storage:)``).
///
/// A storage is an append-only log of ``StudyEvent``s. ``InMemoryStudyStorage`` keeps them in
/// memory (tests, one process); hdbench's `OptimizerSweep` module has `SQLiteStudyStorage`,
/// a file that survives the process. Any other durable log works: a storage must return from
/// ``events()`` exactly what was appended, in order, across launches.
public protocol StudyStorage: Sendable {
    /// Every event appended so far, oldest first.
    func events() throws -> [StudyEvent]
    /// Appends `event` durably: once this returns, ``events()`` returns it, also after a crash.
    func append(_ event: StudyEvent) throws
}

/// A ``StudyStorage`` in memory: survives reopening the study in this process only.
public final class InMemoryStudyStorage: StudyStorage {
    private let log: Mutex<[StudyEvent]>

    public init(events: [StudyEvent] = []) {
        log = Mutex(events)
    }

    public func events() -> [StudyEvent] {
        log.withLock { $0 }
    }

    public func append(_ event: StudyEvent) {
        log.withLock { $0.append(event) }
    }
}

extension Study {
    /// Opens a persistent study on `storage`: a new one when the storage is empty, else the
    /// study recorded there, rebuilt by replaying its steps (trials, reports, stop decisions,
    /// failures, the queue, the warm start) and with the sampler's state restored from its last
    /// suggestion (``Sampler/restore(_:)``) — so a seeded sampler proposes next what it would
    /// have proposed had the study never stopped. Every later step is appended to `storage` as
    /// it happens.
    ///
    /// Trials that were running when the study stopped are running again after it is opened:
    /// tell them (or ``tell(_:failure:)``) with the ``StudyTrial`` from ``records``.
    ///
    /// - Parameters:
    ///   - space: the space the study was created with (the storage records steps, not the
    ///     study's setup: pass the same space, goal, sampler and policy).
    ///   - goal: its goal.
    ///   - sampler: its sampler (a seeded one continues exactly).
    ///   - policy: its early-termination policy.
    ///   - storage: where the steps are recorded.
    /// - Throws: ``ConfigurationError`` for an invalid sampler; ``StudyError/storageMismatch(_:)``
    ///   when the recorded steps do not fit this space; the storage's errors.
    public init(space: SearchSpace, goal: PrimaryMetricGoal, sampler: SamplerChoice = .random(),
                policy: any EarlyTerminationPolicy = NoTerminationPolicy(), storage: any StudyStorage) throws {
        try self.init(space: space, goal: goal, sampler: sampler, policy: policy)
        var lastState: SamplerState?
        for (position, event) in try storage.events().enumerated() {
            try replay(event, position: position, lastState: &lastState)
        }
        if let lastState { try self.sampler.restore(lastState) }
        self.storage = storage
    }

    /// Records a step before it is applied; a failure leaves the study unchanged.
    mutating func persist(_ event: StudyEvent) throws {
        guard let storage else { return }
        try storage.append(event)
    }

    /// Records a step that has been applied and cannot throw; a failure is kept in
    /// ``storageFailure`` and thrown by the next ``ask()``.
    mutating func persistQuietly(_ event: StudyEvent) {
        guard let storage, storageFailure == nil else { return }
        do { try storage.append(event) } catch { storageFailure = "\(error)" }
    }

    private mutating func replay(_ event: StudyEvent, position: Int, lastState: inout SamplerState?) throws {
        func mismatch(_ why: String) -> StudyError { .storageMismatch("step \(position + 1): \(why)") }
        func check(_ trial: Int) throws {
            guard ledger.entries.indices.contains(trial) else { throw mismatch("trial \(trial) was never asked for") }
        }
        func validated(_ configuration: Configuration) throws -> Configuration {
            switch space.configuration(validating: configuration) {
            case .success(let c): return c
            case .failure(let error): throw mismatch("a configuration does not fit this search space (\(error.problems[0]))")
            }
        }
        switch event {
        case .asked(let trial, let configuration, let origin, let diagnostics, let state):
            guard trial == ledger.entries.count else { throw mismatch("trial \(trial) asked for as trial \(ledger.entries.count)") }
            let canonical = try validated(configuration)
            if origin == .enqueued {
                guard queue.first == canonical else { throw mismatch("trial \(trial) was not the first enqueued configuration") }
                queue.removeFirst()
            }
            _ = addRunning(canonical, origin: origin, diagnostics: diagnostics)
            if let state { lastState = state }
        case .reported(let trial, let value, let stop):
            try check(trial)
            ledger.report(trial, value: value)
            if let stop, ledger.entries[trial].state == .running { ledger.stop(trial, decision: stop) }
        case .told(let trial, let value):
            try check(trial)
            ledger.finish(trial, state: .completed, finalValue: value)
        case .failed(let trial, let reason):
            try check(trial)
            if ledger.entries[trial].state.isPending {
                ledger.finish(trial, state: .failed)
                failureReasons[trial] = reason
            }
        case .enqueued(let configuration):
            queue.append(try validated(configuration))
        case .added(let trial, let configuration, let value, let intermediateValues):
            guard trial == ledger.entries.count else { throw mismatch("trial \(trial) added as trial \(ledger.entries.count)") }
            _ = addCompleted(try validated(configuration), value: value, intermediateValues: intermediateValues)
        case .warmStarted(let trials):
            appendWarmStart(try trials.map { WarmStartTrial(configuration: try validated($0.configuration), value: $0.value) })
        }
    }
}
