/// The one record of a study's or sweep's trials — what was proposed, what is running, what
/// each trial reported, which were stopped and how each ended — from which both deciders read:
/// the sampler's ``SamplerHistory`` (``history``) and the early-termination policies'
/// ``MetricHistorySnapshot`` (``snapshot``).
///
/// ``Study``, hdbench's sweep runner and both benchmarks keep their trials here, so the rules
/// below are written once:
///
/// - A trial is *pending* for the sampler while it is ``State/pending`` or ``State/running``;
///   its value is then unknown.
/// - A trial's value (``rankingValue(of:)``) is its final value when finite, else its best
///   finite report (HyperDriveSemantics: a trial's best logged primary metric; stopped trials
///   still count). Reports after a stop are not recorded.
/// - A trial stopped by a policy reaches the sampler flagged ``SamplerObservation/isPartial``.
/// - Every proposal index appears once in the history: a proposal run again (a re-run after
///   `--resume`) is represented by its latest trial.
/// - The snapshot holds the curve of every trial that started, in the order they started; a
///   curve is running until its trial ends or its process exits (``markExited(_:)``).
///
/// Both derived views are kept up to date as trials change, so reading them costs nothing and
/// a sampler or policy can be asked after every event.
///
/// - Complexity: every mutation is O(1) amortised (copy-on-write: the views must not be shared
///   with a caller when the ledger changes, or the change copies them); ``best`` is O(trials).
public struct TrialLedger: Sendable {
    /// Where a trial is in its life, as the sampler and the policies see it.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Proposed, not started (queued, or waiting to be run again).
        case pending
        /// Started and not ended.
        case running
        /// Ended normally.
        case completed
        /// Stopped by an early-termination policy.
        case stopped
        /// Ended with an error.
        case failed
        /// Ended by a limit or by the user (a timeout, the sweep's end, an interruption).
        case cancelled

