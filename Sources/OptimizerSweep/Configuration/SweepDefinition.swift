public import Foundation
public import Optimizer

/// A parsed, validated sweep job: everything in an Azure ML v2 `type: sweep` YAML that
/// matters for running it on this machine.
///
/// Built by ``SweepDefinition/init(yaml:baseDirectory:extensions:)`` (YAML) or directly by
/// Swift callers.
public struct SweepDefinition: Sendable {
    /// The YAML text exactly as given (empty when built in Swift).
    public var sourceYAML: String
    /// Folder the YAML's relative paths are resolved against.
    public var baseDirectory: URL
    public var trial: TrialSpec
    /// Literal `inputs`, name → value (paths resolved against ``baseDirectory``), in the order written.
    /// Remote inputs (``remoteInputs``) are absent until an override (``applying(_:workingDirectory:)``) gives them a value.
    public var inputs: [(name: String, value: String)]
    /// Every declared input and what kind it is, in the order written (``inputs`` holds the values).
    public var inputDeclarations: [InputDeclaration]
    /// The command-line overrides applied (``applying(_:workingDirectory:)``), recorded with the experiment.
    public var overrides: SweepOverrides
    /// Whether trials get the offline `azureml.core.Run` module on their `PYTHONPATH`
    /// (HyperDriveSemantics.md §Running a trial; `x-hdbench: {azureml_run_shim: false}` or
    /// `--no-azureml-run-shim` turn it off). Default `true`.
    public var azuremlRunShim: Bool
    /// The primary-metric value that ends the sweep once a trial reaches it (≥ when maximising,
    /// ≤ when minimising; `x-hdbench: {target: VALUE}` or `--target VALUE`): running trials are
    /// cancelled as by the sweep `timeout`, and the reason is recorded. `nil`: no target.
    public var target: Double?
    /// Whether a Bayesian sweep confines its search to a local trust region from 300 trials on
    /// (`x-hdbench: {trust_region: true}`; ``TrustRegionOptions/measuredLocal``). Default
    /// `false`: the sampler's defaults.
    public var trustRegion = false
    /// For a pipeline job: the sweep node this definition is (`--node`); `nil` for a sweep job.
    public var pipelineNode: String?
    /// Names of the declared `outputs`; each trial gets its own folder for each.
    public var outputs: [String]
    public var searchSpace: SearchSpace
    public var sampling: SamplingAlgorithm
    public var objective: Objective
    public var earlyTermination: EarlyTerminationSpec?
    public var limits: Limits
    /// True when the user opted into hdbench's extensions beyond Azure (HyperDriveSemantics.md
    /// §Extensions beyond Azure).
    public var extensions: Bool
    /// Azure-only keys that were accepted and recorded but have no meaning here
    /// (`environment`, `compute`, `resources`, …), as YAML path → compact text.
    public var recordedAzureKeys: [(path: String, value: String)]
    /// Non-fatal remarks for the user (small budget for Bayesian, legacy `{search_space.x}` syntax, …).
    public var warnings: [String]

    /// A definition built in Swift (no YAML); the search space is validated by its own
    /// initialiser.
    public init(
        trial: TrialSpec,
        searchSpace: SearchSpace,
        sampling: SamplingAlgorithm,
        objective: Objective,
        limits: Limits,
        earlyTermination: EarlyTerminationSpec? = nil,
        inputs: [(name: String, value: String)] = [],
        outputs: [String] = [],
        baseDirectory: URL? = nil,
        extensions: Bool = false,
        sourceYAML: String = "",
        recordedAzureKeys: [(path: String, value: String)] = [],
        warnings: [String] = []
    ) {
        self.sourceYAML = sourceYAML
        self.baseDirectory = baseDirectory ?? trial.codeDirectory
        self.trial = trial
        self.inputs = inputs
        self.outputs = outputs
        self.searchSpace = searchSpace
        self.sampling = sampling
        self.objective = objective
        self.earlyTermination = earlyTermination
        self.limits = limits
        self.extensions = extensions
        self.recordedAzureKeys = recordedAzureKeys
        self.warnings = warnings
        self.inputDeclarations = inputs.map { InputDeclaration(name: $0.name, kind: .literal) }
        self.overrides = SweepOverrides()
        self.azuremlRunShim = true
    }
}

