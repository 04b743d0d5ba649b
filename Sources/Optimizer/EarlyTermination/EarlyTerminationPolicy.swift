import Foundation

/// Decides whether a trial should keep running, from an immutable snapshot of every trial's
/// primary-metric history (<doc:HyperDriveSemantics#Early-termination>). Implementations are pure
/// functions of their parameters and the snapshot: the same snapshot always gives the same
/// decision.
///
/// A sweep (or ``PruningMonitor``) consults the policy each time a trial logs a primary-metric
/// value; the policy itself checks whether that report is an evaluation point.
public protocol EarlyTerminationPolicy: Sendable, CustomStringConvertible {
    /// The decision for `trial` given `snapshot`, where n is the number of reports in the
    /// trial's curve.
    ///
    /// - Precondition: `snapshot` contains a curve for `trial`.
    func evaluate(trial: Int, in snapshot: MetricHistorySnapshot) -> TerminationDecision
}

/// When a policy looks at a trial: only when n is a multiple of `evaluationInterval` and
/// n ≥ `delayEvaluation` (<doc:HyperDriveSemantics#Early-termination>), and never before the
/// first report.
public struct EvaluationSchedule: Sendable, Hashable, Codable {
    /// ≥ 1 (0 given to the initialiser means 1, as in HyperDrive).
    public var evaluationInterval: Int
    /// ≥ 0: no evaluation while n < delayEvaluation.
    public var delayEvaluation: Int

    /// - Precondition: `evaluationInterval` ≥ 0 and `delayEvaluation` ≥ 0
    ///   (validate user input with ``EarlyTerminationSpec/validationProblems(path:)`` first).
    public init(evaluationInterval: Int = 1, delayEvaluation: Int = 0) {
        precondition(evaluationInterval >= 0, "evaluation_interval \(evaluationInterval) must be ≥ 0 (0 means 1)")
        precondition(delayEvaluation >= 0, "delay_evaluation \(delayEvaluation) must be ≥ 0")
        self.evaluationInterval = max(1, evaluationInterval)
        self.delayEvaluation = delayEvaluation
    }

    /// True when a trial with `reportCount` reports is looked at.
    public func isEvaluationPoint(_ reportCount: Int) -> Bool {
        reportCount >= 1 && reportCount % evaluationInterval == 0 && reportCount >= delayEvaluation
    }

    /// `nil` at an evaluation point, otherwise the "continue" decision that explains why not.
    func skipDecision(trial: Int, reportCount n: Int) -> TerminationDecision? {
        if n == 0 {
            return .continue(trial, n, "no reports yet (n=0)")
        }
        if n < delayEvaluation {
            return .continue(trial, n, "before delay_evaluation (n=\(n) < \(delayEvaluation))")
        }
        if n % evaluationInterval != 0 {
            return .continue(trial, n, "not an evaluation point (n=\(n), interval \(evaluationInterval))")
        }
        return nil
    }

    var parameterDescription: String {
        "evaluation_interval: \(evaluationInterval), delay_evaluation: \(delayEvaluation)"
    }
}

extension MetricHistorySnapshot {
    /// The curve of `trial`, stopping with a message naming the trial when it is missing.
    func requiredCurve(for trial: Int) -> TrialCurve {
        guard let curve = curve(for: trial) else {
            preconditionFailure("the snapshot has no curve for trial \(trial) (trials: \(curves.map(\.trial)))")
        }
        return curve
    }
}

/// Compact rendering of metric values in decision reasons (4 significant digits).
func formatMetric(_ value: Double) -> String {
    String(format: "%.4g", value)
}

/// The comparison symbol for "strictly worse than" under `goal`.
func worseSymbol(_ goal: PrimaryMetricGoal) -> String { goal == .maximize ? "<" : ">" }

/// The comparison symbol for "not worse than" under `goal`.
func notWorseSymbol(_ goal: PrimaryMetricGoal) -> String { goal == .maximize ? "≥" : "≤" }
