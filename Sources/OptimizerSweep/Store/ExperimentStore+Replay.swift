public import Foundation
public import Optimizer

// Reading a recorded experiment back as a ``ReplayInput`` (HyperDriveSemantics.md §Extensions
// beyond Azure: replaying a finished sweep's curves under other policies).

/// A stored experiment prepared for ``replay(experiment:policy:)``: its curves as a
/// ``ReplayInput`` plus what the store knows that qualifies a replay (interrupted, unfinished
/// or never-started trials, a sweep still running).
public struct StoredReplay: Sendable, Equatable {
    /// The experiment's primary metric and goal.
    public var objective: Objective
    /// The recorded curves, trials in start order, times in seconds since ``sweepStart``.
    public var input: ReplayInput
    /// The time origin: when the first trial started.
    public var sweepStart: Date
    /// `true` when an hdbench process was running the sweep when the store was read: the
    /// curves are a moment's view, and the last trials' ends are not known yet.
    public var sweepWasRunning: Bool
    /// Caveats about how the store was read, added to every replay's ``ReplayResult/notes``.
    public var notes: [String]

    /// A prepared replay; ``ExperimentStore/storedReplay()`` builds these.
    public init(objective: Objective, input: ReplayInput, sweepStart: Date, sweepWasRunning: Bool, notes: [String]) {
        self.objective = objective
        self.input = input
        self.sweepStart = sweepStart
        self.sweepWasRunning = sweepWasRunning
        self.notes = notes
    }

    /// Replays `policy` on the recorded curves (``replay(experiment:policy:)``), with this
    /// store's notes appended to the result's.
    public func result(for policy: any EarlyTerminationPolicy) -> ReplayResult {
        var result = replay(experiment: input, policy: policy)
        result.notes += notes
        return result
    }

    /// `hdbench replay --json`: the keys of ``ReplayResult`` in its order (`policy`, `stopped`,
    /// `reports_saved_percent`, `seconds_saved_percent`, `best_without`, `best_with`, `loss`,
    /// `stops`, `reports_total`, `reports_saved`, `trial_seconds_total`, `seconds_saved`,
    /// `best_trial_without`, `best_trial_with`, `incomplete_trials`, `notes`), then
    /// `experiment`, `primary_metric`, `goal`, `trials`, `max_concurrent_trials`. Missing values
    /// are `null`; decoding it as a ``ReplayResult`` gives `result` back.
    public func json(_ result: ReplayResult, experiment: URL) -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
        func integer(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        let stops: [JSONValue] = result.stops.map { stop in
            .object([
                ("trial", .int(stop.trial)), ("report", .int(stop.report)), ("time", .number(stop.time)),
                ("reports_saved", .int(stop.reportsSaved)), ("seconds_saved", .number(stop.secondsSaved)),
                ("reason", .string(stop.reason)),
            ])
        }
        return .object([
            ("policy", .string(result.policy)),
            ("stopped", .array(result.stopped.map(JSONValue.int))),
            ("reports_saved_percent", .number(result.reportsSavedPercent)),
            ("seconds_saved_percent", .number(result.secondsSavedPercent)),
            ("best_without", number(result.bestWithout)),
            ("best_with", number(result.bestWith)),
            ("loss", number(result.loss)),
            ("stops", .array(stops)),
            ("reports_total", .int(result.reportsTotal)),
            ("reports_saved", .int(result.reportsSaved)),
            ("trial_seconds_total", .number(result.trialSecondsTotal)),
            ("seconds_saved", .number(result.secondsSaved)),
            ("best_trial_without", integer(result.bestTrialWithout)),
            ("best_trial_with", integer(result.bestTrialWith)),
            ("incomplete_trials", .array(result.incompleteTrials.map(JSONValue.int))),
            ("notes", .array(result.notes.map(JSONValue.string))),
            ("experiment", .string(experiment.path)),
            ("primary_metric", .string(objective.primaryMetric)),
            ("goal", .string(objective.goal.rawValue)),
            ("trials", .int(input.trials.count)),
            ("max_concurrent_trials", integer(input.maxConcurrentTrials)),
        ])
    }
}

