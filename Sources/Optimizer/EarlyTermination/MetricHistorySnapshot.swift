// Notation: a trial's curve is its primary-metric reports in the order they were logged;
// n is the number of reports a trial has logged (HyperDriveSemantics.md §Objective and metrics:
// each report is one "interval").
//
// Non-finite values (NaN, ±inf) [decided]: a non-finite report still counts as a report (it
// advances n, so evaluation points stay where the script's logging puts them), but it is
// ignored when a best or a mean is computed. It never makes a trial best. A trial whose first n
// reports are all non-finite has no best and no mean at n: it is not a reference for other
// trials, and when it is the trial under evaluation it counts as worse than any finite value.

/// One trial's primary-metric history as a policy sees it.
public struct TrialCurve: Sendable, Equatable, Codable {
    /// The trial's id (0-based index in proposal order).
    public var trial: Int
    /// Primary-metric reports in the order they were logged; only those logged before any stop
    /// decision. May contain non-finite values (counted as reports, ignored by bests and means).
    public var values: [Double]
    /// `true` while the trial runs; `false` once it finished, failed or was stopped.
    /// Informational: policies compare against running and ended trials alike
    /// (<doc:HyperDriveSemantics#Early-termination>).
    public var isRunning: Bool

    /// A curve; `isRunning` defaults to `true`.
    public init(trial: Int, values: [Double], isRunning: Bool = true) {
        self.trial = trial
        self.values = values
        self.isRunning = isRunning
    }

    /// The number of reports logged so far (n).
    public var reportCount: Int { values.count }

    /// The best finite value among the first `count` reports under `goal`, with its 1-based
    /// report number (the first one on ties); `nil` when none of them is finite.
    public func best(withinFirst count: Int, goal: PrimaryMetricGoal) -> (value: Double, report: Int)? {
        var result: (value: Double, report: Int)?
        for (index, value) in values.prefix(count).enumerated() where value.isFinite {
            if let current = result, !goal.isBetter(value, than: current.value) { continue }
            result = (value, index + 1)
        }
        return result
    }

    /// The mean of the finite values among the first `count` reports; `nil` when none is finite.
    public func mean(ofFirst count: Int) -> Double? {
        var sum = 0.0
        var finiteCount = 0
        for value in values.prefix(count) where value.isFinite {
            sum += value
            finiteCount += 1
        }
        return finiteCount == 0 ? nil : sum / Double(finiteCount)
    }
}

/// An immutable view of every trial's primary-metric history at one moment: everything an
/// early-termination policy may use to decide.
public struct MetricHistorySnapshot: Sendable, Equatable {
    /// The direction in which the primary metric improves.
    public var goal: PrimaryMetricGoal
    /// One curve per trial that has been started (running, finished, failed or stopped), each
    /// trial at most once.
    public var curves: [TrialCurve]

    /// A snapshot of `curves` (trial ids unique) under `goal`.
    public init(goal: PrimaryMetricGoal, curves: [TrialCurve] = []) {
        self.goal = goal
        self.curves = curves
    }

    /// The curve of `trial`, or `nil` when the snapshot has none.
    public func curve(for trial: Int) -> TrialCurve? {
        curves.first { $0.trial == trial }
    }

    /// The curves that have logged at least `count` reports (the peers a policy compares at n).
    public func curves(withAtLeast count: Int) -> [TrialCurve] {
        curves.filter { $0.reportCount >= count }
    }
}
