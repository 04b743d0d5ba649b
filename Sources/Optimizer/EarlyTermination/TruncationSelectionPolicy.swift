/// HyperDrive's truncation selection policy (<doc:HyperDriveSemantics#Early-termination>; the
/// details Azure leaves open are our decisions).
///
/// At an evaluation point n (see ``EvaluationSchedule``), among the c trials that have logged at
/// least n reports (this one, running and ended ones), compare each one's best finite value
/// within its first n reports:
///
/// ```
/// cut  = ⌊c · p / 100⌋
/// stop if cut ≥ 1  and  #{ j : best_j strictly better than this trial's best } ≥ c − cut
/// ```
///
/// i.e. the trial is among the worst `cut`, with ties resolved in its favour. A trial with no
/// finite value in its first n reports counts as worse than every trial that has one.
public struct TruncationSelectionPolicy: EarlyTerminationPolicy, Hashable, Codable {
    /// HyperDrive's `truncation_percentage`, 1…99.
    public var truncationPercentage: Int
    /// When the policy looks at a trial.
    public var schedule: EvaluationSchedule

    /// - Precondition: `truncationPercentage` in 1…99; `evaluationInterval`, `delayEvaluation` ≥ 0.
    public init(truncationPercentage: Int, evaluationInterval: Int = 1, delayEvaluation: Int = 0) {
        precondition((1...99).contains(truncationPercentage), "truncation_percentage \(truncationPercentage) must be an integer in 1…99")
        self.truncationPercentage = truncationPercentage
        self.schedule = EvaluationSchedule(evaluationInterval: evaluationInterval, delayEvaluation: delayEvaluation)
    }

    /// HyperDrive's `evaluation_interval` (≥ 1).
    public var evaluationInterval: Int { schedule.evaluationInterval }
    /// HyperDrive's `delay_evaluation` (≥ 0).
    public var delayEvaluation: Int { schedule.delayEvaluation }

    /// How many of `trialCount` trials are cut: ⌊trialCount · p / 100⌋.
    public func cut(trialCount: Int) -> Int {
        trialCount * truncationPercentage / 100
    }

    /// The truncation-selection decision for `trial` at its current report count; see the type's documentation.
    public func evaluate(trial: Int, in snapshot: MetricHistorySnapshot) -> TerminationDecision {
        let curve = snapshot.requiredCurve(for: trial)
        let n = curve.reportCount
        if let skip = schedule.skipDecision(trial: trial, reportCount: n) { return skip }
        let goal = snapshot.goal
        let peers = snapshot.curves(withAtLeast: n)
        let c = peers.count
        let cut = cut(trialCount: c)
        let cutText = "cut = ⌊\(c)·\(truncationPercentage)/100⌋ = \(cut)"
        guard cut >= 1 else {
            return .continue(trial, n, "n=\(n): \(cutText), nothing to truncate (truncation selection)")
        }
        let own = curve.best(withinFirst: n, goal: goal)?.value
        let peerBests = peers.map { $0.best(withinFirst: n, goal: goal)?.value }
        let strictlyBetter = peerBests.count(where: { peer in
            guard let peer else { return false }
            guard let own else { return true }
            return goal.isBetter(peer, than: own)
        })
        let ownText = own.map { "best-so-far \(formatMetric($0))" } ?? "no finite value in the first \(n) reports"
        let counts = "\(strictlyBetter) of \(c) trials strictly better"
        if strictlyBetter >= c - cut {
            return .stop(trial, n, "n=\(n): \(ownText); \(counts) ≥ c − cut = \(c - cut) (truncation \(truncationPercentage)%, \(cutText))")
        }
        return .continue(trial, n, "n=\(n): \(ownText); \(counts) < c − cut = \(c - cut) (truncation \(truncationPercentage)%, \(cutText))")
    }

    /// HyperDrive-style rendering, e.g. `truncation_selection(truncation_percentage: 20, evaluation_interval: 1, delay_evaluation: 0)`.
    public var description: String {
        "truncation_selection(truncation_percentage: \(truncationPercentage), \(schedule.parameterDescription))"
    }
}
