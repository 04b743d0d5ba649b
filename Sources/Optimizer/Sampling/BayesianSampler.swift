import Foundation

/// Bayesian sampling: a random initial design, then a Gaussian-process surrogate over the
/// encoded space (``SearchSpaceEncoding``) with log expected improvement maximised by
/// multistart L-BFGS-B (``BayesianOptimizer``).
///
/// - Initial design: until `initialDesignSize` trials (default 10, as Optuna's and
///   scikit-optimize's GP samplers) have finished with a value, trials are drawn independently
///   at random (``InitialDesign/random``; ``InitialDesign/sobol`` for a scrambled Sobol
///   sequence). Why random and why 10: <doc:DecisionLog#Initial-design>.
/// - Mixed spaces: the acquisition is maximised over runnable configurations only
///   (`DiscreteCoordinates`: snapped candidates, continuous L-BFGS-B, single-parameter
///   discrete moves), see ``searchesDiscreteCoordinates``.
/// - Orientation: values are negated when minimising, so the surrogate always maximises.
/// - Pending trials enter by kriging believer (``PendingStrategy``), so concurrent suggestions
///   do not pile onto one point.
/// - In an all-discrete space a configuration already finished or pending is never proposed
///   again: the maximiser's other runs are tried in order of acquisition, then an unused
///   configuration is drawn at random; the sampler returns `nil` when the space is used up.
/// - Degrade, never die: if the surrogate cannot be fitted, the suggestion is a random draw and
///   carries a ``SamplerDiagnostic/Kind/fallback`` diagnostic saying why.
/// - State: the Gaussian process's warm start (``BayesianOptimizer/lastHyperparameters``) is
///   returned with every suggestion (``Suggestion/state``) and put back by ``restore(_:)``;
///   with ``LargeHistoryModel/exact`` above 1,000 observations also the refit schedule
///   (``RefitSchedule``), from which a restored sampler rebuilds the kept factor bit for bit.
///   The default subset model above 1,000 observations (``LocalSubset``) saves the same vector
///   for its θ refit count (its rows are a function of the history and the warm start's length
///   scales). With ``TrustRegionOptions/isEnabled`` also the trust region (``TrustRegion``).
/// - Trials an early-termination policy stopped (``SamplerObservation/isPartial``,
///   <doc:HyperDriveSemantics#Extensions-beyond-Azure>) enter the surrogate as
///   ``partialObservations`` says.
public struct BayesianSampler: Sampler {
    /// How the trials before the surrogate takes over are drawn.
    public enum InitialDesign: String, Sendable, Hashable, Codable, CaseIterable {
        /// A scrambled Sobol sequence over the space (``SobolSampler`` with the sampler's seed;
        /// seeded random draws if the space needs more Sobol coordinates than the table holds).
        case sobol
        /// Independent uniform draws (``RandomSampler`` with the sampler's seed), as Optuna's
        /// and scikit-optimize's GP samplers do.
        case random
    }

    /// How a trial stopped by an early-termination policy enters the surrogate. Its value is
    /// its best value so far: a bound on what the full run would have reached (never better),
    /// taken early on a rising learning curve, so often far below every completed trial.
    public enum PartialObservationHandling: String, Sendable, Hashable, Codable, CaseIterable {
        /// The best value so far, as if the trial had completed.
        case asIs = "as_is"
        /// The best value so far, but never worse than the worst completed trial:
        ///
        /// ```
        /// y_partial ← max(y_partial, min over completed trials of y)     (y oriented: larger is better)
        /// ```
        ///
        /// The policy's verdict ("worse than its peers") is kept — the trial still ranks at the
        /// bottom — but a value read early on a rising curve cannot become an outlier that
        /// dominates the standardisation (sd(y)) and the GP's fit, flattening the differences
        /// between the completed trials the acquisition must resolve. Since the best value so far
        /// is a bound the full run would only have improved on, raising it is never less
        /// faithful than keeping it. Without completed trials the values are kept as they are.
        case floorAtWorstCompleted = "floor_at_worst_completed"
    }