extension ExperimentStore {
    /// The recorded primary-metric curves of this experiment, ready to replay under another
    /// early-termination policy.
    ///
    /// How the store becomes a ``ReplayInput``:
    /// - goal and primary metric: the experiment's stored objective;
    /// - trials: every trial that started, in start order (id breaks ties); trials that never
    ///   started (spawn failures) have no curve and are left out, with a note;
    /// - reports: the trial's primary-metric values in report order, without cross-channel
    ///   duplicates and without values logged after a stop decision (neither counted in the
    ///   recorded run either); non-finite values are kept (they count as reports);
    /// - times: seconds since the first trial started, from each report's stored time (when
    ///   hdbench read it) and the trials' start and end times; a trial without an end time
    ///   (still running, or hdbench was killed before the resume that marks it) ends at its
    ///   last report;
    /// - `max_concurrent_trials`: the effective limit stored with the resolved configuration;
    /// - `stoppedByPolicy`: the trials with a stored stop decision (their curves are
    ///   incomplete). Trials interrupted by hdbench stopping (re-run after `--resume`) also have
    ///   incomplete curves; they stay in, as they ran, and a note names them.
    ///
    /// - Throws: ``ExperimentStoreError/notAnExperiment(_:)`` when the store holds none;
    ///   database errors.
    public func storedReplay() throws -> StoredReplay {
        guard let experiment = try experiment() else { throw ExperimentStoreError.notAnExperiment(directory.path) }
        let objective = experiment.objective
        let running = isSweepRunning()
        let stopDecisions = Set(try stopDecisions().map(\.trial))
        let reportsByTrial = Dictionary(grouping: try metrics(name: objective.primaryMetric)
            .filter { !$0.duplicate && !$0.afterStop && $0.reportIndex != nil }, by: \.trial)

        let allTrials = try trials()
        let started = allTrials.compactMap { trial in trial.started.map { (trial, $0) } }
            .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
        let origin = started.first?.1 ?? experiment.created
        func seconds(_ date: Date) -> Double { date.timeIntervalSince(origin) }

        var replayTrials: [ReplayTrial] = []
        var unfinished: [Int] = []
        for (trial, start) in started {
            let records = (reportsByTrial[trial.id] ?? []).sorted { ($0.reportIndex ?? 0) < ($1.reportIndex ?? 0) }
            let reports = records.map { ReplayReport(value: $0.value, time: seconds($0.time)) }
            let end: Double
            if let ended = trial.ended, trial.status.isFinished {
                end = seconds(ended)
            } else {
                unfinished.append(trial.id)
                end = max(seconds(start), reports.last?.time ?? seconds(start))
            }
            replayTrials.append(ReplayTrial(trial: trial.id, startTime: seconds(start), endTime: end, reports: reports,
                                            stoppedByPolicy: stopDecisions.contains(trial.id)))
        }

        var notes: [String] = []
        if running {
            notes.append("the sweep was still running when the store was read: its curves are those logged so far")
        }
        if !unfinished.isEmpty {
            notes.append("trials \(unfinished) had not finished (running, or hdbench stopped before marking them); each is taken to end at its last report")
        }
        let interrupted = allTrials.filter { $0.status == .interrupted }
        if !interrupted.isEmpty {
            let reruns = allTrials.filter { $0.rerunOf != nil }.map(\.id)
            notes.append("trials \(interrupted.map(\.id)) were interrupted (hdbench stopped) and their parameters run again\(reruns.isEmpty ? "" : " as trials \(reruns)"); their curves end early and are replayed as recorded")
        }
        let neverStarted = allTrials.filter { $0.started == nil && $0.status.isFinished }.map(\.id)
        if !neverStarted.isEmpty {
            notes.append("trials \(neverStarted) never started and are left out")
        }
        let input = ReplayInput(goal: objective.goal,
                                maxConcurrentTrials: experiment.resolvedConfiguration?.limits.maxConcurrentTrials,
                                trials: replayTrials)
        return StoredReplay(objective: objective, input: input, sweepStart: origin, sweepWasRunning: running, notes: notes)
    }
}
