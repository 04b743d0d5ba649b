/// An early-termination policy as specified (YAML `early_termination:`), validated by
/// ``validationProblems(path:)`` and turned into a policy by ``makePolicy(_:)``.
public struct EarlyTerminationSpec: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        /// Exactly one of the two slacks is set, and it is ≥ 0.
        case bandit(slackFactor: Double?, slackAmount: Double?)
        case medianStopping
        /// 1…99.
        case truncationSelection(truncationPercentage: Int)
    }
    public var kind: Kind
    /// ≥ 1 (0 or missing in YAML means 1).
    public var evaluationInterval: Int
    /// ≥ 0.
    public var delayEvaluation: Int

    public init(kind: Kind, evaluationInterval: Int = 1, delayEvaluation: Int = 0) {
        self.kind = kind
        self.evaluationInterval = max(1, evaluationInterval)
        self.delayEvaluation = delayEvaluation
    }
}
