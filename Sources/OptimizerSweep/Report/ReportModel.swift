public import Foundation
public import Optimizer

/// Everything the HTML report shows, as plain values: built from an experiment store by
/// ``ReportModel/init(store:)`` or directly (tests, synthetic experiments), then rendered by
/// ``HTMLReport/render(_:)``.
///
/// The model holds no database handle and does no I/O, so a report can be generated for any
/// experiment-shaped data, and rendering is a pure function of it.
public struct ReportModel: Sendable {
    /// One hyperparameter as the report draws it.
    public struct Parameter: Sendable, Hashable {
        /// How values of a parameter are placed on an axis.
        public enum Scale: String, Sendable, Hashable {
            /// Real line, linear axis.
            case linear
            /// Positive reals, logarithmic axis (loguniform, qloguniform, lognormal, qlognormal).
            case log
            /// Categories (string choices, nested-choice mappings, mixed choices), one tick each.
            case categorical
        }

        /// The parameter's name, as in the search space.
        public var name: String
        /// The axis the parameter is drawn on.
        public var scale: Scale
        /// The expression's YAML type (`choice`, `loguniform`, …); `nil` when unknown.
        public var expressionType: String?

        /// A parameter drawn on `scale`; `expressionType` is the YAML type when known.
        public init(name: String, scale: Scale, expressionType: String? = nil) {
            self.name = name
            self.scale = scale
            self.expressionType = expressionType
        }
    }

    /// One trial as the report shows it.
    public struct Trial: Sendable, Hashable {
        /// The trial id.
        public var id: Int
        /// How the trial ended (or that it is still queued/running).
        public var status: TrialStatus
        /// Its ranking value (best finite primary-metric report before any stop); `nil` if none.
        public var value: Double?
        /// The hyperparameters.
        public var configuration: Configuration
        /// Why it ended as it did.
        public var reason: String?
        /// When its process started.
        public var started: Date?
        /// When it ended.
        public var ended: Date?
        /// The command as run.
        public var command: String?
        /// The trial folder.
        public var folder: String
        /// Every primary-metric report before any stop, in order (may hold non-finite values).
        public var curve: [Double]
        /// Reports logged after a policy stopped the trial (kept, not ranked).
        public var reportsAfterStop: Int
        /// The report count n at which an early-termination policy stopped the trial.
        public var stoppedAtReport: Int?
        /// The policy's reason for stopping it.
        public var stopReason: String?

        /// A trial as the report shows it; `curve` excludes reports logged after a policy stop.
        public init(id: Int, status: TrialStatus, value: Double?, configuration: Configuration, reason: String? = nil,
                    started: Date? = nil, ended: Date? = nil, command: String? = nil, folder: String = "",
                    curve: [Double] = [], reportsAfterStop: Int = 0, stoppedAtReport: Int? = nil, stopReason: String? = nil) {
            self.id = id
            self.status = status
            self.value = value
            self.configuration = configuration
            self.reason = reason
            self.started = started
            self.ended = ended
            self.command = command
            self.folder = folder
            self.curve = curve
            self.reportsAfterStop = reportsAfterStop
            self.stoppedAtReport = stoppedAtReport
            self.stopReason = stopReason
        }

        /// Seconds from start to end (or to `now` while running); `nil` if it never started.
        public func duration(now: Date) -> Double? {
            guard let started else { return nil }
            return (ended ?? now).timeIntervalSince(started)
        }
    }

    /// The experiment folder.
    public var directory: String
    /// The primary metric and its goal.
    public var objective: Objective
    /// The experiment's status (`completed`, `running`, …) and why it ended.
    public var status: String
    /// Why the sweep ended as it did.
    public var statusReason: String?
    /// When the experiment was created.
    public var created: Date
    /// The `trial.command` template.
    public var commandTemplate: String?
    /// The folder trials run in.
    public var codeDirectory: String?
    /// `trial.environment_variables`, in order.
    public var environmentVariables: [(name: String, value: String)]
    /// Sampling, policy and limits as short human-readable text.
    public var settings: [(name: String, value: String)]
    /// The parameters, in search-space order.
    public var parameters: [Parameter]
    /// Every trial, by id.
    public var trials: [Trial]
    /// Diagnostics recorded during the sweep (unparsable lines, non-finite values, …).
    public var diagnostics: [String]
    /// Remarks about the model itself (e.g. the search space could not be read, so log axes
    /// are unknown).
    public var remarks: [String]
    /// The hdbench version that wrote the report.
    public var generator: String
    /// The search space, when known (from the stored YAML): parameter importance averages over
    /// its priors; `nil` ranks the parameters over the values seen.
    public var searchSpace: SearchSpace?
    /// What the sampler said about each suggestion (initial design, model, fallback), in
    /// suggestion order.
    public var samplerDiagnostics: [SamplerNote]
    /// The Bayesian sampler's last fitted Gaussian-process length-scales, one per encoded
    /// coordinate of the search space (unit-cube units); empty for other samplers.
    public var lengthScales: [LengthScale]