    /// Trials drawn before the surrogate is used, unless the caller says otherwise (as Optuna's
    /// and scikit-optimize's GP samplers).
    public static let defaultInitialDesignSize = 10
    /// How they are drawn, unless the caller says otherwise.
    public static let defaultInitialDesign = InitialDesign.random

    public let space: SearchSpace
    public let encoding: SearchSpaceEncoding
    public let seed: UInt64
    /// Trials drawn before the surrogate is used.
    public var initialDesignSize: Int
    /// The optimisation step, carrying the warm start between suggestions.
    public var optimizer: BayesianOptimizer
    /// What the surrogate believed when it made a suggestion. Kept small on purpose: holding
    /// the whole ``BayesianSuggestion`` would keep its fitted model (an n×n factor) alive
    /// between suggestions. (Above ``LargeHistoryOptions/threshold`` observations with
    /// ``LargeHistoryModel/exact`` the ``optimizer`` does keep one factor, on purpose: the next
    /// suggestion grows it.)
    public struct ModelSuggestion: Sendable, Equatable {
        /// The point run, in the unit cube.
        public var point: [Double]
        /// The acquisition value there (log EI by default).
        public var acquisitionValue: Double
        /// f*, in the model's units (``BayesianSuggestion/incumbent``).
        public var incumbent: Double
        /// The fitted hyperparameters.
        public var hyperparameters: GaussianProcessHyperparameters
    }

    /// How the last suggestion was made when the surrogate made it; `nil` after a suggestion
    /// from the initial design or a random fallback. For diagnostics (`hdbench bench quality
    /// --trace`).
    public private(set) var lastModelSuggestion: ModelSuggestion?
    /// How the initial design is drawn.
    public let initialDesign: InitialDesign
    /// The sampler drawing the initial design.
    private let designSampler: any Sampler
    /// How trials stopped by an early-termination policy enter the surrogate.
    public var partialObservations = PartialObservationHandling.floorAtWorstCompleted
    /// Whether the acquisition is maximised over runnable points only when the space has
    /// discrete coordinates (`DiscreteCoordinates`; default). `false` maximises the
    /// continuous relaxation and decodes its maximum (for comparison; the measurements are in
    /// <doc:DecisionLog#Mixed-spaces>).
    public var searchesDiscreteCoordinates = true

    /// - Parameters:
    ///   - space: the space to search.
    ///   - seed: every random choice derives from (seed, trial index).
    ///   - initialDesignSize: `nil` for ``defaultInitialDesignSize`` (10).
    ///   - initialDesign: `nil` for ``defaultInitialDesign`` (``InitialDesign/random``).
    ///   - options: the optimisation step's options (<doc:BayesianCore>).
    public init(space: SearchSpace, seed: UInt64 = 0, initialDesignSize: Int? = nil, initialDesign: InitialDesign? = nil,
                options: BayesianOptimizerOptions = .init()) {
        self.space = space
        self.encoding = SearchSpaceEncoding(space)
        self.seed = seed
        self.initialDesignSize = initialDesignSize ?? Self.defaultInitialDesignSize
        self.optimizer = BayesianOptimizer(options: options)
        let initialDesign = initialDesign ?? Self.defaultInitialDesign
        self.initialDesign = initialDesign
        if initialDesign == .sobol, let sobol = try? SobolSampler(space: space, seed: seed) {
            self.designSampler = sobol
        } else {
            self.designSampler = RandomSampler(space: space, seed: seed)
        }
    }

