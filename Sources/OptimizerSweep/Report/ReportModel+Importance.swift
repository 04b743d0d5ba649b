public import Optimizer

extension ReportModel {
    /// Parameter importances of an experiment and the trials they were learned from.
    public struct ImportanceSummary: Sendable, Hashable {
        /// Most important first; importances sum to 1.
        public var importances: [ParameterImportance]
        /// Number of trials the forest was fitted on.
        public var trialCount: Int
        /// The trials left out, e.g. `4 failed, 3 cancelled (stopped early), 1 without a value`.
        public var leftOut: String
    }

    /// fANOVA parameter importance (``FanovaImportance``, Optuna's defaults) over this
    /// experiment's trials.
    ///
    /// Trials counted: `completed` trials with a finite value, as Optuna counts only COMPLETE
    /// trials. A trial stopped by the early-termination policy has a value measured at a
    /// smaller budget than a completed one, which would mix two objectives into one regression;
    /// `includeStopped` adds them (their best value before the stop) for sweeps where nearly
    /// every trial is stopped. Failed, interrupted, running and queued trials never count.
    /// The search space's priors are used when known (``searchSpace``).
    ///
    /// `limit` caps the trials the forest is fitted on: beyond it, an evenly spaced subset in
    /// trial order is used (deterministic).
    ///
    /// - Throws: ``ImportanceError`` when fewer than 2 trials count, the objective is constant
    ///   over them, or there are no parameters.
    public func parameterImportance(includeStopped: Bool = false, seed: UInt64 = 0, limit: Int? = nil) throws(ImportanceError) -> ImportanceSummary {
        var used: [ImportanceObservation] = []
        var left: [String: Int] = [:]
        for trial in trials {
            let stopped = trial.status == .cancelled && trial.stoppedAtReport != nil
            guard trial.status == .completed || (includeStopped && stopped) else {
                left[stopped ? "cancelled (stopped early)" : trial.status.rawValue, default: 0] += 1
                continue
            }
            guard let value = trial.value, value.isFinite else {
                left["without a finite value", default: 0] += 1
                continue
            }
            used.append(ImportanceObservation(configuration: trial.configuration, value: value))
        }
        if let limit, used.count > limit, limit > 0 {
            left["usable but not sampled (the forest is fitted on at most \(limit))"] = used.count - limit
            let stride = Double(used.count) / Double(limit)
            used = (0..<limit).map { used[Int(Double($0) * stride)] }
        }
        let importances = try FanovaImportance(seed: seed).evaluate(used, space: searchSpace)
        let leftOut = left.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return ImportanceSummary(importances: importances, trialCount: used.count, leftOut: leftOut)
    }
}
