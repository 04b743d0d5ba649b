public import Foundation
public import Optimizer

/// The experiment as a whole: what was asked for and how far it got.
public struct ExperimentRecord: Sendable, Hashable, Codable {
    /// How the sweep stands.
    public enum Status: String, Sendable, Hashable, Codable {
        /// A sweep is running (or hdbench was killed while it ran; `--resume` continues it).
        case running
        /// Every trial was run (the budget or the search space is used up).
        case completed
        /// The sweep's `timeout` ended it.
        case timedOut = "timed_out"
        /// Stopped by the user (SIGINT/SIGTERM); `--resume` continues it.
        case interrupted
        /// The sampler failed; the reason says why.
        case failed
    }

    /// The sweep YAML exactly as given (empty for sweeps defined in Swift).
    public var yaml: String
    /// The resolved configuration as JSON (``ResolvedSweepConfiguration``).
    public var configurationJSON: String
    /// The primary metric and its goal.
    public var objective: Objective
    /// How the sweep stands.
    public var status: Status
    /// Why the sweep ended as it did.
    public var reason: String?
    /// When the experiment was created.
    public var created: Date
    /// When its status last changed.
    public var updated: Date
    /// The hdbench version that created the experiment.
    public var version: String

    public init(yaml: String, configurationJSON: String, objective: Objective, status: Status = .running,
                reason: String? = nil, created: Date = Date(), updated: Date = Date(), version: String = OptimizerLibrary.version) {
        self.yaml = yaml
        self.configurationJSON = configurationJSON
        self.objective = objective
        self.status = status
        self.reason = reason
        self.created = created
        self.updated = updated
        self.version = version
    }
}

/// The parts of a ``SweepDefinition`` that decide how trials run, as stored with the experiment.
public struct ResolvedSweepConfiguration: Sendable, Hashable, Codable {
    /// A name and its text value, in the order written.
    public struct NameValue: Sendable, Hashable, Codable {
        /// The name.
        public var name: String
        /// The value as text.
        public var value: String
    }

    /// The `trial.command` template, placeholders unsubstituted.
    public var command: String
    /// The code folder (`trial.code`, or `--code`), snapshotted once per sweep; each trial runs
    /// in its own copy of the snapshot.
    public var codeDirectory: String
    /// When `trial.code` names one file: its name (`nil` in experiments recorded before it).
    public var codeFile: String?
    /// Whether v1-style `--name value` arguments were appended (`nil`: recorded before the
    /// switch existed, when they were appended to commands naming no parameter).
    public var appendArguments: Bool?
    /// Whether trials had the offline `azureml.core.Run` module on their `PYTHONPATH`.
    public var azuremlRunShim: Bool?
    /// How trials' working copies were made (``WorkingCopyMode``).
    public var workingCopy: WorkingCopyMode?
    /// `--code` and `--input` overrides.
    public var overrides: SweepOverrides?
    /// The pipeline's sweep node that was run (`--node`), for a pipeline job.
    public var pipelineNode: String?
    /// The primary-metric value that ends the sweep (`x-hdbench.target`, `--target`), if any.
    public var target: Double?
    /// Whether the Bayesian sampler used the local trust region (`x-hdbench.trust_region`);
    /// `nil` when it did not (or the experiment was recorded before the key existed).
    public var trustRegion: Bool?
    /// `trial.environment_variables`.
    public var environmentVariables: [NameValue]
    /// Literal `inputs`.
    public var inputs: [NameValue]
    /// Declared `outputs`; each trial gets `outputs/<name>/`.
    public var outputs: [String]
    /// The primary metric and its goal.
    public var objective: Objective
    /// `sampling_algorithm`.
    public var sampling: SamplingAlgorithm
    /// `early_termination`, if any.
    public var earlyTermination: EarlyTerminationSpec?
    /// As written, except `maxConcurrentTrials`, which holds the effective value.
    public var limits: Limits
    /// Seconds between SIGTERM and SIGKILL when a trial is cancelled.
    public var gracePeriod: Double
    /// Whether hdbench's extensions beyond Azure were enabled.
    public var extensions: Bool
    /// Azure-only keys accepted and recorded (`environment`, `compute`, …).
    public var recordedAzureKeys: [NameValue]
    /// Non-fatal remarks made when the YAML was read.
    public var warnings: [String]

    public init(definition: SweepDefinition, options: SweepOptions) {
        command = definition.trial.command
        codeDirectory = definition.trial.codeDirectory.path
        codeFile = definition.trial.codeFile
        appendArguments = definition.trial.appendArguments
        azuremlRunShim = definition.azuremlRunShim
        workingCopy = options.workingCopy
        overrides = definition.overrides.isEmpty ? nil : definition.overrides
        pipelineNode = definition.pipelineNode
        target = definition.target
        trustRegion = definition.trustRegion ? true : nil
        environmentVariables = definition.trial.environmentVariables.map { NameValue(name: $0.name, value: $0.value) }
        inputs = definition.inputs.map { NameValue(name: $0.name, value: $0.value) }
        outputs = definition.outputs
        objective = definition.objective
        sampling = definition.sampling
        earlyTermination = definition.earlyTermination
        limits = definition.limits
        limits.maxConcurrentTrials = options.effectiveConcurrency(for: definition.limits)
        gracePeriod = options.gracePeriod
        extensions = definition.extensions
        recordedAzureKeys = definition.recordedAzureKeys.map { NameValue(name: $0.path, value: $0.value) }
        warnings = definition.warnings
    }

    /// Compact JSON with sorted keys.
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension ExperimentRecord {
    /// The stored resolved configuration, decoded; `nil` for a sweep defined before it was stored.
    public var resolvedConfiguration: ResolvedSweepConfiguration? {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try? decoder.decode(ResolvedSweepConfiguration.self, from: Data(configurationJSON.utf8))
    }
}
