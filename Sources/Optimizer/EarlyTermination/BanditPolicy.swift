/// HyperDrive's bandit policy: stop a trial whose best-so-far falls outside a slack of the best
/// trial's value at the same report count (<doc:HyperDriveSemantics#Early-termination>).
///
/// At an evaluation point n (see ``EvaluationSchedule``), over every trial that has logged at
/// least n reports (this one, running and ended ones), take each one's best finite value within
/// its first n reports; `best` is the best of those. With slack factor f or slack amount a:
///
/// ```
/// maximise:  stop if bestSoFar < best/(1+f)      or  bestSoFar < best − a
/// minimise:  stop if bestSoFar > best·(1+f)      or  bestSoFar > best + a   [decided, mirror]
/// ```
///
/// Example: best 0.8, slack factor 0.2 → stop below 0.8/1.2 = 0.6667; exactly at the
/// threshold continues.
///
/// Negative `best` with a slack factor [decided]: the formulas above are written for a
/// non-negative metric; applied to a negative best they would put the threshold *above* the best
/// and stop the best trial itself. We apply them to the metric's magnitude instead, which is the
/// same mirror as between the goals (maximising x is minimising −x):
///
/// ```
/// maximise, best < 0:  threshold = best·(1+f)
/// minimise, best < 0:  threshold = best/(1+f)
/// ```
///
/// so the threshold is never better than `best`, and the trial holding `best` is never stopped.
/// Negating every value and flipping the goal gives the same decisions.
public struct BanditPolicy: EarlyTerminationPolicy, Hashable, Codable {
    /// How far behind the best a trial may be.
    public enum Slack: Sendable, Hashable, Codable {
        /// HyperDrive's `slack_factor`: a ratio of the best value.
        case factor(Double)
        /// HyperDrive's `slack_amount`: an absolute distance from the best value.
        case amount(Double)
    }

    /// The slack factor or amount.
    public var slack: Slack
    /// When the policy looks at a trial.
    public var schedule: EvaluationSchedule

    /// A bandit policy with a slack ratio (`slack_factor`).
    ///
    /// - Precondition: `slackFactor` is finite and ≥ 0; `evaluationInterval`, `delayEvaluation` ≥ 0.
    public init(slackFactor: Double, evaluationInterval: Int = 1, delayEvaluation: Int = 0) {
        precondition(slackFactor.isFinite && slackFactor >= 0, "slack_factor \(slackFactor) must be finite and ≥ 0")
        self.slack = .factor(slackFactor)
        self.schedule = EvaluationSchedule(evaluationInterval: evaluationInterval, delayEvaluation: delayEvaluation)
    }

    /// A bandit policy with an absolute slack (`slack_amount`).
    ///
    /// - Precondition: `slackAmount` is finite and ≥ 0; `evaluationInterval`, `delayEvaluation` ≥ 0.
    public init(slackAmount: Double, evaluationInterval: Int = 1, delayEvaluation: Int = 0) {
        precondition(slackAmount.isFinite && slackAmount >= 0, "slack_amount \(slackAmount) must be finite and ≥ 0")
        self.slack = .amount(slackAmount)
        self.schedule = EvaluationSchedule(evaluationInterval: evaluationInterval, delayEvaluation: delayEvaluation)
    }

    /// HyperDrive's `evaluation_interval` (≥ 1).
    public var evaluationInterval: Int { schedule.evaluationInterval }
    /// HyperDrive's `delay_evaluation` (≥ 0).
    public var delayEvaluation: Int { schedule.delayEvaluation }

    /// The value a trial's best-so-far must not be worse than, given the best of the peers, and
    /// its rendering for reasons (e.g. `0.8/(1+0.2)`).
    ///
    /// ```
    /// factor f:  maximise: best ≥ 0 ? best/(1+f) : best·(1+f)
    ///            minimise: best ≥ 0 ? best·(1+f) : best/(1+f)
    /// amount a:  maximise: best − a;  minimise: best + a
    /// ```
    public func threshold(best: Double, goal: PrimaryMetricGoal) -> Double {
        thresholdAndFormula(best: best, goal: goal).value
    }

    private func thresholdAndFormula(best: Double, goal: PrimaryMetricGoal) -> (value: Double, formula: String) {
        let bestText = formatMetric(best)
        switch slack {
        case .factor(let factor):
            let divide = (goal == .maximize) == (best >= 0)
            let factorText = "(1+\(formatMetric(factor)))"
            return divide
                ? (best / (1 + factor), "\(bestText)/\(factorText)")
                : (best * (1 + factor), "\(bestText)·\(factorText)")
        case .amount(let amount):
            let amountText = formatMetric(amount)
            return goal == .maximize
                ? (best - amount, "\(bestText) − \(amountText)")
                : (best + amount, "\(bestText) + \(amountText)")
        }
    }

    /// The bandit decision for `trial` at its current report count; see the type's documentation.
    public func evaluate(trial: Int, in snapshot: MetricHistorySnapshot) -> TerminationDecision {
        let curve = snapshot.requiredCurve(for: trial)
        let n = curve.reportCount
        if let skip = schedule.skipDecision(trial: trial, reportCount: n) { return skip }
        let goal = snapshot.goal
        let peers = snapshot.curves(withAtLeast: n)
        let peerBests = peers.compactMap { $0.best(withinFirst: n, goal: goal)?.value }
        guard let best = peerBests.min(by: { goal.isBetter($0, than: $1) }) else {
            return .continue(trial, n, "n=\(n): no finite value among the first \(n) reports of any of \(peers.count) trials (bandit)")
        }
        let (threshold, formula) = thresholdAndFormula(best: best, goal: goal)
        let context = "best of \(peers.count) trials with ≥ \(n) reports (bandit)"
        guard let own = curve.best(withinFirst: n, goal: goal)?.value else {
            return .stop(trial, n, "n=\(n): no finite value in the first \(n) reports; threshold \(formula) = \(formatMetric(threshold)), \(context)")
        }
        if goal.isBetter(threshold, than: own) {
            return .stop(trial, n, "n=\(n): best-so-far \(formatMetric(own)) \(worseSymbol(goal)) \(formula) = \(formatMetric(threshold)), \(context)")
        }
        return .continue(trial, n, "n=\(n): best-so-far \(formatMetric(own)) \(notWorseSymbol(goal)) \(formula) = \(formatMetric(threshold)), \(context)")
    }

    /// HyperDrive-style rendering, e.g. `bandit(slack_factor: 0.1, evaluation_interval: 1, delay_evaluation: 5)`.
    public var description: String {
        switch slack {
        case .factor(let factor): "bandit(slack_factor: \(factor), \(schedule.parameterDescription))"
        case .amount(let amount): "bandit(slack_amount: \(amount), \(schedule.parameterDescription))"
        }
    }
}
