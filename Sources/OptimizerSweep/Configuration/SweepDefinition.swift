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
    public var inputs: [(name: String, value: String)]
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
    }
}

/// The `trial:` section: what runs once per trial.
public struct TrialSpec: Sendable {
    /// The command with `${{…}}` placeholders, run under `/bin/sh -c`.
    public var command: String
    /// Working directory (absolute), from `code:`; the YAML's folder when absent.
    public var codeDirectory: URL
    /// `environment_variables`, in the order written.
    public var environmentVariables: [(name: String, value: String)]

    public init(command: String, codeDirectory: URL, environmentVariables: [(name: String, value: String)] = []) {
        self.command = command
        self.codeDirectory = codeDirectory
        self.environmentVariables = environmentVariables
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

