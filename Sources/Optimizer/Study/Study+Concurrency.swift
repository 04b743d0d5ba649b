/// Thrown by an objective to end its trial early after ``TrialContext/report(_:)`` said stop.
public struct TrialPruned: Error, Sendable {
    public init() {}
}

/// What an objective run by ``Study/optimize(trials:concurrency:objective:)`` sees.
public struct TrialContext: Sendable {
    /// The trial to evaluate.
    public let trial: StudyTrial
    let coordinator: StudyCoordinator

    /// Reports an intermediate value and returns the policy's decision; on `.stop`, return
    /// (or throw ``TrialPruned``) — the trial is already marked pruned.
    public func report(_ value: Double) async -> TerminationDecision {
        await coordinator.report(trial, value: value)
    }
}

/// Owns the study while concurrent objectives run.
actor StudyCoordinator {
    var study: Study
    init(study: Study) { self.study = study }
    func ask() throws -> StudyTrial { try study.ask() }
    func report(_ trial: StudyTrial, value: Double) -> TerminationDecision { study.report(trial, value: value) }
    func tell(_ trial: StudyTrial, value: Double) { study.tell(trial, value: value) }
    func tell(_ trial: StudyTrial, failure: String) { study.tell(trial, failure: failure) }
}

extension Study {
    /// Runs `objective` on `trials` new trials, at most `concurrency` at a time, asking for a
    /// new trial as soon as one finishes (so the sampler sees the others as pending).
    ///
    /// An objective that throws ``TrialPruned`` ends its trial as pruned; any other error marks
    /// the trial failed with the error's description and the study goes on. Stops early when a
    /// finite space is used up.
    public mutating func optimize(trials: Int, concurrency: Int = 1,
                                  objective: @escaping @Sendable (TrialContext) async throws -> Double) async throws {
        self = try await optimizing(trials: trials, concurrency: concurrency, objective: objective)
    }

    /// ``optimize(trials:concurrency:objective:)`` returning the updated study instead of
    /// mutating this one (convenient from top-level code and actors).
    public func optimizing(trials: Int, concurrency: Int = 1,
                           objective: @escaping @Sendable (TrialContext) async throws -> Double) async throws -> Study {
        precondition(trials >= 0 && concurrency >= 1, "Study.optimize: trials \(trials), concurrency \(concurrency)")
        let coordinator = StudyCoordinator(study: self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started = 0
            var running = 0
            func launch() async throws -> Bool {
                let trial: StudyTrial
                do { trial = try await coordinator.ask() } catch StudyError.searchSpaceExhausted { return false }
                started += 1
                running += 1
                group.addTask {
                    let context = TrialContext(trial: trial, coordinator: coordinator)
                    do {
                        let value = try await objective(context)
                        await coordinator.tell(trial, value: value)
                    } catch is TrialPruned {
                        // Already marked pruned by report().
                    } catch {
                        await coordinator.tell(trial, failure: String(describing: error))
                    }
                }
                return true
            }
            var exhausted = false
            while started < trials && running < concurrency && !exhausted {
                exhausted = try await !launch()
            }
            while running > 0 {
                try await group.next()
                running -= 1
                if started < trials && !exhausted { exhausted = try await !launch() }
            }
        }
        return await coordinator.study
    }
}
