#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
public import Optimizer

/// Runs a sweep on this machine: proposes configurations, runs each as a trial process,
/// collects its metrics, applies limits and early termination, and records everything in an
/// ``ExperimentStore`` as it happens.
///
/// One actor owns the running experiment's mutable state. ``run(events:)`` is a polling loop
/// (every ``SweepOptions/pollInterval``): start trials while slots are free, read new metric
/// lines, consult the early-termination hook, reap finished processes, enforce timeouts, and
/// commit what was read. The sampler is asked for a new configuration as soon as a slot frees,
/// with running trials in its history as pending.
///
/// The code: when the sweep starts, `trial.code` is snapshotted once into
/// `<experiment>/snapshot` (``CodeSnapshot``; `.amlignore`, else `.gitignore`, excludes files),
/// recorded in the store and reused by a resumed sweep; each trial runs in its own working copy
/// `<experiment>/trials/<id>/workdir/` (``SweepOptions/workingCopy``), in which `outputs/` and
/// `logs/` exist, as on Azure.
///
/// Trials run through a ``TrialExecutor`` (``LocalProcessExecutor`` by default: each trial is
/// `/bin/sh -c <command>` in its working copy, leading its own process group), with their
/// folder `<experiment>/trials/<id>/` (`stdout.log`, `stderr.log`, `metrics.jsonl`,
/// `mlruns/`, `outputs/<name>/`, `workdir/`), with the parent environment plus `AZUREML_SWEEP_<name>`,
/// `HDBENCH_METRICS_FILE`, `HDBENCH_TRIAL_ID`, `MLFLOW_TRACKING_URI` (a per-trial file store;
/// `MLFLOW_ALLOW_FILE_STORE=true`, which MLflow ≥ 3 needs for it) and then the user's
/// `environment_variables` (which win on a clash); last, unless the sweep turns it off, the
/// offline `azureml.core.Run` module (``AzureMLRunShim``) goes first on `PYTHONPATH`.
///
/// Cancelling a trial (policy stop, `trial_timeout`, sweep `timeout`, ``requestStop(reason:)``)
/// asks the executor to terminate it (SIGTERM to all its processes), waits
/// ``SweepOptions/gracePeriod``, then to kill it. When a trial's command exits but processes it
/// started remain, they are cancelled the same way: no trial leaves a process behind (see
/// ``LocalProcessExecutor`` for how its processes are found and orphans reaped).
///
/// The sampler runs off the loop: a suggestion is computed on a worker thread while the loop
/// keeps polling, reading metrics, enforcing timeouts and answering ``requestStop(reason:)``,
/// so a Gaussian-process fit that takes seconds never delays a timeout or a policy's stop.
/// What the sampler says about each suggestion (``Suggestion/diagnostics``) and its state are
/// stored per proposal; fallbacks are also recorded as diagnostics of the trial.
///
/// Resume: running a store that already holds trials continues it. Finished trials are kept;
/// trials that were queued or running (hdbench was killed) are marked
/// ``TrialStatus/interrupted`` and their parameters run again as new trials (same proposal
/// index, `rerunOf` pointing at the original); the sampler then continues from the stored
/// history, its state restored from the last stored suggestion (``Sampler/restore(_:)``), so a
/// resumed sweep proposes what the uninterrupted one would have.
/// `max_total_trials` counts proposals, so re-runs do not use up the budget; the sweep
/// `timeout` counts from the start of each run of hdbench (a resumed sweep gets it afresh).
///
/// Ranking: a trial's value is its best finite primary-metric report logged before any stop
/// decision; failed, cancelled and interrupted trials that logged one count; ties go to the
/// earlier trial.
///
/// What a sweep starts from (``SweepStart``): enqueued configurations run first, in order, each
/// once, as proposals (counted in `max_total_trials`, recorded with origin
/// ``TrialOrigin/enqueued``); warm-start trials of earlier experiments come before the sweep's
/// own in the sampler's history (``SamplerHistory/warmStartCount``) and are not counted. Both
/// are recorded in the store when the sweep starts and read back from it on `--resume`, so the
/// rest of the queue still runs and the sampler knows what it knew.
///
/// Target (``SweepDefinition/target``): the first primary-metric report that reaches it ends
/// the sweep as completed, with the reason recorded; running trials are cancelled as by the
/// sweep `timeout`.
public actor SweepRunner {
    /// The sweep being run.
    public nonisolated let definition: SweepDefinition
    /// Where everything is recorded.
    public nonisolated let store: ExperimentStore
    /// How trials run on this machine.
    public nonisolated let options: SweepOptions
    /// Where trials run.
    public nonisolated let executor: any TrialExecutor
    private var sampler: any Sampler
    private let rendering: TrialRendering
    private let earlyTermination: EarlyTerminationHook?

    private let concurrency: Int
    private var trials: [Int: TrialRecord] = [:]
    private var running: [Int: RunningTrial] = [:]
    /// Trials, their states and primary-metric curves (before any stop, duplicates removed):
    /// what the sampler and the early-termination hook are told.
    private var ledger: TrialLedger
    /// Next report index per trial and metric name.
    private var reportCounts: [Int: [String: Int]] = [:]
    private var rerunQueue: [TrialRecord] = []
    /// What the sweep starts from, as given (used unless the store recorded it already).
    private let start: SweepStart
    /// Enqueued configurations not run yet, in order.
    private var queue: [Configuration] = []
    private var nextTrialID = 0
    /// Device slots not held by a running trial.
    private var freeSlots: [String]
    /// Trials in a row the executor refused to start.
    private var consecutiveStartFailures = 0
    /// The suggestion being computed off the loop, if any.
    private var inFlight: SuggestionJob?
    /// Wakes the loop early (a suggestion is ready).
    private let wakeup = Wakeup()
    private var samplerDone: String?
    private var end: (status: ExperimentRecord.Status, reason: String)?
    private var hasRun = false
    /// The snapshot every working copy is made from (set when the sweep starts).
    private var snapshotDirectory: URL?
    /// The folder put first on trials' `PYTHONPATH` (``AzureMLRunShim``), when on.
    private var shimDirectory: URL?
    /// Why the code could not be snapshotted, if it could not (every trial then fails).
    private var snapshotFailure: String?

    private var pendingMetrics: [MetricRecord] = []
    private var pendingDiagnostics: [DiagnosticRecord] = []
    private var pendingDecisions: [StopDecisionRecord] = []
    /// Events wait here until what they report is committed, so anything a listener has seen
    /// is in the store even if hdbench is killed right after.
    private var pendingEvents: [SweepEvent] = []
    private var listener: @Sendable (SweepEvent) -> Void = { _ in }

    /// - Parameters:
    ///   - definition: the sweep (limits, objective, trial command, early-termination spec).
    ///   - sampler: proposes configurations; asked with the full history each time.
    ///   - store: the experiment store; one holding trials is resumed.
    ///   - options: concurrency default, grace period, polling, base environment.
    ///   - rendering: turns a configuration into the command and environment values.
    ///   - earlyTermination: consulted on every new primary-metric report; `nil` for none.
    ///   - executor: where trials run (this machine's processes by default).
    ///   - start: configurations to run first and warm-start trials; a store that recorded them
    ///     (a resumed sweep) keeps its own.
    public init(
        definition: SweepDefinition,
        sampler: any Sampler,
        store: ExperimentStore,
        options: SweepOptions = SweepOptions(),
        rendering: TrialRendering,
        earlyTermination: EarlyTerminationHook? = nil,
        executor: any TrialExecutor = LocalProcessExecutor(),
        start: SweepStart = SweepStart()
    ) {
        self.definition = definition
        self.start = start
        self.sampler = sampler
        self.executor = executor
        self.ledger = TrialLedger(goal: definition.objective.goal)
        self.freeSlots = options.deviceSlots
        self.store = store
        self.options = options
        self.rendering = rendering
        self.earlyTermination = earlyTermination
        concurrency = options.effectiveConcurrency(for: definition.limits)
    }

    /// Asks the sweep to end: no new trials; running trials are cancelled (SIGTERM, grace,
    /// SIGKILL) and recorded as ``TrialStatus/interrupted`` so `--resume` runs them again.
    /// ``run(events:)`` then returns with status ``ExperimentRecord/Status/interrupted``.
    public func requestStop(reason: String) {
        guard end == nil else { return }
        end = (.interrupted, reason)
        cancelAll(status: .interrupted, reason: "sweep interrupted (\(reason)); --resume runs these parameters again")
    }

    /// Runs the sweep to its end and returns the summary. Call once.
    ///
    /// Ends when `max_total_trials` configurations have run, the sampler has no more, the
    /// sweep `timeout` passes, or ``requestStop(reason:)`` is called (also on task
    /// cancellation). Trial failures never end the sweep; a store that cannot be written does
    /// (running trials are killed first).
    public func run(events: @escaping @Sendable (SweepEvent) -> Void = { _ in }) async throws -> SweepSummary {
        precondition(!hasRun, "SweepRunner.run(events:) may be called once")
        hasRun = true
        listener = events
        let startTime = Date()
        executor.prepare()
        defer { executor.shutdown() }
        let lock = try ExperimentLock(directory: store.directory)
        defer { withExtendedLifetime(lock) {} }

        let configuration = ResolvedSweepConfiguration(definition: definition, options: options).jsonString()
        try store.initialize(ExperimentRecord(yaml: definition.sourceYAML, configurationJSON: configuration,
                                              objective: definition.objective))
        try store.setExperimentStatus(.running, reason: nil, configurationJSON: configuration)
        let resumed = try recover()
        try prepareStart()
        emit(.sweepStarted(directory: store.directory, resumed: resumed, concurrency: concurrency))
        try prepareCode()
        for warning in definition.warnings {
            record(DiagnosticRecord(trial: nil, message: warning))
        }
        try flush()
        deliverEvents()

        let deadline = definition.limits.timeout.map { startTime.addingTimeInterval($0) }
        do {
            while true {
                let now = Date()
                if end == nil, let deadline, now >= deadline {
                    end = (.timedOut, "timeout of \(Self.seconds(definition.limits.timeout ?? 0)) reached")
                    cancelAll(status: .cancelled, reason: "sweep timeout of \(Self.seconds(definition.limits.timeout ?? 0)) reached")
                }
                if end == nil && Task.isCancelled {
                    requestStop(reason: "task cancelled")
                }
                if end == nil { try startTrials() }
                try pollRunning()
                try flush()
                deliverEvents()
                if running.isEmpty && (end != nil || (!canStartMore && inFlight == nil)) { break }
                await wakeup.wait(timeout: options.pollInterval)
            }
        } catch {
            killAll()
            try? flush()
            deliverEvents()
            try? store.setExperimentStatus(.failed, reason: "\(error)")
            throw error
        }

        let (status, reason) = end ?? (.completed, samplerDone ?? "all \(definition.limits.maxTotalTrials) trials run")
        try flush()
        deliverEvents()
        try store.setExperimentStatus(status, reason: reason)
        let results = try store.results()
        return SweepSummary(directory: store.directory, objective: definition.objective, status: status, reason: reason,
                            trials: results, best: TrialResult.best(of: results, goal: definition.objective.goal),
                            elapsed: Date().timeIntervalSince(startTime))
    }

    // MARK: - Code

    /// Records the overrides, takes the code snapshot (or reuses the recorded one: a resumed
    /// sweep runs the code it started with) and installs the `azureml.core.Run` shim.
    private func prepareCode() throws {
        try store.setOverrides(definition.overrides)
        if let stored = try store.codeSnapshot(), FileManager.default.fileExists(atPath: stored.directory) {
            snapshotDirectory = URL(fileURLWithPath: stored.directory)
            emit(.codeSnapshot(stored, reused: true))
        } else {
            do {
                let record = try CodeSnapshot.take(source: definition.trial.codeDirectory, file: definition.trial.codeFile,
                                                   experiment: store.directory)
                try store.setCodeSnapshot(record)
                snapshotDirectory = URL(fileURLWithPath: record.directory)
                emit(.codeSnapshot(record, reused: false))
            } catch let failure as FileTreeCopier.Failure {
                // Trial failures never end the sweep: every trial fails with this reason.
                snapshotFailure = failure.description
                record(DiagnosticRecord(trial: nil, message: "cannot snapshot the code: \(failure.description)"))
            }
        }
        if definition.azuremlRunShim {
            shimDirectory = try AzureMLRunShim.install(in: store.directory)
        }
    }

    // MARK: - Queue, warm start, target

    /// Records the queue and the warm start when the store has none yet, else uses the stored
    /// ones; drops the enqueued configurations that have run; ends the sweep at once when a
    /// resumed sweep's best already reaches its target.
    private func prepareStart() throws {
        var enqueued = try store.enqueued()
        var warmStart = try store.warmStart()
        if enqueued.isEmpty && warmStart.isEmpty {
            try store.recordStart(enqueued: start.enqueued, warmStart: start.warmStart)
            enqueued = start.enqueued
            warmStart = start.warmStart
            for source in warmStart { record(DiagnosticRecord(trial: nil, message: source.summary.line)) }
        }
        // Enqueued configurations run first, one proposal each: those with a proposal have run.
        let ran = Set(trials.values.filter { $0.origin == .enqueued }.map(\.proposal)).count
        queue = Array(enqueued.dropFirst(ran))
        ledger.addWarmStart(warmStart.flatMap(\.trials))
        if let best = ledger.best { checkTarget(trial: best.id, value: best.value) }
    }

    /// Ends the sweep when `value`, a primary-metric report of `trial`, reaches the target.
    private func checkTarget(trial id: Int, value: Double) {
        guard end == nil, let target = definition.target, value.isFinite else { return }
        let goal = definition.objective.goal
        guard goal == .maximize ? value >= target : value <= target else { return }
        let reason = "target \(definition.objective.primaryMetric) \(goal == .maximize ? "≥" : "≤") \(Self.number(target)) reached: trial \(id) logged \(Self.number(value))"
        end = (.completed, reason)
        cancelAll(status: .cancelled, reason: "sweep ended: \(reason)")
    }

    private static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
    }

    // MARK: - Resume

    /// Loads an existing experiment's trials; marks unfinished ones interrupted and queues
    /// their re-runs. Returns `true` when there was anything to resume.
    private func recover() throws -> Bool {
        let stored = try store.trials()
        guard !stored.isEmpty else { return false }
        let primary = definition.objective.primaryMetric
        var lastActivity: [Int: Date] = [:]
        var curves: [Int: [Double]] = [:]
        for metric in try store.metrics() {
            lastActivity[metric.trial] = max(lastActivity[metric.trial] ?? metric.time, metric.time)
            if metric.name == primary && !metric.duplicate && !metric.afterStop {
                curves[metric.trial, default: []].append(metric.value)
            }
        }
        let stops = Dictionary(try store.stopDecisions().map { ($0.trial, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Date()
        let storedMetrics = Dictionary(grouping: try store.metrics(), by: \.trial)
        for var trial in stored.sorted(by: { $0.id < $1.id }) {
            let wasUnfinished = !trial.status.isFinished
            if wasUnfinished, let handle = trial.handle, handle.executor == executor.name,
               executor.reattach(handle, folder: URL(fileURLWithPath: trial.folder)) {
                try reattach(trial, handle: handle, stored: storedMetrics[trial.id] ?? [], curve: curves[trial.id] ?? [],
                             stop: stops[trial.id])
                continue
            }
            if wasUnfinished {
                if let handle = trial.handle ?? trial.pid.map({ TrialHandle(executor: "local", identifier: String($0)) }) {
                    executor.discard(handle, folder: URL(fileURLWithPath: trial.folder))
                }
                let was = trial.status.rawValue
                trial.status = .interrupted
                trial.reason = "hdbench stopped while this trial was \(was); --resume runs its parameters again"
                trial.ended = lastActivity[trial.id] ?? trial.started ?? now  // the last sign of life
                try store.save(trial)
            }
            trials[trial.id] = trial
            let id = ledger.add(trial.configuration, proposal: trial.proposal < ledger.nextProposal ? trial.proposal : nil, state: .running)
            precondition(id == trial.id, "stored trial ids are not dense: \(trial.id) recorded as \(id)")
            for value in curves[trial.id] ?? [] { ledger.report(id, value: value) }
            if let stop = stops[trial.id] {
                ledger.stop(id, decision: TerminationDecision(trial: id, action: .stop, reportCount: stop.reportCount, reason: stop.reason))
            }
            if wasUnfinished { ingestLogs(of: trial, stored: storedMetrics[trial.id] ?? [], now: now) }
            ledger.finish(id, state: Self.ledgerState(trial.status))
            if wasUnfinished { emit(.trialFinished(trial, value: bestValue(of: trial.id))) }
        }
        nextTrialID = (stored.map(\.id).max() ?? -1) + 1
        // The latest trial of each proposal decides; an interrupted one is run again.
        let latest = Dictionary(grouping: stored.map { trials[$0.id]! }, by: \.proposal).compactMap { $0.value.max { $0.id < $1.id } }
        rerunQueue = latest.filter { $0.status == .interrupted }.sorted { $0.id < $1.id }
        for trial in rerunQueue { ledger.requeue(trial.id) }
        // The sampler continues from the state it had after the last stored proposal.
        if let state = try store.suggestions().last(where: { $0.state != nil })?.state {
            do {
                try sampler.restore(state)
            } catch {
                record(DiagnosticRecord(trial: nil, message: "the sampler's stored state could not be restored (\(error)); it continues without it"))
            }
        }
        return true
    }

    /// Watches again a trial an earlier controller started and its executor still runs (or
    /// that ended while no controller watched): metrics already stored are not read twice.
    private func reattach(_ trial: TrialRecord, handle: TrialHandle, stored: [MetricRecord], curve: [Double],
                          stop: StopDecisionRecord?) throws {
        trials[trial.id] = trial
        let id = ledger.add(trial.configuration, proposal: trial.proposal < ledger.nextProposal ? trial.proposal : nil, state: .running)
        precondition(id == trial.id, "stored trial ids are not dense: \(trial.id) recorded as \(id)")
        for value in curve { ledger.report(id, value: value) }
        if let stop {
            ledger.stop(id, decision: TerminationDecision(trial: id, action: .stop, reportCount: stop.reportCount, reason: stop.reason))
        }
        let started = trial.started ?? Date()
        var entry = RunningTrial(
            handle: handle,
            collector: collectorResuming(trial, stored: stored),
            deadline: definition.limits.trialTimeout.map { started.addingTimeInterval($0) })
        if stop != nil {
            // Stopped before the crash: finish the cancellation.
            executor.terminate(handle)
            entry.cancellation = Cancellation(status: .cancelled, reason: "stopped by early termination: \(stop!.reason)",
                                              killAt: Date().addingTimeInterval(options.gracePeriod))
        }
        running[trial.id] = entry
        record(DiagnosticRecord(trial: trial.id, message: "re-attached to \(handle), which kept running while hdbench was stopped"))
    }

    /// Reads what an interrupted trial wrote to its logs after the last poll of the controller
    /// that died (its stdout, metrics file and MLflow files are complete on disk) and records the
    /// metric values the store does not hold yet, through the same intake as a running trial's
    /// (``handle(_:trial:)``): nothing a trial logged is lost to a crash of the controller.
    /// - Precondition: the trial is in the ledger, not yet finished.
    private func ingestLogs(of trial: TrialRecord, stored: [MetricRecord], now: Date) {
        var collector = collectorResuming(trial, stored: stored)
        let before = pendingMetrics.count
        // Reports only: the diagnostics of lines read before the crash were recorded then.
        let reports = collector.poll(final: true, now: now).filter { if case .report = $0 { true } else { false } }
        handle(reports, trial: trial.id)
        let ingested = pendingMetrics.count - before
        if ingested > 0 {
            record(DiagnosticRecord(trial: trial.id, message: "\(ingested) metric value\(ingested == 1 ? "" : "s") logged after the controller stopped were read from the trial's logs"))
        }
    }

    /// A collector for a trial an earlier controller followed: it skips the reports already
    /// stored (per metric and channel), and new reports are numbered on from the stored ones.
    private func collectorResuming(_ trial: TrialRecord, stored: [MetricRecord]) -> TrialOutputCollector {
        var storedCount: [String: [MetricChannel: Int]] = [:]
        for metric in stored {
            storedCount[metric.name, default: [:]][metric.channel, default: 0] += 1
            if let index = metric.reportIndex {
                reportCounts[trial.id, default: [:]][metric.name] = max(reportCounts[trial.id]?[metric.name] ?? 0, index)
            }
        }
        return TrialOutputCollector(folder: URL(fileURLWithPath: trial.folder), primaryMetric: definition.objective.primaryMetric,
                                    alreadyStored: storedCount)
    }

    /// The ledger's view of a stored status (a stopped trial stays stopped whatever this says).
    private static func ledgerState(_ status: TrialStatus) -> TrialLedger.State {
        switch status {
        case .queued, .running: return .running
        case .completed: return .completed
        case .failed: return .failed
        case .cancelled, .interrupted: return .cancelled
        }
    }

    // MARK: - Starting trials

    private var canStartMore: Bool {
        !rerunQueue.isEmpty || (samplerDone == nil && ledger.nextProposal < definition.limits.maxTotalTrials)
    }

    /// Fills free slots: re-runs first, then new proposals. A proposal is computed off the loop
    /// (``SuggestionJob``); its trial starts on the first pass after it is ready.
    private func startTrials() throws {
        while running.count < concurrency && end == nil {
            if !rerunQueue.isEmpty {
                let original = rerunQueue.removeFirst()
                ledger.finish(original.id, state: .cancelled)
                try start(configuration: original.configuration, proposal: original.proposal, rerunOf: original.id, origin: original.origin)
                continue
            }
            if inFlight == nil, !queue.isEmpty, ledger.nextProposal < definition.limits.maxTotalTrials {
                try start(configuration: queue.removeFirst(), proposal: nil, rerunOf: nil, origin: .enqueued)
                continue
            }
            if let job = inFlight {
                guard let (sampler, outcome) = job.take() else { return }  // still computing
                self.sampler = sampler
                inFlight = nil
                let proposal = job.proposal
                let suggestion: Suggestion?
                do {
                    suggestion = try outcome.get()
                } catch {
                    samplerDone = "the sampler failed: \(error)"
                    end = (.failed, "the sampler failed at trial \(proposal): \(error)")
                    record(DiagnosticRecord(trial: nil, message: "sampler failed at trial \(proposal): \(error)"))
                    return
                }
                guard let suggestion else {
                    samplerDone = "search space used up after \(proposal) trials"
                    return
                }
                try start(configuration: suggestion.configuration, proposal: nil, rerunOf: nil, suggestion: suggestion)
                continue
            }
            guard samplerDone == nil, ledger.nextProposal < definition.limits.maxTotalTrials else { return }
            inFlight = SuggestionJob.launch(sampler: sampler, history: ledger.history,
                                            proposal: ledger.nextProposal, wakeup: wakeup)
        }
    }

    /// Starts a trial of `configuration`: a re-run of `proposal`, or (with `proposal` nil) the
    /// next proposal, made by `suggestion` (or enqueued: `origin`).
    private func start(configuration: Configuration, proposal: Int?, rerunOf: Int?, suggestion: Suggestion? = nil,
                       origin: TrialOrigin = .sampler) throws {
        let id = ledger.add(configuration, proposal: proposal)
        precondition(id == nextTrialID, "ledger id \(id) differs from the trial id \(nextTrialID)")
        nextTrialID += 1
        let folder = (options.trialRoot ?? store.directory.appendingPathComponent("trials")).appendingPathComponent(String(id))
        var trial = TrialRecord(id: id, proposal: ledger.entries[id].proposal, rerunOf: rerunOf, configuration: configuration,
                                status: .queued, folder: folder.path, origin: origin)
        trials[id] = trial
        try store.save(trial)
        if let suggestion {
            try store.save(SuggestionRecord(proposal: trial.proposal, trial: id, diagnostics: suggestion.diagnostics, state: suggestion.state))
            for diagnostic in suggestion.diagnostics where diagnostic.kind == .fallback {
                record(DiagnosticRecord(trial: id, message: "sampler: \(diagnostic.message)"))
            }
        }

        let fileManager = FileManager.default
        var outputs: [String: URL] = [:]
        let workingDirectory = folder.appendingPathComponent(CodeSnapshot.workingCopyName)
        if let snapshotFailure {
            try fail(&trial, reason: "cannot start: \(snapshotFailure)")
            return
        }
        do {
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            if let snapshotDirectory {
                try? fileManager.removeItem(at: workingDirectory)
                try CodeSnapshot.makeWorkingCopy(of: snapshotDirectory, at: workingDirectory, mode: options.workingCopy)
            }
            for name in ["stdout.log", "stderr.log", "metrics.jsonl"] {
                let path = folder.appendingPathComponent(name).path
                if !fileManager.fileExists(atPath: path) { _ = fileManager.createFile(atPath: path, contents: nil) }
            }
            for name in definition.outputs {
                let url = folder.appendingPathComponent("outputs").appendingPathComponent(name)
                try fileManager.createDirectory(at: url, withIntermediateDirectories: true)
                outputs[name] = url
            }
        } catch {
            try fail(&trial, reason: "cannot create the trial folder \(folder.path): \(error.localizedDescription)")
            return
        }

        let command: String
        do {
            command = try rendering.command(configuration, outputs)
        } catch {
            try fail(&trial, reason: "cannot build the command: \(error)")
            return
        }
        trial.command = command

        var environment = options.baseEnvironment
        for (name, value) in zip(configuration.names, configuration.values) {
            environment["AZUREML_SWEEP_\(name)"] = rendering.environmentValue(value)
        }
        environment["HDBENCH_METRICS_FILE"] = folder.appendingPathComponent("metrics.jsonl").path
        environment["HDBENCH_TRIAL_ID"] = String(id)
        environment["MLFLOW_TRACKING_URI"] = "file://" + folder.appendingPathComponent("mlruns").path
        environment["MLFLOW_ALLOW_FILE_STORE"] = "true"
        for (name, value) in definition.trial.environmentVariables { environment[name] = value }
        if let shimDirectory {
            environment["PYTHONPATH"] = shimDirectory.path + (environment["PYTHONPATH"].map { $0.isEmpty ? "" : ":" + $0 } ?? "")
        }

        let slot = freeSlots.isEmpty ? nil : freeSlots.removeFirst()
        if let slot {
            for name in ["CUDA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES"] { environment[name] = slot }
        }
        let handle: TrialHandle
        do {
            handle = try executor.start(TrialLaunch(trial: id, command: command,
                                                    workingDirectory: snapshotDirectory == nil ? definition.trial.codeDirectory : workingDirectory,
                                                    environment: environment, folder: folder, timeLimit: definition.limits.trialTimeout))
            consecutiveStartFailures = 0
        } catch {
            if let slot { freeSlots.append(slot) }
            try fail(&trial, reason: "cannot start: \(error)")
            consecutiveStartFailures += 1
            if consecutiveStartFailures >= Self.maximumStartFailures && end == nil {
                end = (.failed, "\(consecutiveStartFailures) trials in a row could not be started; the last: \(error)")
            }
            return
        }
        let now = Date()
        trial.status = .running
        trial.handle = handle
        trial.pid = handle.executor == "local" ? Int32(handle.identifier) : nil
        trial.started = now
        trials[id] = trial
        try store.save(trial)
        running[id] = RunningTrial(
            handle: handle,
            collector: TrialOutputCollector(folder: folder, primaryMetric: definition.objective.primaryMetric),
            deadline: definition.limits.trialTimeout.map { now.addingTimeInterval($0) }, slot: slot)
        ledger.start(id)
        emit(.trialStarted(trial))
    }

    /// Ends a trial that never ran.
    private func fail(_ trial: inout TrialRecord, reason: String) throws {
        ledger.finish(trial.id, state: .failed)
        trial.status = .failed
        trial.reason = reason
        trial.ended = Date()
        trials[trial.id] = trial
        try store.save(trial)
        record(DiagnosticRecord(trial: trial.id, message: reason))
        emit(.trialFinished(trial, value: nil))
    }

    // MARK: - Running trials

    private struct RunningTrial {
        var handle: TrialHandle
        var collector: TrialOutputCollector
        var deadline: Date?
        /// Set once the trial's command has ended (`.some(nil)`: ended, status unknown).
        var leaderExit: TrialTermination??
        var cancellation: Cancellation?
        /// Why the executor lost the trial, when it did.
        var lost: String?
        /// The device slot the trial holds, if any.
        var slot: String?
    }

    private struct Cancellation {
        /// The status to record; `nil` when only leftover background processes are being
        /// cleaned up after a normal exit.
        var status: TrialStatus?
        var reason: String?
        var killAt: Date
        var killSent: Date?
    }

    /// Trials in a row the executor may refuse before the sweep stops (a rejected submission
    /// must not burn the budget).
    static let maximumStartFailures = 3

    /// How long after SIGKILL a group may still look alive (zombies another process must reap)
    /// before the trial is recorded as ended anyway.
    private static let afterKillWait: TimeInterval = 2

    private func pollRunning() throws {
        let ids = running.keys.sorted()
        let statuses = ids.isEmpty ? [:] : executor.poll(ids.compactMap { running[$0]?.handle })
        for id in ids {
            guard var entry = running[id] else { continue }
            let now = Date()
            let items = entry.collector.poll(final: false, now: now)
            running[id] = entry
            handle(items, trial: id)
            entry = running[id] ?? entry

            var leftovers = true
            switch statuses[entry.handle] {
            case .ended(let termination, let alive)?:
                if entry.leaderExit == nil {
                    entry.leaderExit = .some(termination)
                    ledger.markExited(id)
                }
                leftovers = alive
            case .lost(let reason)?:
                if entry.leaderExit == nil {
                    entry.leaderExit = .some(nil)
                    entry.lost = reason
                    ledger.markExited(id)
                }
                leftovers = false
            case .active?, nil:
                break
            }
            if entry.leaderExit != nil {
                if !leftovers {
                    running[id] = entry
                    try finish(id)
                    continue
                }
                if entry.cancellation == nil {
                    record(DiagnosticRecord(trial: id, message: "the command exited but processes it started are still running; sending them SIGTERM, SIGKILL after \(Self.seconds(options.gracePeriod))"))
                    executor.terminate(entry.handle)
                    entry.cancellation = Cancellation(status: nil, reason: nil, killAt: now.addingTimeInterval(options.gracePeriod))
                }
            }
            if var cancellation = entry.cancellation {
                if let sent = cancellation.killSent {
                    if entry.leaderExit != nil && now.timeIntervalSince(sent) > Self.afterKillWait {
                        record(DiagnosticRecord(trial: id, message: "trial \(entry.handle) still listed \(Self.seconds(Self.afterKillWait)) after SIGKILL (unreaped zombies); recording the trial as ended"))
                        running[id] = entry
                        try finish(id)
                        continue
                    }
                    executor.kill(entry.handle)
                } else if now >= cancellation.killAt {
                    executor.kill(entry.handle)
                    cancellation.killSent = now
                    entry.cancellation = cancellation
                }
            } else if let deadline = entry.deadline, now >= deadline {
                running[id] = entry
                cancel(id, status: .cancelled, reason: "trial_timeout of \(Self.seconds(definition.limits.trialTimeout ?? 0)) reached")
                continue
            }
            running[id] = entry
        }
    }

    /// Records a running trial's metrics and diagnostics; consults the early-termination hook
    /// after each new primary-metric report.
    private func handle(_ items: [TrialOutputCollector.Item], trial id: Int) {
        let primary = definition.objective.primaryMetric
        for item in items {
            switch item {
            case .report(let report, let duplicate):
                var index: Int?
                if !duplicate {
                    let next = reportCounts[id, default: [:]][report.name, default: 0] + 1
                    reportCounts[id, default: [:]][report.name] = next
                    index = next
                }
                let afterStop = ledger.entries[id].stopDecision != nil
                let metric = MetricRecord(trial: id, name: report.name, value: report.value, step: report.step,
                                          channel: report.channel, time: report.time, reportIndex: index,
                                          afterStop: afterStop, duplicate: duplicate)
                pendingMetrics.append(metric)
                emit(.metric(metric))
                if report.name == primary && !duplicate && !afterStop {
                    ledger.report(id, value: report.value)
                    checkTarget(trial: id, value: report.value)
                    consultEarlyTermination(trial: id)
                }
            case .diagnostic(let channel, let message, let line):
                record(DiagnosticRecord(trial: id, time: Date(), channel: channel, message: message, line: line))
            }
        }
    }

    private func consultEarlyTermination(trial id: Int) {
        guard let hook = earlyTermination, let entry = running[id], entry.cancellation == nil,
              ledger.entries[id].stopDecision == nil else { return }
        guard let decision = hook.decide(ledger.snapshot, id) else { return }
        let count = ledger.entries[id].reports.count
        let stop = StopDecisionRecord(trial: id, time: Date(), reportCount: count, reason: decision.reason)
        ledger.stop(id, decision: TerminationDecision(trial: id, action: .stop, reportCount: count, reason: decision.reason))
        pendingDecisions.append(stop)
        emit(.trialStopped(stop))
        cancel(id, status: .cancelled, reason: "stopped by early termination at report \(count): \(decision.reason)")
    }

    /// SIGTERM to the trial's group now, SIGKILL after the grace period.
    private func cancel(_ id: Int, status: TrialStatus, reason: String) {
        guard var entry = running[id] else { return }
        if var existing = entry.cancellation {
            // Cleaning up after a normal exit: keep the exit status.
            if existing.status == nil && entry.leaderExit == nil {
                existing.status = status
                existing.reason = reason
                entry.cancellation = existing
                running[id] = entry
            }
            return
        }
        executor.terminate(entry.handle)
        entry.cancellation = Cancellation(status: status, reason: reason, killAt: Date().addingTimeInterval(options.gracePeriod))
        running[id] = entry
    }

    private func cancelAll(status: TrialStatus, reason: String) {
        for id in running.keys.sorted() { cancel(id, status: status, reason: reason) }
    }

    /// SIGKILL to every trial, at once (the store failed; nothing can be recorded any more).
    private func killAll() {
        for entry in running.values { executor.kill(entry.handle) }
    }

    /// Records a trial whose processes are all gone.
    private func finish(_ id: Int) throws {
        guard var entry = running.removeValue(forKey: id), var trial = trials[id] else { return }
        handle(entry.collector.poll(final: true), trial: id)
        trial.handle = executor.located(entry.handle)
        executor.finished(entry.handle)
        if let slot = entry.slot { freeSlots.append(slot) }
        trial.ended = Date()
        let exit = entry.leaderExit ?? nil
        switch exit {
        case .exited(let code)?: trial.exitCode = code
        case .signaled(let signal)?: trial.signal = signal
        case nil: break
        }
        if let cancellation = entry.cancellation, let status = cancellation.status {
            trial.status = status
            trial.reason = cancellation.reason
        } else {
            switch exit {
            case .exited(0)?:
                trial.status = .completed
                trial.reason = nil
            case .exited(let code)?:
                trial.status = .failed
                trial.reason = Self.exitReason(code: code, folder: trial.folder)
            case .signaled(let signal)?:
                trial.status = .failed
                trial.reason = "killed by signal \(signal) (\(Self.signalName(signal)))" + Self.stderrHint(folder: trial.folder)
            case nil:
                trial.status = .failed
                trial.reason = entry.lost ?? "the process disappeared without an exit status"
            }
        }
        if trial.status == .failed && end == nil, let retry = retryReason(for: trial, lost: entry.lost != nil) {
            trial.reason = (trial.reason ?? "failed") + "; " + retry
            rerunQueue.append(trial)
        }
        if trial.status == .failed, let reason = trial.reason {
            record(DiagnosticRecord(trial: id, message: "failed: \(reason)"))
        }
        entry.cancellation = nil
        trials[id] = trial
        ledger.finish(id, state: Self.ledgerState(trial.status))
        if rerunQueue.contains(where: { $0.id == id }) { ledger.requeue(id) }
        try flush()
        try store.save(trial)
        emit(.trialFinished(trial, value: bestValue(of: id)))
    }

    /// Why a failed trial is run again, or `nil` when it is not: a lost trial up to
    /// ``SweepOptions/lostTrialAttempts`` attempts, any other failure up to
    /// ``SweepOptions/maxRetries`` re-runs.
    private func retryReason(for trial: TrialRecord, lost: Bool) -> String? {
        let attempts = trials.values.count { $0.proposal == trial.proposal }
        if lost && attempts < max(options.lostTrialAttempts, options.maxRetries + 1) {
            return "run again (attempt \(attempts + 1))"
        }
        if !lost && attempts <= options.maxRetries {
            return "retried (attempt \(attempts + 1) of \(options.maxRetries + 1))"
        }
        return nil
    }

    private func bestValue(of id: Int) -> Double? {
        ledger.entries.indices.contains(id) ? ledger.entries[id].bestReport : nil
    }

    private func record(_ diagnostic: DiagnosticRecord) {
        pendingDiagnostics.append(diagnostic)
        emit(.diagnostic(diagnostic))
    }

    private func emit(_ event: SweepEvent) {
        pendingEvents.append(event)
    }

    private func deliverEvents() {
        let events = pendingEvents
        pendingEvents.removeAll(keepingCapacity: true)
        for event in events { listener(event) }
    }

    private func flush() throws {
        guard !(pendingMetrics.isEmpty && pendingDiagnostics.isEmpty && pendingDecisions.isEmpty) else { return }
        try store.append(metrics: pendingMetrics, diagnostics: pendingDiagnostics, stopDecisions: pendingDecisions)
        pendingMetrics.removeAll(keepingCapacity: true)
        pendingDiagnostics.removeAll(keepingCapacity: true)
        pendingDecisions.removeAll(keepingCapacity: true)
    }

    // MARK: - Helpers

    private static func exitReason(code: Int32, folder: String) -> String {
        let meaning: String
        switch code {
        case 126: meaning = " (command not executable)"
        case 127: meaning = " (command not found)"
        default: meaning = ""
        }
        return "exit code \(code)\(meaning)" + stderrHint(folder: folder)
    }

    /// `; stderr: <last line>` from the trial's stderr.log, when it has one.
    private static func stderrHint(folder: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: folder + "/stderr.log") else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard let last = lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return "" }
        let text = last.trimmingCharacters(in: .whitespaces)
        return "; stderr: " + (text.count > 300 ? String(text.prefix(300)) + "…" : text)
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: return "SIGKILL"
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        case SIGSEGV: return "SIGSEGV"
        case SIGABRT: return "SIGABRT"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGPIPE: return "SIGPIPE"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
