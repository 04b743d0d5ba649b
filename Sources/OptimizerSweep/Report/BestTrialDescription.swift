import Foundation
public import Optimizer

/// The best configuration as shown after a sweep, by `hdbench best` and in the report: its
/// parameters, value, folder, the command as run, and a shell line that reproduces the trial.
public struct BestTrialDescription: Sendable, Hashable {
    /// The trial id.
    public var trial: Int
    /// The trial's status (a policy-stopped trial can be best).
    public var status: TrialStatus
    /// The primary metric and goal.
    public var objective: Objective
    /// The ranking value.
    public var value: Double
    /// The parameters, in search-space order.
    public var configuration: Configuration
    /// The trial folder (logs, metrics, outputs).
    public var folder: String
    /// The command exactly as run under `/bin/sh -c`.
    public var command: String?
    /// The folder the command ran in: the trial's working copy of the code snapshot
    /// (`<folder>/workdir`) when it has one, else the sweep's code folder (experiments recorded
    /// before snapshots).
    public var codeDirectory: String?
    /// One shell line reproducing the trial (see ``reproduceLine(command:codeDirectory:configuration:environmentVariables:)``).
    public var reproduce: String?

    /// The description of a best trial; ``reproduce`` is built from `command`, `codeDirectory`,
    /// the parameters and `environmentVariables`.
    public init(trial: Int, status: TrialStatus, objective: Objective, value: Double, configuration: Configuration,
                folder: String, command: String?, codeDirectory: String?, environmentVariables: [(name: String, value: String)]) {
        self.trial = trial
        self.status = status
        self.objective = objective
        self.value = value
        self.configuration = configuration
        self.folder = folder
        self.command = command
        let workingCopy = folder + "/" + CodeSnapshot.workingCopyName
        let runIn = FileManager.default.fileExists(atPath: workingCopy) ? workingCopy : codeDirectory
        self.codeDirectory = runIn
        self.reproduce = command.map {
            Self.reproduceLine(command: $0, codeDirectory: runIn, configuration: configuration,
                               environmentVariables: environmentVariables)
        }
    }

    /// The best trial of `model`, if any trial has a value.
    public init?(model: ReportModel) {
        guard let best = model.best, let value = best.value else { return nil }
        self.init(trial: best.id, status: best.status, objective: model.objective, value: value,
                  configuration: best.configuration, folder: best.folder, command: best.command,
                  codeDirectory: model.codeDirectory, environmentVariables: model.environmentVariables)
    }

    /// A line for `/bin/sh` that runs the trial's command again the way hdbench ran it: in the
    /// code folder, with `AZUREML_SWEEP_<name>` for every parameter and the sweep's
    /// `environment_variables`, under `/bin/sh -c`:
    ///
    /// ```
    /// cd /work/src && env AZUREML_SWEEP_lr=0.01 /bin/sh -c 'python train.py --lr 0.01'
    /// ```
    ///
    /// hdbench's own per-trial variables (`HDBENCH_METRICS_FILE`, `MLFLOW_TRACKING_URI`, …) are
    /// left out, so a re-run logs to the script's defaults and cannot overwrite the trial's
    /// recorded metrics.
    public static func reproduceLine(command: String, codeDirectory: String?, configuration: Configuration,
                                     environmentVariables: [(name: String, value: String)]) -> String {
        var assignments = zip(configuration.names, configuration.values).map { "AZUREML_SWEEP_\($0)=" + shellQuoted($1.plainText) }
        assignments += environmentVariables.map { "\($0.name)=" + shellQuoted($0.value) }
        let run = (assignments.isEmpty ? "" : "env " + assignments.joined(separator: " ") + " ") + "/bin/sh -c " + shellQuoted(command)
        guard let codeDirectory else { return run }
        return "cd " + shellQuoted(codeDirectory) + " && " + run
    }

    /// The plain-text lines (`best: trial 3, accuracy = 0.93 (maximize), completed`, then
    /// indented `parameters:`, `folder:`, `command:`, `run in:`, `reproduce:`).
    public var lines: [String] {
        var lines = ["best: trial \(trial), \(objective.primaryMetric) = \(value) (\(objective.goal.rawValue)), \(status.rawValue)"]
        let parameters = zip(configuration.names, configuration.values).map { "\($0)=\($1.plainText)" }.joined(separator: " ")
        lines.append("  parameters: \(parameters.isEmpty ? "(none)" : parameters)")
        lines.append("  folder: \(folder)")
        if let command { lines.append("  command: \(command)") }
        if let codeDirectory { lines.append("  run in: \(codeDirectory)") }
        if let reproduce { lines.append("  reproduce: \(reproduce)") }
        return lines
    }
}