    public mutating func suggestion(history: SamplerHistory, trialIndex: Int) throws -> Suggestion? {
        var rng = SplitMix64(seed: seed, stream: UInt64(trialIndex))
        lastModelSuggestion = nil
        let used = Set(history.observations.map(\.configuration))
        if let cardinality = space.cardinality, used.count >= cardinality { return nil }
        let finished = history.observations.filter { !$0.isPending && ($0.value?.isFinite ?? false) }
        if finished.count < initialDesignSize {
            var design = designSampler
            guard let configuration = try design.suggest(history: history, trialIndex: trialIndex) else { return nil }
            let note = SamplerDiagnostic(.initialDesign, "\(initialDesign.rawValue) draw: \(finished.count) of \(initialDesignSize) finished trials with a value before the surrogate is used")
            return Suggestion(configuration, diagnostics: [note], state: state)
        }
        let d = encoding.dimension
        var x = Matrix(rows: finished.count, columns: d)
        for (i, o) in finished.enumerated() {
            let e = encoding.encode(o.configuration)
            for j in 0..<d { x[i, j] = e[j] }
        }
        let y = Self.orientedValues(finished, goal: history.goal, partial: partialObservations)
        let pendingConfigurations = history.observations.filter(\.isPending).map(\.configuration)
        var pending = Matrix(rows: pendingConfigurations.count, columns: d)
        for (i, c) in pendingConfigurations.enumerated() {
            let e = encoding.encode(c)
            for j in 0..<d { pending[i, j] = e[j] }
        }
        let candidates = QuasiRandom.unitCube(count: optimizer.options.acquisition.candidateCount, dimension: d,
                                              seed: seed &+ UInt64(trialIndex) &* 0x9E37_79B9)
        let discrete = searchesDiscreteCoordinates ? DiscreteCoordinates(encoding) : nil
        let suggestion: BayesianSuggestion
        do {
            suggestion = try optimizer.suggest(observed: x, values: y, pending: pending, candidates: candidates,
                                               discrete: discrete, using: &rng)
        } catch {
            return randomUnused(used: used, using: &rng, because: "the surrogate could not be fitted (\(error)); drew a random configuration")
        }
        let summary = Self.modelSummary(suggestion, observations: finished.count, pending: pendingConfigurations.count, names: encoding.coordinateNames)
        for finalist in suggestion.maximum.finalists {
            let configuration = encoding.decode(finalist.point)
            if space.cardinality == nil || !used.contains(configuration) {
                lastModelSuggestion = ModelSuggestion(point: finalist.point, acquisitionValue: finalist.value,
                                                      incumbent: suggestion.incumbent, hyperparameters: suggestion.hyperparameters)
                return Suggestion(configuration, diagnostics: [summary], state: state)
            }
        }
        return randomUnused(used: used, using: &rng, because: "every acquisition maximum was an already-used configuration; drew an unused one",
                            also: [summary])
    }

    /// The warm start (``BayesianOptimizer/lastHyperparameters``) as a ``SamplerState``; `nil`
    /// before the first fit.
    public var state: SamplerState? {
        guard let h = optimizer.lastHyperparameters else { return nil }
        var vectors = [SamplerState.warmStartKey: h.logLengthScales + [h.logSignalVariance, h.logNoiseVariance]]
        if let s = optimizer.schedule {
            vectors[SamplerState.refitScheduleKey] = [Double(s.refitCount), Double(s.suggestionsSinceRefit), Double(s.anchorCount),
                                                      Double(s.factorCount), s.fingerprint]
        }
        if let region = optimizer.trustRegion {
            vectors[SamplerState.trustRegionKey] = region.vector
        }
        return SamplerState(vectors: vectors)
    }

