// Turning a parsed `early_termination:` section into a policy, and checking its values
// against HyperDriveSemantics.md §Early termination.

extension EarlyTerminationSpec {
    /// Every problem with this specification's values (empty when valid), with paths under
    /// `path`, e.g. `early_termination.slack_factor: -0.2 must be ≥ 0`.
    public func validationProblems(path: String = "early_termination") -> [ConfigurationProblem] {
        var problems = Self.evaluationIntervalProblems(evaluationInterval, path: path)
        problems += Self.delayEvaluationProblems(delayEvaluation, path: path)
        switch kind {
        case .bandit(let slackFactor, let slackAmount):
            problems += Self.banditSlackProblems(slackFactor: slackFactor, slackAmount: slackAmount, path: path)
        case .medianStopping:
            break
        case .truncationSelection(let percentage):
            problems += Self.truncationPercentageProblems(percentage, path: path)
        }
        return problems
    }

    /// Bandit needs exactly one of `slack_factor` and `slack_amount`, finite and ≥ 0.
    public static func banditSlackProblems(
        slackFactor: Double?, slackAmount: Double?, path: String = "early_termination"
    ) -> [ConfigurationProblem] {
        switch (slackFactor, slackAmount) {
        case (nil, nil):
            return [ConfigurationProblem(path: path, message: "bandit needs exactly one of slack_factor and slack_amount; add e.g. slack_factor: 0.1")]
        case (.some, .some):
            return [ConfigurationProblem(path: path, message: "bandit takes exactly one of slack_factor and slack_amount, not both; remove one")]
        case (let factor?, nil):
            return slackValueProblems(factor, path: "\(path).slack_factor")
        case (nil, let amount?):
            return slackValueProblems(amount, path: "\(path).slack_amount")
        }
    }

    private static func slackValueProblems(_ value: Double, path: String) -> [ConfigurationProblem] {
        if !value.isFinite {
            return [ConfigurationProblem(path: path, message: "\(value) must be a finite number ≥ 0")]
        }
        if value < 0 {
            return [ConfigurationProblem(path: path, message: "\(value) must be ≥ 0")]
        }
        return []
    }

    /// `truncation_percentage` must be an integer in 1…99.
    public static func truncationPercentageProblems(_ percentage: Int, path: String = "early_termination") -> [ConfigurationProblem] {
        (1...99).contains(percentage) ? [] : [
            ConfigurationProblem(path: "\(path).truncation_percentage", message: "\(percentage) must be an integer from 1 to 99"),
        ]
    }

    /// `evaluation_interval` must be ≥ 0 (0 or missing means 1).
    public static func evaluationIntervalProblems(_ interval: Int?, path: String = "early_termination") -> [ConfigurationProblem] {
        guard let interval, interval < 0 else { return [] }
        return [ConfigurationProblem(path: "\(path).evaluation_interval", message: "\(interval) must be ≥ 0 (0 or missing means 1)")]
    }

    /// `delay_evaluation` must be ≥ 0 (missing means 0).
    public static func delayEvaluationProblems(_ delay: Int?, path: String = "early_termination") -> [ConfigurationProblem] {
        guard let delay, delay < 0 else { return [] }
        return [ConfigurationProblem(path: "\(path).delay_evaluation", message: "\(delay) must be ≥ 0 (missing means 0)")]
    }
}

/// The policy an `early_termination:` section describes; ``NoTerminationPolicy`` when absent.
///
/// - Precondition: `spec` is valid (``EarlyTerminationSpec/validationProblems(path:)`` is
///   empty). Use ``makeValidatedPolicy(_:)`` for user input.
public func makePolicy(_ spec: EarlyTerminationSpec?) -> any EarlyTerminationPolicy {
    guard let spec else { return NoTerminationPolicy() }
    let problems = spec.validationProblems()
    precondition(problems.isEmpty, "invalid early_termination: \(problems.map(\.description).joined(separator: "; "))")
    let interval = spec.evaluationInterval
    let delay = spec.delayEvaluation
    switch spec.kind {
    case .bandit(let slackFactor?, nil):
        return BanditPolicy(slackFactor: slackFactor, evaluationInterval: interval, delayEvaluation: delay)
    case .bandit(nil, let slackAmount?):
        return BanditPolicy(slackAmount: slackAmount, evaluationInterval: interval, delayEvaluation: delay)
    case .bandit:
        preconditionFailure("unreachable: bandit slack validated above")
    case .medianStopping:
        return MedianStoppingPolicy(evaluationInterval: interval, delayEvaluation: delay)
    case .truncationSelection(let percentage):
        return TruncationSelectionPolicy(truncationPercentage: percentage, evaluationInterval: interval, delayEvaluation: delay)
    }
}

/// Like ``makePolicy(_:)``, but throws every problem of an invalid `spec` instead of stopping.
public func makeValidatedPolicy(_ spec: EarlyTerminationSpec?) throws(ConfigurationError) -> any EarlyTerminationPolicy {
    if let spec {
        let problems = spec.validationProblems()
        if !problems.isEmpty { throw ConfigurationError(problems) }
    }
    return makePolicy(spec)
}