    /// One sampler diagnostic with the trial it was recorded for.
    public struct SamplerNote: Sendable, Hashable {
        /// The trial the suggestion was first run as.
        public var trial: Int
        /// What the sampler said.
        public var diagnostic: SamplerDiagnostic

        /// A note of `diagnostic` about trial `trial`'s suggestion.
        public init(trial: Int, diagnostic: SamplerDiagnostic) {
            self.trial = trial
            self.diagnostic = diagnostic
        }
    }

    /// A fitted length-scale of one encoded coordinate.
    public struct LengthScale: Sendable, Hashable {
        /// The coordinate: a parameter's name, or `name[k]` for the k-th coordinate of a one-hot choice.
        public var coordinate: String
        /// The length-scale ℓ in unit-cube units (small ℓ: the metric changes quickly along it).
        public var value: Double
        /// The trial whose suggestion came from this fit.
        public var trial: Int

        /// Length-scale `value` of `coordinate`, fitted for trial `trial`'s suggestion.
        public init(coordinate: String, value: Double, trial: Int) {
            self.coordinate = coordinate
            self.value = value
            self.trial = trial
        }
    }

    /// A model from plain values (tests, synthetic experiments); ``init(store:)`` builds one
    /// from an experiment store.
    public init(directory: String, objective: Objective, status: String, statusReason: String? = nil,
                created: Date = Date(), commandTemplate: String? = nil, codeDirectory: String? = nil,
                environmentVariables: [(name: String, value: String)] = [],
                settings: [(name: String, value: String)] = [], parameters: [Parameter], trials: [Trial],
                diagnostics: [String] = [], remarks: [String] = [], generator: String = "hdbench \(OptimizerLibrary.version)",
                searchSpace: SearchSpace? = nil, samplerDiagnostics: [SamplerNote] = [], lengthScales: [LengthScale] = []) {
        self.directory = directory
        self.objective = objective
        self.status = status
        self.statusReason = statusReason
        self.created = created
        self.commandTemplate = commandTemplate
        self.codeDirectory = codeDirectory
        self.environmentVariables = environmentVariables
        self.settings = settings
        self.parameters = parameters
        self.trials = trials
        self.diagnostics = diagnostics
        self.remarks = remarks
        self.generator = generator
        self.searchSpace = searchSpace
        self.samplerDiagnostics = samplerDiagnostics
        self.lengthScales = lengthScales
    }

    /// The best trial: best value under the goal, the earliest on ties; `nil` when no trial
    /// has a finite value.
    public var best: Trial? {
        var best: Trial?
        for trial in trials {
            guard let value = trial.value, value.isFinite else { continue }
            if let current = best?.value, !objective.goal.isBetter(value, than: current) { continue }
            best = trial
        }
        return best
    }

    /// Number of trials with each status.
    public var countsByStatus: [TrialStatus: Int] {
        trials.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
    }

    /// Compute saved by early termination (see ``ComputeSavings``).
    public var savings: ComputeSavings {
        ComputeSavings(trials: trials.map {
            ComputeSavings.TrialUsage(status: $0.status, reportCount: $0.curve.count,
                                      seconds: $0.duration(now: $0.ended ?? $0.started ?? created),
                                      stoppedByPolicy: $0.stoppedAtReport != nil)
        })
    }

    /// Parameters inferred from the trials' values when the search space is unknown: any
    /// non-numeric value makes a parameter categorical; otherwise linear.
    public static func inferredParameters(from trials: [Trial]) -> [Parameter] {
        var names: [String] = []
        var categorical = Set<String>()
        for trial in trials {
            for (name, value) in zip(trial.configuration.names, trial.configuration.values) {
                if !names.contains(name) { names.append(name) }
                if value.numericValue == nil { categorical.insert(name) }
            }
        }
        return names.map { Parameter(name: $0, scale: categorical.contains($0) ? .categorical : .linear) }
    }

    /// The axis for each parameter of `space`: log for the four log-scaled expressions,
    /// categorical for every `choice` (options in the order written), linear otherwise.
    public static func parameters(of space: SearchSpace) -> [Parameter] {
        space.parameters.map { parameter in
            let scale: Parameter.Scale
            switch parameter.expression {
            case .logUniform, .qLogUniform, .logNormal, .qLogNormal: scale = .log
            case .choice: scale = .categorical
            case .randint, .uniform, .quniform, .normal, .qNormal: scale = .linear
            }
            return Parameter(name: parameter.name, scale: scale, expressionType: parameter.expression.typeName)
        }
    }
}
