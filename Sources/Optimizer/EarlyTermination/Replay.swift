// Replaying a finished sweep's recorded curves under a policy (HyperDriveSemantics.md §Extensions
// beyond Azure): what the policy would have saved and what it would have cost, without running
// anything.

/// Simulates `policy` on a finished experiment's recorded curves and reports what it would
/// have saved and lost.
///
/// The simulation runs in time order: each report, at its recorded time, is appended to its
/// trial's curve in a snapshot holding every report received so far from every trial (running,
/// finished or stopped); the policy is then asked about that trial, exactly as a sweep or a
/// ``PruningMonitor`` would ask (it decides only at its evaluation points). A stop truncates the
/// trial's curve: its later reports never arrive.
///
/// Savings: a trial stopped at report k saves its recorded reports k+1… and `end − time(k)`
/// seconds. Percentages are of all recorded reports and of Σ (end − start) over all trials.
/// `best_without` is the best finite value of the recorded curves; `best_with` of the truncated
/// curves; `loss` is how much worse `best_with` is, in the goal's direction (≥ 0).
///
/// Simplifications (also returned in ``ReplayResult/notes``):
/// - Recorded start times are kept. With the policy, a real run would have started later trials
///   earlier (a freed slot is reused at once); we do not model that, so seconds saved is
///   compute saved, not wall-clock time saved.
/// - Reports with the same timestamp arrive in trial start order, then report order. A trial's
///   report times that go backwards are raised to the previous report's time.
/// - Trials a policy stopped in the recorded run have incomplete curves; only what was recorded
///   is counted (totals, savings and `best_without` are relative to the recorded run, not to a
///   run without any policy), and they are listed in `incomplete_trials`.
///
/// - Complexity: O(R · T · n̄) for R reports, T trials and n̄ reports per curve, plus
///   O(R log R) to order the reports.
/// - Precondition: trial ids are unique.
public func replay(experiment: ReplayInput, policy: any EarlyTerminationPolicy) -> ReplayResult {
    let goal = experiment.goal
    let trials = experiment.trials
    precondition(Set(trials.map(\.trial)).count == trials.count, "replay: trial ids must be unique (got \(trials.map(\.trial)))")

    // Every report as an event (effective time, start position, report index).
    var events: [(time: Double, position: Int, report: Int)] = []
    var reorderedTrials: [Int] = []
    for (position, trial) in trials.enumerated() {
        var previous = -Double.infinity
        for (index, report) in trial.reports.enumerated() {
            let time = max(report.time, previous)
            if time != report.time, reorderedTrials.last != trial.trial { reorderedTrials.append(trial.trial) }
            previous = time
            events.append((time, position, index))
        }
    }
    events.sort { ($0.time, $0.position, $0.report) < ($1.time, $1.position, $1.report) }

    var snapshot = MetricHistorySnapshot(goal: goal)
    var curvePositions: [Int] = []  // start position of each curve in the snapshot
    var curveIndexOfPosition: [Int: Int] = [:]
    var stopOfPosition: [Int: ReplayStop] = [:]
    var stops: [ReplayStop] = []

    for event in events where stopOfPosition[event.position] == nil {
        let trial = trials[event.position]
        let index: Int
        if let existing = curveIndexOfPosition[event.position] {
            index = existing
        } else {
            index = snapshot.curves.count
            curveIndexOfPosition[event.position] = index
            curvePositions.append(event.position)
            snapshot.curves.append(TrialCurve(trial: trial.trial, values: []))
        }
        snapshot.curves[index].values.append(trial.reports[event.report].value)
        for (curve, position) in zip(snapshot.curves.indices, curvePositions) {
            snapshot.curves[curve].isRunning = stopOfPosition[position] == nil && event.time < trials[position].endTime
        }
        snapshot.curves[index].isRunning = true

        let decision = policy.evaluate(trial: trial.trial, in: snapshot)
        guard decision.shouldStop else { continue }
        let reportCount = event.report + 1
        let stop = ReplayStop(
            trial: trial.trial, report: reportCount, time: event.time,
            reportsSaved: trial.reports.count - reportCount,
            secondsSaved: max(0, trial.endTime - event.time),
            reason: decision.reason
        )
        stopOfPosition[event.position] = stop
        stops.append(stop)
        snapshot.curves[index].isRunning = false
    }

    // Totals and savings.
    let reportsTotal = trials.reduce(0) { $0 + $1.reports.count }
    let reportsSaved = stops.reduce(0) { $0 + $1.reportsSaved }
    let trialSecondsTotal = trials.reduce(0.0) { $0 + max(0, $1.endTime - $1.startTime) }
    let secondsSaved = stops.reduce(0.0) { $0 + $1.secondsSaved }

    // Best without and with the policy (first trial in start order wins ties).
    func bestOf(_ keptReports: (Int) -> Int) -> (value: Double, trial: Int)? {
        var best: (value: Double, trial: Int)?
        for (position, trial) in trials.enumerated() {
            let curve = TrialCurve(trial: trial.trial, values: trial.reports.prefix(keptReports(position)).map(\.value))
            guard let value = curve.best(withinFirst: curve.reportCount, goal: goal)?.value else { continue }
            if let current = best, !goal.isBetter(value, than: current.value) { continue }
            best = (value, trial.trial)
        }
        return best
    }
    let without = bestOf { trials[$0].reports.count }
    let with = bestOf { stopOfPosition[$0]?.report ?? trials[$0].reports.count }
    var loss: Double?
    if let without, let with {
        loss = max(0, goal == .maximize ? without.value - with.value : with.value - without.value)
    }

    // Notes.
    var notes = [
        "start times are as recorded: a real run with this policy would have started later trials earlier, which is not modelled, so seconds saved is compute (trial-seconds) saved, not wall-clock time",
    ]
    if let concurrency = experiment.maxConcurrentTrials {
        notes.append("recorded with max_concurrent_trials \(concurrency)")
    }
    let incomplete = trials.filter(\.stoppedByPolicy).map(\.trial)
    if !incomplete.isEmpty {
        notes.append("trials \(incomplete) were stopped by a policy in the recorded run: their curves end early and what they would have logged later is unknown; totals, savings and best_without count only recorded reports")
        let notReached = trials.enumerated().filter { $0.element.stoppedByPolicy && stopOfPosition[$0.offset] == nil }.map(\.element.trial)
        if !notReached.isEmpty {
            notes.append("this policy did not stop trials \(notReached) within their recorded reports; under it they might have run longer, which is not counted")
        }
    }
    if !reorderedTrials.isEmpty {
        notes.append("report times of trials \(reorderedTrials) went backwards and were raised to the previous report's time")
    }
    if without != nil, with == nil {
        notes.append("no finite value survives the policy's stops, so loss is undefined")
    }

    return ReplayResult(
        policy: policy.description,
        stopped: stops.map(\.trial).sorted(),
        stops: stops,
        reportsTotal: reportsTotal,
        reportsSaved: reportsSaved,
        reportsSavedPercent: reportsTotal == 0 ? 0 : 100 * Double(reportsSaved) / Double(reportsTotal),
        trialSecondsTotal: trialSecondsTotal,
        secondsSaved: secondsSaved,
        secondsSavedPercent: trialSecondsTotal == 0 ? 0 : 100 * secondsSaved / trialSecondsTotal,
        bestWithout: without?.value,
        bestWith: with?.value,
        bestTrialWithout: without?.trial,
        bestTrialWith: with?.trial,
        loss: loss,
        incompleteTrials: incomplete,
        notes: notes
    )
}
