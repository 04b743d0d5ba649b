public import Foundation
import Optimizer

/// One metric value as a training script reported it, before the sweep numbers it.
public struct MetricReport: Sendable, Hashable, Codable {
    /// The metric's name as logged (`accuracy`, `val/loss`).
    public var name: String
    /// The value; may be non-finite (such values are kept, flagged by a diagnostic, and never
    /// rank a trial).
    public var value: Double
    /// The step the script gave (`step` in JSON lines and MLflow); `nil` on stdout.
    public var step: Int?
    /// How the value arrived.
    public var channel: MetricChannel
    /// When hdbench read it.
    public var time: Date

    public init(name: String, value: Double, step: Int? = nil, channel: MetricChannel, time: Date = Date()) {
        self.name = name
        self.value = value
        self.step = step
        self.channel = channel
        self.time = time
    }
}
