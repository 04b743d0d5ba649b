import Foundation
public import Optimizer

extension ReportModel {
    /// The report model of the experiment in `store` (works while a sweep runs).
    ///
    /// Parameter axes come from the search space in the stored YAML (log axes for
    /// loguniform/qloguniform/lognormal/qlognormal); when there is no YAML (sweeps defined in
    /// Swift) or it cannot be read, they are inferred from the values and a remark says so.
    public init(store: ExperimentStore) throws {
        guard let experiment = try store.experiment() else { throw ExperimentStoreError.notAnExperiment(store.directory.path) }
        let results = try store.results()
        let diagnostics = try store.diagnostics()
        let resolved = experiment.resolvedConfiguration
        let trials = results.map { result in
            Trial(id: result.trial.id, status: result.trial.status, value: result.value,
                  configuration: result.trial.configuration, reason: result.trial.reason,
                  started: result.trial.started, ended: result.trial.ended, command: result.trial.command,
                  folder: result.trial.folder,
                  curve: result.history.filter { !$0.afterStop }.map(\.value),
                  reportsAfterStop: result.history.filter(\.afterStop).count,
                  stoppedAtReport: result.stopDecision?.reportCount, stopReason: result.stopDecision?.reason)
        }
        var remarks: [String] = []
        var parameters: [Parameter]
        let space = Self.searchSpace(fromYAML: experiment.yaml)
        if let space {
            parameters = Self.parameters(of: space)
            // Trials may carry names the space does not (a changed YAML is refused on resume, but be safe).
            for extra in Self.inferredParameters(from: trials) where !parameters.contains(where: { $0.name == extra.name }) {
                parameters.append(extra)
            }
        } else {
            parameters = Self.inferredParameters(from: trials)
            remarks.append(experiment.yaml.isEmpty
                ? "This sweep was defined in Swift, so the report does not know which parameters are log-scaled; all numeric axes are linear."
                : "The stored sweep YAML could not be read, so the report does not know which parameters are log-scaled; all numeric axes are linear.")
        }
        var settings: [(name: String, value: String)] = []
        if let resolved {
            settings.append(("sampling", Self.describe(resolved.sampling)))
            settings.append(("early termination", resolved.earlyTermination.map(Self.describe) ?? "none"))
            settings.append(("limits", Self.describe(resolved.limits)))
        }
        self.init(directory: store.directory.path, objective: experiment.objective, status: experiment.status.rawValue,
                  statusReason: experiment.reason, created: experiment.created, commandTemplate: resolved?.command,
                  codeDirectory: resolved?.codeDirectory,
                  environmentVariables: resolved?.environmentVariables.map { ($0.name, $0.value) } ?? [],
                  settings: settings, parameters: parameters, trials: trials,
                  diagnostics: diagnostics.map(\.description), remarks: remarks,
                  generator: "hdbench \(OptimizerLibrary.version)", searchSpace: space)
        let suggestions = try store.suggestions()
        samplerDiagnostics = suggestions.flatMap { record in record.diagnostics.map { SamplerNote(trial: record.trial, diagnostic: $0) } }
        lengthScales = space.map { Self.lastLengthScales(suggestions, space: $0) } ?? []
    }

    /// The length-scales of the last model suggestion's fit, from the Bayesian sampler's stored
    /// warm start (``SamplerState/warmStartKey``: log length-scales, then two more values).
    static func lastLengthScales(_ suggestions: [SuggestionRecord], space: SearchSpace) -> [LengthScale] {
        let names = SearchSpaceEncoding(space).coordinateNames
        for record in suggestions.reversed() where record.diagnostics.contains(where: { $0.kind == .model }) {
            guard let vector = record.state?.vectors[SamplerState.warmStartKey], vector.count == names.count + 2 else { continue }
            return zip(names, vector).map { LengthScale(coordinate: $0, value: exp($1), trial: record.trial) }
        }
        return []
    }

    /// The `search_space` of a sweep YAML, read without checking paths (the code folder may
    /// have moved since the sweep ran); `nil` when absent or invalid.
    static func searchSpace(fromYAML yaml: String) -> SearchSpace? {
        guard !yaml.isEmpty else { return nil }
        var problems: [ConfigurationProblem] = []
        guard let root = YAML11Node.load(yaml, problems: &problems), let entries = root.entries,
              let node = entries.first(where: { $0.key == "search_space" })?.value else { return nil }
        var reader = YAML11Reader()
        return SearchSpace.read(yaml: node, path: "search_space", reader: &reader)
    }

    /// `random (seed 42, rule sobol)`, `grid`, `bayesian (seed 7)`.
    public static func describe(_ sampling: SamplingAlgorithm) -> String {
        switch sampling {
        case .random(let seed, let rule):
            var details: [String] = []
            if let seed { details.append("seed \(seed)") }
            if rule == .sobol { details.append("rule sobol") }
            return "random" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
        case .grid: return "grid"
        case .bayesian(let seed): return "bayesian" + (seed.map { " (seed \($0))" } ?? "")
        }
    }

    /// `bandit (slack_factor 0.2, evaluation_interval 1, delay_evaluation 5)`.
    public static func describe(_ spec: EarlyTerminationSpec) -> String {
        var details: [String] = []
        let name: String
        switch spec.kind {
        case .bandit(let factor, let amount):
            name = "bandit"
            if let factor { details.append("slack_factor \(factor)") }
            if let amount { details.append("slack_amount \(amount)") }
        case .medianStopping: name = "median_stopping"
        case .truncationSelection(let percentage):
            name = "truncation_selection"
            details.append("truncation_percentage \(percentage)")
        }
        details.append("evaluation_interval \(spec.evaluationInterval)")
        details.append("delay_evaluation \(spec.delayEvaluation)")
        return "\(name) (\(details.joined(separator: ", ")))"
    }

    /// `max_total_trials 20, max_concurrent_trials 4, timeout 3600 s`.
    public static func describe(_ limits: Limits) -> String {
        var parts = ["max_total_trials \(limits.maxTotalTrials)"]
        if let c = limits.maxConcurrentTrials { parts.append("max_concurrent_trials \(c)") }
        if let t = limits.timeout { parts.append("timeout \(SweepRunner.seconds(t))") }
        if let t = limits.trialTimeout { parts.append("trial_timeout \(SweepRunner.seconds(t))") }
        return parts.joined(separator: ", ")
    }
}
