import Optimizer

/// The way a training script reported a metric value (HyperDriveSemantics.md §Logging metrics). All
/// three are read at once.
public enum MetricChannel: String, Sendable, Hashable, Codable, CaseIterable {
    /// A `NAME=VALUE` or `NAME: VALUE` line on the trial's stdout.
    case stdout
    /// A `{"name", "value", "step"}` line in the file named by `HDBENCH_METRICS_FILE`.
    case metricsFile = "metrics_file"
    /// `mlflow.log_metric`, read from the trial's local MLflow file store.
    case mlflow
}