        /// Whether the trial's result is not known yet.
        public var isPending: Bool { self == .pending || self == .running }
    }

    /// One trial.
    public struct Entry: Sendable, Equatable {
        /// 0, 1, 2, … in the order trials were added.
        public let id: Int
        /// The sampler's trial index this configuration was proposed under (equal to `id`
        /// except for re-runs, which keep the original's).
        public let proposal: Int
        public let configuration: Configuration
        public internal(set) var state: State
        /// The primary metric's reports in order, up to a stop.
        public internal(set) var reports: [Double]
        /// The value the trial ended with, when it gave one (ask/tell's `tell`).
        public internal(set) var finalValue: Double?
        /// The best finite report so far.
        public internal(set) var bestReport: Double?
        /// Why a policy stopped the trial.
        public internal(set) var stopDecision: TerminationDecision?
        /// The trial's process has exited (its curve no longer grows), though the trial may
        /// not be recorded as ended yet.
        public internal(set) var hasExited: Bool
    }

    public let goal: PrimaryMetricGoal
    /// Every trial, indexed by id.
    public private(set) var entries: [Entry] = []
    /// What the sampler is told: the warm start's observations (``addWarmStart(_:)``), then one
    /// observation per proposal index, from its latest trial.
    public private(set) var history: SamplerHistory
    /// What the policies are told: the curve of every trial that started.
    public private(set) var snapshot: MetricHistorySnapshot
    /// The latest trial of each proposal index.
    private var latestByProposal: [Int] = []
    /// Position of each trial's curve in ``snapshot``, by trial id (`nil` before it starts).
    private var curveIndex: [Int?] = []

    public init(goal: PrimaryMetricGoal) {
        self.goal = goal
        self.history = SamplerHistory(goal: goal)
        self.snapshot = MetricHistorySnapshot(goal: goal)
    }

    /// The next proposal index (the number of distinct proposals so far).
    public var nextProposal: Int { latestByProposal.count }

    /// Records a trial and returns its id.
    ///
    /// - Parameters:
    ///   - configuration: the values the trial runs.
    ///   - proposal: an earlier proposal index to run again, or `nil` for the next one.
    ///   - state: ``State/pending``, or ``State/running`` for a trial that starts at once.
    /// - Precondition: `proposal`, when given, is an existing proposal index.
    @discardableResult
    public mutating func add(_ configuration: Configuration, proposal: Int? = nil, state: State = .pending) -> Int {
        let id = entries.count
        let index = proposal ?? latestByProposal.count
        precondition(index <= latestByProposal.count, "TrialLedger.add: proposal \(index) skips ahead of \(latestByProposal.count)")
        entries.append(Entry(id: id, proposal: index, configuration: configuration, state: .pending, reports: [],
                             finalValue: nil, bestReport: nil, stopDecision: nil, hasExited: false))
        curveIndex.append(nil)
        if index == latestByProposal.count {
            latestByProposal.append(id)
            history.observations.append(observation(of: id))
        } else {
            latestByProposal[index] = id
            history.observations[history.warmStartCount + index] = observation(of: id)
        }
        if state != .pending { setState(id, state) }
        return id
    }

    /// Puts trials of earlier experiments before every proposal in ``history``, as finished
    /// observations numbered −1, −2, … in the order given (over every call). They are not
    /// trials of the ledger: not in ``entries``, not proposals, not in the policies' snapshot.
    public mutating func addWarmStart(_ trials: [WarmStartTrial]) {
        let start = history.warmStartCount
        let observations = trials.enumerated().map { offset, trial in
            SamplerObservation(trial: -1 - (start + offset), configuration: trial.configuration, value: trial.value, isPending: false)
        }
        history.observations.insert(contentsOf: observations, at: start)
        history.warmStartCount += observations.count
    }

    /// Marks a trial running; its curve joins the snapshot.
    public mutating func start(_ id: Int) {
        setState(id, .running)
    }

    /// Appends a primary-metric report of a running trial. Ignored after a stop or once the
    /// trial has ended.
    public mutating func report(_ id: Int, value: Double) {
        guard entries[id].state == .running, entries[id].stopDecision == nil else { return }
        entries[id].reports.append(value)
        if value.isFinite, entries[id].bestReport.map({ goal.isBetter(value, than: $0) }) ?? true { entries[id].bestReport = value }
        if let c = curveIndex[id] { snapshot.curves[c].values.append(value) }
        refreshObservation(of: id)
    }

    /// Appends a report and asks `policy` whether the trial should stop; a stop is recorded
    /// (``stop(_:decision:)``). After a stop, returns the recorded decision without asking again.
    public mutating func report(_ id: Int, value: Double, policy: any EarlyTerminationPolicy) -> TerminationDecision {
        if let decided = entries[id].stopDecision { return decided }
        report(id, value: value)
        guard entries[id].state == .running else {
            return TerminationDecision(trial: id, action: .continue, reportCount: entries[id].reports.count,
                                       reason: "trial \(id) is \(entries[id].state.rawValue); the report was not evaluated")
        }
        let decision = policy.evaluate(trial: id, in: snapshot)
        if decision.shouldStop { stop(id, decision: decision) }
        return decision
    }

    /// Records a policy's stop: the trial is ``State/stopped``, its curve no longer running.
    public mutating func stop(_ id: Int, decision: TerminationDecision) {
        entries[id].stopDecision = decision
        setState(id, .stopped)
    }

    /// The trial's process has exited: its curve stops running in the snapshot, although the
    /// trial itself may still be finishing (leftover processes being ended).
    public mutating func markExited(_ id: Int) {
        entries[id].hasExited = true
        if let c = curveIndex[id] { snapshot.curves[c].isRunning = false }
    }

    /// Ends a trial that is pending or running; a trial that has already ended (stopped by a
    /// policy, say) keeps its state, but still takes `finalValue`.
    ///
    /// - Parameters:
    ///   - id: the trial.
    ///   - state: how it ended (not ``State/pending`` or ``State/running``).
    ///   - finalValue: the value the trial ended with, if it gave one.
    public mutating func finish(_ id: Int, state: State, finalValue: Double? = nil) {
        precondition(!state.isPending, "TrialLedger.finish: \(state) is not an end state")
        if let finalValue { entries[id].finalValue = finalValue }
        setState(id, entries[id].state.isPending ? state : entries[id].state)
    }

    /// Puts an ended trial back to ``State/pending`` — it is waiting to be run again and the
    /// sampler must treat its configuration as taken.
    public mutating func requeue(_ id: Int) {
        setState(id, .pending)
    }

    /// The trial's value for ranking: its final value when finite, else its best finite report.
    public func rankingValue(of id: Int) -> Double? {
        if let v = entries[id].finalValue, v.isFinite { return v }
        return entries[id].bestReport
    }

    /// The best trial by ``rankingValue(of:)``; ties go to the earlier trial.
    public var best: (id: Int, value: Double)? {
        var result: (id: Int, value: Double)?
        for entry in entries {
            guard let v = rankingValue(of: entry.id) else { continue }
            if result.map({ goal.isBetter(v, than: $0.value) }) ?? true { result = (entry.id, v) }
        }
        return result
    }

    // MARK: - Keeping the views current

    private mutating func setState(_ id: Int, _ state: State) {
        entries[id].state = state
        if state != .pending, curveIndex[id] == nil {
            curveIndex[id] = snapshot.curves.count
            snapshot.curves.append(TrialCurve(trial: id, values: entries[id].reports, isRunning: false))
        }
        if let c = curveIndex[id] { snapshot.curves[c].isRunning = state == .running && !entries[id].hasExited }
        refreshObservation(of: id)
    }

    private mutating func refreshObservation(of id: Int) {
        let proposal = entries[id].proposal
        guard latestByProposal[proposal] == id else { return }
        history.observations[history.warmStartCount + proposal] = observation(of: id)
    }

    private func observation(of id: Int) -> SamplerObservation {
        let entry = entries[id]
        return SamplerObservation(trial: entry.proposal, configuration: entry.configuration, value: rankingValue(of: id),
                                  isPending: entry.state.isPending, isPartial: entry.state == .stopped)
    }
}
