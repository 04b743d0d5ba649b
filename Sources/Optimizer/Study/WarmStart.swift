/// A trial evaluated outside this study or sweep — in an earlier experiment — with its value:
/// what a warm start is made of.
public struct WarmStartTrial: Sendable, Hashable, Codable {
    /// The values it ran (of its own search space before ``WarmStart/map(_:onto:source:)``,
    /// of this one after).
    public var configuration: Configuration
    /// Its value for ranking (the best primary metric it logged).
    public var value: Double

    public init(configuration: Configuration, value: Double) {
        self.configuration = configuration
        self.value = value
    }
}

/// What a warm start made of one source's trials.
public struct WarmStartSummary: Sendable, Hashable, Codable {
    /// Where the trials come from (an experiment folder, or a name of the caller's).
    public var source: String
    /// Trials offered with a finite value.
    public var offered: Int
    /// Trials used: every parameter of this space present and in range.
    public var used: Int
    /// Trials dropped because a value is outside this space (out of bounds, not an option, not
    /// a multiple of q, of another type).
    public var outOfRange: Int
    /// Trials skipped because they lack a parameter of this space.
    public var missingParameter: Int
    /// Parameters of the source's trials that this space does not have (ignored).
    public var ignoredParameters: [String]
    /// The source optimised the same metric in the other direction: each trial's value is its
    /// best report under this study's goal.
    public var goalDiffers = false

    public init(source: String, offered: Int = 0, used: Int = 0, outOfRange: Int = 0, missingParameter: Int = 0,
                ignoredParameters: [String] = []) {
        self.source = source
        self.offered = offered
        self.used = used
        self.outOfRange = outOfRange
        self.missingParameter = missingParameter
        self.ignoredParameters = ignoredParameters
    }

    /// One line for people: `warm start from DIR: 48 of 50 trials used (2 out of range dropped, …)`.
    public var line: String {
        var notes: [String] = []
        if outOfRange > 0 { notes.append("\(outOfRange) with a value outside this search space dropped") }
        if missingParameter > 0 { notes.append("\(missingParameter) lacking a parameter of this search space skipped (not filled from the prior)") }
        if !ignoredParameters.isEmpty { notes.append("parameters not in this search space ignored: \(ignoredParameters.joined(separator: ", "))") }
        if goalDiffers { notes.append("the source had the other goal; its trials' values are their best reports under this goal") }
        return "warm start from \(source): \(used) of \(offered) trials used" + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")")
    }
}

/// How trials of an earlier search space become observations of this one.
///
/// - A parameter of both spaces keeps its value when this space admits it
///   (``ParameterExpression/canonicalValue(_:)``); a trial with a value this space does not
///   admit is **dropped** and counted (``WarmStartSummary/outOfRange``): the surrogate must not
///   be taught about points the sweep can never run.
/// - A trial lacking a parameter of this space is **skipped** and counted
///   (``WarmStartSummary/missingParameter``), not filled from the parameter's prior: a value
///   drawn now was never run, and pairing it with the trial's result would teach the surrogate
///   an effect that was never observed — noise the fit cannot tell from signal. Skipping keeps
///   every observation a real one; the price is fewer observations when the space grew.
/// - A parameter of the source that this space lacks is ignored (the trial is projected onto
///   this space) and named (``WarmStartSummary/ignoredParameters``).
/// - Trials without a finite value are not offered.
public enum WarmStart {
    /// The trials of `trials` that this space can use, in canonical form, and what was done.
    public static func map(_ trials: [WarmStartTrial], onto space: SearchSpace, source: String) -> (trials: [WarmStartTrial], summary: WarmStartSummary) {
        var summary = WarmStartSummary(source: source)
        var ignored: [String] = []
        var used: [WarmStartTrial] = []
        for trial in trials where trial.value.isFinite {
            summary.offered += 1
            for name in trial.configuration.names where space[name] == nil && !ignored.contains(name) { ignored.append(name) }
            var values: [ParameterValue] = []
            var missing = false, outside = false
            for parameter in space.parameters {
                guard let value = trial.configuration[parameter.name] else { missing = true; break }
                guard case .success(let v) = parameter.expression.canonicalValue(value) else { outside = true; break }
                values.append(v)
            }
            if missing {
                summary.missingParameter += 1
            } else if outside {
                summary.outOfRange += 1
            } else {
                used.append(WarmStartTrial(configuration: Configuration(names: space.names, values: values), value: trial.value))
            }
        }
        summary.used = used.count
        summary.ignoredParameters = ignored
        return (used, summary)
    }
}
