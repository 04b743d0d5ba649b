/// Whether the primary metric is to be maximised or minimised (HyperDrive's `PrimaryMetricGoal`).
public enum PrimaryMetricGoal: String, Sendable, Hashable, Codable, CaseIterable {
    case maximize
    case minimize

    /// True when `a` is strictly better than `b` under this goal.
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        self == .maximize ? a > b : a < b
    }
}