    /// Puts back a warm start saved from ``Suggestion/state``.
    ///
    /// - Throws: ``ConfigurationError`` when the vector does not have one length-scale per
    ///   encoded coordinate plus two.
    public mutating func restore(_ state: SamplerState) throws {
        guard let v = state.vectors[SamplerState.warmStartKey] else { return }
        guard v.count == encoding.dimension + 2, v.allSatisfy(\.isFinite) else {
            throw ConfigurationError(path: "sampler state", message: "the stored warm start has \(v.count) values; this space needs \(encoding.dimension + 2) finite ones")
        }
        optimizer.lastHyperparameters = GaussianProcessHyperparameters(
            logLengthScales: Array(v.prefix(encoding.dimension)), logSignalVariance: v[v.count - 2], logNoiseVariance: v[v.count - 1])
        optimizer.schedule = nil
        optimizer.trustRegion = nil
        if let t = state.vectors[SamplerState.trustRegionKey] {
            guard let region = TrustRegion(vector: t) else {
                throw ConfigurationError(path: "sampler state", message: "the stored trust region must be a positive side, 2 non-negative whole counts, a finite best value and a whole restart count (got \(t.count) values)")
            }
            optimizer.trustRegion = region
        }
        if let r = state.vectors[SamplerState.refitScheduleKey] {
            let counts = r.prefix(4)
            guard r.count == 5, r.allSatisfy(\.isFinite), counts.allSatisfy({ $0 >= 0 && $0 <= 1e15 && $0 == $0.rounded() }) else {
                throw ConfigurationError(path: "sampler state", message: "the stored refit schedule must be 4 non-negative whole numbers and a finite fingerprint (got \(r.count) values)")
            }
            optimizer.schedule = RefitSchedule(refitCount: Int(r[0]), suggestionsSinceRefit: Int(r[1]), anchorCount: Int(r[2]),
                                               factorCount: Int(r[3]), fingerprint: r[4])
        }
    }

    /// One line about the fit behind a model suggestion: data, hyperparameters, acquisition.
    static func modelSummary(_ s: BayesianSuggestion, observations: Int, pending: Int, names: [String]) -> SamplerDiagnostic {
        let h = s.hyperparameters
        func short(_ x: Double) -> String { String(format: "%.3g", x) }
        let scales = zip(names, h.logLengthScales).map { "\($0)=\(short(exp($1)))" }.joined(separator: " ")
        let rows = s.subsetRows.map { "a local subset of \($0) of " } ?? ""
        var region = ""
        if let r = s.trustRegion {
            region = s.isRestartPoint
                ? "; trust region restart \(r.restarts): \(s.acquisitionValue.isFinite ? "the whole history's model, over the whole cube" : "a uniformly random point")"
                : "; trust region side \(short(r.side)) (\(r.restarts) restarts)"
        }
        return SamplerDiagnostic(.model, "GP on \(rows)\(observations) observations\(pending > 0 ? " + \(pending) pending" : ""); length scales \(scales); signal variance \(short(exp(h.logSignalVariance))), noise variance \(short(exp(h.logNoiseVariance))); acquisition \(short(s.maximum.value))\(region)")
    }

    /// The finished observations' values oriented so that larger is better, partial ones
    /// treated as `partial` says.
    ///
    /// - Precondition: every observation has a finite value.
    static func orientedValues(_ finished: [SamplerObservation], goal: PrimaryMetricGoal,
                               partial: PartialObservationHandling) -> [Double] {
        let sign: Double = goal == .maximize ? 1 : -1
        let y = finished.map { sign * $0.value! }
        guard partial == .floorAtWorstCompleted,
              let worstCompleted = zip(finished, y).filter({ !$0.0.isPartial }).map(\.1).min() else { return y }
        return zip(finished, y).map { $0.isPartial ? max($1, worstCompleted) : $1 }
    }

    /// A random configuration, not in `used` when the space is finite (nil when none is left),
    /// with a fallback diagnostic saying `because`.
    private func randomUnused(used: Set<Configuration>, using rng: inout SplitMix64, because reason: String,
                              also: [SamplerDiagnostic] = []) -> Suggestion? {
        let first = space.sample(using: &rng)
        let configuration = space.isFinite ? RandomSampler.untried(first: first, tried: used, space: space, generator: &rng) : first
        return configuration.map { Suggestion($0, diagnostics: also + [SamplerDiagnostic(.fallback, reason)], state: state) }
    }}

extension SearchSpaceEncoding {
    /// A label per encoded coordinate: the parameter's name, or `name[k]` for the k-th of a
    /// parameter's several coordinates (one-hot options, nested expressions).
    public var coordinateNames: [String] {
        var names: [String] = []
        for (parameter, range) in zip(space.parameters, parameterRanges) {
            names += range.count == 1 ? [parameter.name] : range.indices.map { "\(parameter.name)[\($0 - range.lowerBound)]" }
        }
        return names
    }
}