/// The `trial:` section: what runs once per trial.
public struct TrialSpec: Sendable {
    /// The command with `${{…}}` placeholders, run under `/bin/sh -c`.
    public var command: String
    /// The code folder (absolute), from `code:`; the YAML's folder when absent. It is
    /// snapshotted once per sweep and every trial runs in its own copy of the snapshot
    /// (``CodeSnapshot``); when `code:` names one file, this is that file's folder and
    /// ``codeFile`` its name.
    public var codeDirectory: URL
    /// When `trial.code` names a single file (the SDK accepts it): its name inside
    /// ``codeDirectory``; the snapshot then holds only that file.
    public var codeFile: String?
    /// `trial.code` as written when it names code hdbench cannot fetch (`azureml:…`, a URL):
    /// replaced with `--code DIR` (``SweepOverrides/code``); `nil` for local code.
    public var remoteCode: String?
    /// `environment_variables`, in the order written.
    public var environmentVariables: [(name: String, value: String)]
    /// v1 style, opt-in (`x-hdbench: {append_arguments: true}` or `--append-arguments`): when
    /// the command names no `search_space` parameter, every parameter is appended as a
    /// `--name value` pair. Off by default: Azure v2 runs the command unchanged.
    public var appendArguments: Bool

    public init(command: String, codeDirectory: URL, environmentVariables: [(name: String, value: String)] = [],
                codeFile: String? = nil, remoteCode: String? = nil, appendArguments: Bool = false) {
        self.command = command
        self.codeDirectory = codeDirectory
        self.codeFile = codeFile
        self.remoteCode = remoteCode
        self.environmentVariables = environmentVariables
        self.appendArguments = appendArguments
    }

    /// True when the command names no `search_space` parameter, so v1-style argument
    /// appending (``appendArguments``) would apply.
    public var namesNoParameter: Bool {
        !commandPlaceholders(in: command).contains { $0.namespace == .searchSpace }
    }
}

/// One declared `inputs:` entry.
public struct InputDeclaration: Sendable, Hashable {
    /// What the input is.
    public enum Kind: Sendable, Hashable {
        /// A literal value (`epochs: 10`, `{value: 42}`, `{type: integer, value: 42}`).
        case literal
        /// A local file or folder (`{type: uri_file, path: ./data.csv}`, or a bare `./path`).
        case path
        /// A data asset or URL hdbench cannot fetch (`azureml:…`, `azureml://…`, `wasbs://…`,
        /// `https://…`), as written: needs `--input NAME=VALUE`.
        case remote(String)
    }

    /// The input's name.
    public var name: String
    /// What it is.
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// `objective:` — the primary metric and its goal.
public struct Objective: Sendable, Hashable, Codable {
    public var goal: PrimaryMetricGoal
    public var primaryMetric: String

    public init(goal: PrimaryMetricGoal, primaryMetric: String) {
        self.goal = goal
        self.primaryMetric = primaryMetric
    }
}

/// `limits:` (seconds for the timeouts).
public struct Limits: Sendable, Hashable, Codable {
    public var maxTotalTrials: Int
    /// `nil` means max_total_trials, bounded by what the executor offers.
    public var maxConcurrentTrials: Int?
    /// Whole-sweep timeout in seconds.
    public var timeout: Double?
    /// Per-trial timeout in seconds.
    public var trialTimeout: Double?

    public init(maxTotalTrials: Int, maxConcurrentTrials: Int? = nil, timeout: Double? = nil, trialTimeout: Double? = nil) {
        self.maxTotalTrials = maxTotalTrials
        self.maxConcurrentTrials = maxConcurrentTrials
        self.timeout = timeout
        self.trialTimeout = trialTimeout
    }
}

extension SweepDefinition {
    /// The sampler this sweep runs: ``makeSampler(_:space:seed:)`` for ``sampling``, with the
    /// trust region of ``trustRegion`` for a Bayesian sweep.
    public func makeSweepSampler(seed: UInt64? = nil) throws(ConfigurationError) -> any Sampler {
        let sampler = try makeSampler(sampling, space: searchSpace, seed: seed)
        guard trustRegion, var bayesian = sampler as? BayesianSampler else { return sampler }
        bayesian.optimizer.options.trustRegion = .measuredLocal
        return bayesian
    }
}
