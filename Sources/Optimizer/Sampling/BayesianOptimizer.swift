import Foundation

// Notation: X is n×d (observed points in the unit cube), y the n observed values oriented so
// that larger is better, P is k×d (pending points: proposed but without a result yet),
// C the m×d candidate block. ỹ = (y − mean(y))/sd(y) are the standardised values; the GP
// (zero prior mean) is fitted to ỹ − m, where m is the prior mean (``PriorMean``).

/// How pending (running) trials enter the next suggestion.
public enum PendingStrategy: String, Sendable, Hashable, Codable {
    /// Kriging believer (Ginsbourger, Le Riche & Carraro 2010, "Kriging is well-suited to
    /// parallelize optimization", §3.1): each pending point is added to the model with the
    /// posterior mean as its value, with the same hyperparameters (an incremental Cholesky
    /// append, O(n²k)). The variance at and near pending points collapses, so the next
    /// suggestion goes elsewhere; the incumbent is computed from the real observations only.
    case krigingBeliever
    /// Ignore pending points (suggestions may pile up at concurrency > 1; for comparison only).
    case ignore
}

/// How observed values are transformed before they are standardised for the surrogate.
public enum OutputWarping: String, Sendable, Hashable, Codable {
    /// Use the values as they are.
    case none
    /// When the values are heavy-tailed — the largest gap to the best value is more than five
    /// times the median gap — replace each value by −log(1 + gap/median gap), a monotone map
    /// that keeps the order (the best value maps to 0) and compresses the far tail of bad
    /// values that otherwise dominates the standardised scale and the GP fit (Rosenbrock's
    /// values span 10⁰…10⁵). Otherwise leave them as they are: applied unconditionally the warp
    /// cost well-behaved problems, hence the test. The default; the measurements are in
    /// <doc:DecisionLog#Output-warping>.
    case logGapWhenHeavyTailed

    /// The transformed values (larger still better).
    func apply(to values: [Double]) -> [Double] {
        guard self == .logGapWhenHeavyTailed, let top = values.max() else { return values }
        let gaps = values.map { top - $0 }.sorted()
        let median = gaps[gaps.count / 2]
        guard median > 0, gaps[gaps.count - 1] / median > 5 else { return values }
        return values.map { -log1p((top - $0) / median) }
    }
}

/// The surrogate's constant prior mean: the value its prediction returns to far from the data.
public enum PriorMean: String, Sendable, Hashable, Codable, CaseIterable {
    /// The average observation (the usual choice: the standardised values' 0).
    case average
    /// The worst observation (De Ath, Fieldsend & Everson 2020, "What do you Mean? The Role of the
    /// Mean Function in Bayesian Optimisation", GECCO; they found it the best of eight mean
    /// functions on synthetic problems of dimension ≥ 5). Far from the data the model then predicts
    /// the worst value seen rather than the average one, so expected improvement no longer rewards
    /// a point merely for being unexplored (with the average, the corners of the cube, far from
    /// every observation, attracted suggestions). The default; the measurements are in
    /// <doc:DecisionLog#Prior-mean>. The worst value is taken after ``OutputWarping``, which
    /// compresses a heavy tail logarithmically, so one disastrous trial (a diverged loss) moves the
    /// prior mean by the log of its gap to the best value rather than by the gap itself.
    case worstObserved = "worst_observed"
}

/// Options of the Bayesian optimisation step.
public struct BayesianOptimizerOptions: Sendable, Equatable {
    public var fit = GaussianProcessFitOptions()
    public var acquisition = AcquisitionMaximizerOptions()
    /// Log EI (default) or plain EI.
    public var logExpectedImprovement = true
    public var pendingStrategy = PendingStrategy.krigingBeliever
    /// The transform applied to values before standardisation.
    public var outputWarping = OutputWarping.logGapWhenHeavyTailed
    /// The surrogate's constant prior mean (default: the worst observation).
    public var priorMean = PriorMean.worstObserved
    /// s in [0, 1]: how far the value EI must improve on moves from the best observation
    /// towards the model's estimate of it. With y* the best (standardised, warped) observed
    /// value and μ* = max over observed points of the posterior mean,
    ///
    /// ```
    /// f* = (1 − s)·y* + s·μ*
    /// ```
    ///
    /// s = 0 is classic EI (improve on the best observation); s = 1 is "plug-in" EI (Picheny et
    /// al. 2013, "A benchmark of kriging-based infill criteria for noisy optimization"). When
    /// the fitted noise is tiny, μ* = y* and s changes nothing. When the model explains part of
    /// the observations as noise — a truly noisy objective, or a rugged one such as Ackley
    /// whose ripples the GP smooths — the best observation sits above the model's surface, so
    /// with s = 0 EI is ≈ 0 everywhere near it and the sampler keeps jumping to unexplored
    /// corners; s > 0 lets it refine the region the model believes best.
    ///
    /// Default 0.75; full plug-in (s = 1) exploits too hard on a truly noisy objective. The
    /// measurements are in <doc:DecisionLog#Incumbent-shrinkage>; the equations in
    /// <doc:BayesianCore#Incumbent>.
    public var incumbentShrinkage = 0.75
    /// Large histories: when hyperparameters are refitted, and the factor reused in between
    /// (<doc:DecisionLog#Large-histories>).
    public var largeHistory = LargeHistoryOptions()
    /// The trust region the acquisition search is confined to above
    /// ``TrustRegionOptions/threshold`` observations (default off).
    public var trustRegion = TrustRegionOptions()

    public init() {}
}

/// The model ``BayesianOptimizer`` uses above ``LargeHistoryOptions/threshold`` observations.
public enum LargeHistoryModel: String, Sendable, Hashable, Codable, CaseIterable {
    /// A subset-of-data GP (the default): the exact GP, fitted as at n ≤ threshold, on
    /// ``LargeHistoryOptions/subsetSize`` rows chosen by ``LocalSubset`` (the best values, the
    /// nearest to the best point, a space-filling rest). Cost and memory are those of a history
    /// of `subsetSize` rows plus O(n·m·d) for the choice, whatever n; the model is local: far
    /// from the incumbent it knows fewer points than the exact GP
    /// (<doc:BayesianCore#Large-histories>).
    case subset
    /// The exact GP on all n rows: θ refitted on a schedule, the Cholesky factor kept and
    /// grown by appends in between (``RefitSchedule``), candidates screened by a variance
    /// bound. O(n²) memory and per-suggestion work; 7 s and 1.6 GB per suggestion at n = 10,000.
    case exact
}

/// The large-history path of ``BayesianOptimizer``: above ``threshold`` observations the
/// model is ``model`` (default: a subset-of-data GP). At or below the threshold every
/// suggestion fits the exact GP on every observation, refitting θ.
///
/// With ``LargeHistoryModel/exact`` the hyperparameters θ are refitted only on a schedule;
/// between refits the Cholesky factor of K (which depends on X and θ only, not on the values)
/// is kept and grown one row per new observation with the O(n²) append, and only α = K⁻¹ỹ is
/// recomputed (O(n²)) for the re-standardised values. Memory: the optimizer then keeps the
/// factor between suggestions (n² doubles, 800 MB at n = 10,000) and briefly holds two during an
/// append. `threshold = Int.max` keeps nothing and refits every time on every row.
public struct LargeHistoryOptions: Sendable, Equatable {
    /// The path applies when n > threshold (default 1,000: behaviour up to 1,000 observations
    /// is unchanged). `Int.max` turns it off.
    public var threshold = 1000
    /// The model above the threshold (default ``LargeHistoryModel/subset``).
    public var model = LargeHistoryModel.subset
    /// Rows of the subset-of-data GP (default 1,000, the threshold's: a suggestion above the
    /// threshold costs what one at the threshold does).
    public var subsetSize = 1000
    /// With the subset model, refit θ after this many suggestions with kept θ (default 20), or
    /// when n has grown by ``refitGrowth``; in between the subset GP is built with the last θ
    /// (one O(m³) factorisation instead of a MAP-II fit).
    public var subsetRefitEvery = 20
    /// Refit when n has grown by this factor since the last refit (default 1.2: 20 %).
    public var refitGrowth = 1.2
    /// Refit after this many suggestions on the kept factor, however slowly n grows (default
    /// 200; the subset model uses ``subsetRefitEvery``).
    public var refitEvery = 200
    /// Above the threshold, candidates are screened with a variance bound from this many
    /// observations before the exact variance solves
    /// (`AcquisitionMaximizerOptions.screeningRows`; `nil`: no screening).
    public var screeningRows: Int? = 1000

    public init() {}
}

/// Where the large-history path stands (``LargeHistoryOptions``); saved in ``SamplerState`` so
/// a restored sampler makes the same decisions and rebuilds the same factor.
///
/// The factor is defined canonically, so that it can be rebuilt bit for bit without being
/// stored: L = chol(K(X[0..<anchorCount])) with the jitter ladder, then one O(n²) append per
/// row anchorCount, anchorCount + 1, …, factorCount − 1, in history order. The kept factor is
/// only a cache of that definition.
public struct RefitSchedule: Sendable, Hashable {
    /// n at the last hyperparameter refit.
    public var refitCount: Int
    /// Suggestions made on the kept factor since that refit.
    public var suggestionsSinceRefit: Int
    /// Rows factorised in one `dpotrf` (the refit, or the last fallback refactorisation).
    public var anchorCount: Int
    /// Rows in the factor after the last suggestion.
    public var factorCount: Int
    /// ``BayesianOptimizer/fingerprint(_:rows:)`` of X[0..<factorCount]: when the next X does not
    /// start with the same rows (a trial finished out of order), the factor is re-anchored.
    public var fingerprint: Double

    public init(refitCount: Int, suggestionsSinceRefit: Int, anchorCount: Int, factorCount: Int, fingerprint: Double) {
        self.refitCount = refitCount
        self.suggestionsSinceRefit = suggestionsSinceRefit
        self.anchorCount = anchorCount
        self.factorCount = factorCount
        self.fingerprint = fingerprint
    }

    /// What the next suggestion at n observations does.
    public enum Decision: Sendable, Hashable {
        /// Fit θ (warm-started), factor all n rows.
        case refit
        /// Keep θ and the factor, append rows factorCount..<n.
        case extend
        /// Keep θ, factor all n rows afresh (the kept rows are no longer a prefix of X).
        case reanchor
        /// The subset model between refits: keep θ, factor the subset's rows.
        case keep
    }

    /// The schedule's decision for n observations whose first `factorCount` rows have
    /// fingerprint `prefixFingerprint` (nil when n < factorCount).
    public func decision(n: Int, prefixFingerprint: Double?, options: LargeHistoryOptions) -> Decision {
        if n < refitCount || Double(n) >= Double(refitCount) * options.refitGrowth || suggestionsSinceRefit >= options.refitEvery {
            return .refit
        }
        guard let prefixFingerprint, prefixFingerprint == fingerprint else { return .reanchor }
        return .extend
    }
}

/// One suggestion and how it was made.
public struct BayesianSuggestion: Sendable {
    /// The point to evaluate next, in the unit cube.
    public var point: [Double]
    /// The acquisition value at `point` (log EI in standardised units by default).
    public var acquisitionValue: Double
    /// f*, the value EI improves on, in the model's units (standardised values minus the
    /// prior mean; see
    /// ``BayesianOptimizerOptions/incumbentShrinkage``).
    public var incumbent: Double
    /// The fitted hyperparameters (reused as the next warm start).
    public var hyperparameters: GaussianProcessHyperparameters
    /// Wall seconds spent fitting hyperparameters and conditioning.
    public var fitSeconds: Double
    /// Wall seconds spent maximising the acquisition.
    public var acquisitionSeconds: Double
    /// The hyperparameter fit's details.
    public var fit: GaussianProcessFit
    /// The maximiser's details.
    public var maximum: AcquisitionMaximum
    /// The large-history path's decision, `nil` at n ≤ ``LargeHistoryOptions/threshold``.
    public var decision: RefitSchedule.Decision?
    /// Rows the model was fitted on when it is a subset-of-data GP (``LargeHistoryModel/subset``),
    /// `nil` when it saw every observation.
    public var subsetRows: Int?
    /// The trust region the acquisition search was confined to, `nil` when none was.
    public var trustRegion: TrustRegion?
    /// Whether ``point`` is a uniformly random point drawn after the trust region restarted in
    /// a new region (``TrustRegionOptions/Restart/newRegion``) rather than an acquisition maximum.
    public var isRestartPoint = false
}

/// The Bayesian optimisation step on the unit cube: fit a Matérn-5/2 ARD GP to standardised
/// values (prior mean: the worst observation, ``PriorMean``), account for pending points, and
/// maximise (log) expected improvement.
///
/// Stateful only in its warm start: ``lastHyperparameters`` seeds the next fit.
public struct BayesianOptimizer: Sendable {
    public var options: BayesianOptimizerOptions
    /// The previous fit's hyperparameters, used as a warm start when the dimension matches.
    public var lastHyperparameters: GaussianProcessHyperparameters?
    /// The large-history schedule (`nil` until a suggestion at n > threshold).
    public var schedule: RefitSchedule?
    /// The trust region's state (`nil` until a suggestion at n ≥ ``TrustRegionOptions/threshold``
    /// with the trust region enabled).
    public var trustRegion: TrustRegion?
    /// The kept model on X[0..<schedule.factorCount] with θ = ``lastHyperparameters``: a cache
    /// of the factor ``RefitSchedule`` defines (one n×n matrix), never saved; rebuilt when absent.
    private var kept: GaussianProcess?

    public init(options: BayesianOptimizerOptions = .init()) {
        self.options = options
    }

    /// A deterministic summary of X[0..<rows] (a weighted sum of its coordinates): equal
    /// fingerprints are taken to mean equal rows. O(rows·d).
    public static func fingerprint(_ x: Matrix, rows: Int) -> Double {
        var s = 0.0
        for j in 0..<x.columns {
            let w = 1 + Double(j) * 0.618_033_988_749_895
            for i in 0..<rows { s += x.elements[i + j * x.rows] * w * Double(i % 1021 + 1) }
        }
        return s
    }

    /// The model on all n rows of X with θ, built as ``RefitSchedule`` defines it (from `kept`
    /// when that is a prefix, otherwise rebuilt from the anchor) and conditioned on `targets`.
    /// Updates `schedule` (anchor after a fallback refactorisation, factor count, fingerprint).
    private mutating func extendKept(observed: Matrix, targets: [Double], hyperparameters: GaussianProcessHyperparameters,
                                     schedule s: inout RefitSchedule) throws(GaussianProcessError) -> GaussianProcess {
        let n = observed.rows
        var model: GaussianProcess
        var count: Int
        if let cached = kept, cached.count == s.factorCount, cached.hyperparameters == hyperparameters {
            model = cached
            count = cached.count
            kept = nil  // so the old factor is freed as soon as the first append replaces it
        } else {
            kept = nil
            // A restored sampler: rebuild the canonical factor from the anchor.
            let anchor = min(s.anchorCount, n)
            model = try GaussianProcess(inputs: observed.rows(0..<anchor), targets: [Double](repeating: 0, count: anchor),
                                        hyperparameters: hyperparameters)
            count = anchor
        }
        while count < n {
            let step = try model.appendingReportingRefactor(inputs: observed.rows(count..<(count + 1)), targets: [0])
            model = step.model
            count += 1
            if step.refactored { s.anchorCount = count }
        }
        s.factorCount = n
        s.fingerprint = Self.fingerprint(observed, rows: n)
        kept = model
        return try model.retargeted(targets)
    }

    /// The subset model's GP on the subset's rows: with the last θ (``RefitSchedule/Decision/keep``)
    /// unless a refit is due after ``LargeHistoryOptions/subsetRefitEvery`` suggestions or
    /// growth of the whole history (`total` rows) by ``LargeHistoryOptions/refitGrowth``.
    private mutating func fitSubset(observed: Matrix, targets: [Double], total: Int, warm: Bool,
                                    using rng: inout some RandomNumberGenerator) throws(GaussianProcessError) -> (GaussianProcessFit, RefitSchedule.Decision) {
        kept = nil
        var due = options.largeHistory
        due.refitEvery = due.subsetRefitEvery
        if warm, let theta = lastHyperparameters, theta.dimension == observed.columns, var s = schedule,
           s.decision(n: total, prefixFingerprint: s.fingerprint, options: due) != .refit,
           let model = try? GaussianProcess(inputs: observed, targets: targets, hyperparameters: theta) {
            s.suggestionsSinceRefit += 1
            schedule = s
            return (GaussianProcessFit(model: model, runs: [], fitPoints: 0, fallbackReason: nil), .keep)
        }
        let fit = try GaussianProcess.fit(inputs: observed, targets: targets, options: options.fit,
                                          warmStart: warm ? lastHyperparameters : nil, using: &rng)
        schedule = RefitSchedule(refitCount: total, suggestionsSinceRefit: 0, anchorCount: 0, factorCount: 0, fingerprint: 0)
        return (fit, .refit)
    }

    /// Suggests the next point.
    ///
    /// - Parameters:
    ///   - observed: X, n×d, n ≥ 1.
    ///   - values: y, n finite values, larger is better.
    ///   - pending: k×d points already proposed and still running (may be empty).
    ///   - candidates: m×d quasi-random points for the acquisition's first pass.
    ///   - discrete: the space's discrete coordinates (`nil` when all are continuous): the
    ///     acquisition is then maximised over runnable points only.
    ///   - warm: reuse ``lastHyperparameters`` as a start (false = cold fit).
    ///   - rng: seeds the fit's extra starts and subset.
    /// - Throws: `GaussianProcessError` for non-finite observations or an unfittable model
    ///   (the sampler above falls back to a random suggestion and records why).
    public mutating func suggest(observed: Matrix, values: [Double], pending: Matrix? = nil, candidates: Matrix,
                                 discrete: DiscreteCoordinates? = nil, warm: Bool = true, using rng: inout some RandomNumberGenerator) throws(GaussianProcessError) -> BayesianSuggestion {
        precondition(observed.rows == values.count && values.count >= 1,
                     "BayesianOptimizer.suggest: X is \(observed.rows)×\(observed.columns) with \(values.count) values")
        let clock = ContinuousClock()
        let fitStart = clock.now
        var observed = observed, values = values
        var subsetRows: Int?
        let total = values.count
        let large = options.largeHistory
        // The trust region's state and centre (the best row since its last restart in a new
        // region), decided on the whole history before any subset is taken.
        let region = options.trustRegion
        var centre: [Double]?
        var drawsRestartPoint = false
        var regionModel = false
        var globalRestartPoint = false
        if region.isEnabled, total >= region.threshold {
            var state: TrustRegion
            if let previous = trustRegion {
                if previous.isDrawingRestartDesign(rows: total, options: region) {
                    state = previous
                } else {
                    let since = min(previous.restartRow, total - 1)
                    state = previous.updated(best: values[since...].max()!, rows: total, dimension: observed.columns, options: region)
                }
            } else {
                state = TrustRegion(side: region.initialSide, bestValue: values.max()!)
            }
            trustRegion = state
            drawsRestartPoint = state.isDrawingRestartDesign(rows: total, options: region)
            globalRestartPoint = drawsRestartPoint && region.restart == .globalModel
        } else {
            trustRegion = nil
        }
        // A global-model restart point is searched as without a region: no centre, every row.
        if let state = trustRegion, !globalRestartPoint {
            let since = min(state.restartRow, total - 1)
            let centreRow = (since..<total).max { values[$0] != values[$1] ? values[$0] < values[$1] : $0 > $1 }!
            centre = observed.row(centreRow)
            // With a fresh restart the model sees only the rows since the restart, once there
            // are two (before that, during the restart design, it is not used).
            let first = region.restart == .fresh && total - since >= 2 ? since : 0
            if first > 0 || (region.localModelSize.map { $0 < total } ?? false) {
                let scales = warm ? lastHyperparameters?.logLengthScales : nil
                var rows = Array(first..<total)
                if let k = region.localModelSize, k < rows.count {
                    let recent = first == 0 ? observed : observed.gathering(rows: rows)
                    rows = LocalSubset.nearest(observed: recent, to: centreRow - first, count: k, logLengthScales: scales).map { $0 + first }
                }
                observed = observed.gathering(rows: rows)
                values = rows.map { values[$0] }
                subsetRows = rows.count
                regionModel = true
            }
        }
        if subsetRows == nil, values.count > large.threshold, large.model == .subset {
            let scales = warm ? lastHyperparameters?.logLengthScales : nil
            let rows = LocalSubset.indices(observed: observed, values: values, size: large.subsetSize, logLengthScales: scales)
            if rows.count < values.count {
                observed = observed.gathering(rows: rows)
                values = rows.map { values[$0] }
                subsetRows = rows.count
            }
        }
        let n = values.count
        values = options.outputWarping.apply(to: values)
        let mean = values.reduce(0, +) / Double(n)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(n - 1, 1))
        // Constant outputs: sd 0 would divide by zero; unit scale keeps them at 0.
        let sd = variance > 1e-24 ? variance.squareRoot() : 1
        // The GP's prior mean is 0: shifting the standardised values by the worst one's puts it
        // at the worst observation (n ≥ 1, so min() exists).
        let priorMean = regionModel ? region.localPriorMean ?? options.priorMean : options.priorMean
        let shift = priorMean == .worstObserved ? (values.min()! - mean) / sd : 0
        let standardised = values.map { ($0 - mean) / sd - shift }
        let fit: GaussianProcessFit
        var decision: RefitSchedule.Decision?
        if regionModel {
            // The region's local model: a full fit (warm-started) on at most k rows.
            schedule = nil
            kept = nil
            fit = try GaussianProcess.fit(inputs: observed, targets: standardised, options: options.fit,
                                          warmStart: warm ? lastHyperparameters : nil, using: &rng)
        } else if subsetRows != nil {
            let subsetFit = try fitSubset(observed: observed, targets: standardised, total: total, warm: warm, using: &rng)
            fit = subsetFit.0
            decision = subsetFit.1
        } else if n <= large.threshold || large.model == .subset {
            schedule = nil
            kept = nil
            fit = try GaussianProcess.fit(inputs: observed, targets: standardised, options: options.fit,
                                          warmStart: warm ? lastHyperparameters : nil, using: &rng)
        } else {
            var next = schedule
            if warm, let theta = lastHyperparameters, theta.dimension == observed.columns, var s = schedule {
                let prefix = s.factorCount <= n ? Self.fingerprint(observed, rows: s.factorCount) : nil
                decision = s.decision(n: n, prefixFingerprint: prefix, options: options.largeHistory)
                if decision != .refit {
                    if decision == .reanchor {
                        s.anchorCount = n
                        kept = nil
                    }
                    s.suggestionsSinceRefit += 1
                    let model = try extendKept(observed: observed, targets: standardised, hyperparameters: theta, schedule: &s)
                    fit = GaussianProcessFit(model: model, runs: [], fitPoints: 0, fallbackReason: nil)
                    next = s
                } else {
                    kept = nil  // release the old factor before the new one is built
                    fit = try GaussianProcess.fit(inputs: observed, targets: standardised, options: options.fit,
                                                  warmStart: lastHyperparameters, using: &rng)
                }
            } else {
                decision = .refit
                kept = nil
                fit = try GaussianProcess.fit(inputs: observed, targets: standardised, options: options.fit,
                                              warmStart: warm ? lastHyperparameters : nil, using: &rng)
            }
            if decision == .refit {
                next = RefitSchedule(refitCount: n, suggestionsSinceRefit: 0, anchorCount: n, factorCount: n,
                                     fingerprint: Self.fingerprint(observed, rows: n))
                kept = fit.model
            }
            schedule = next
        }
        lastHyperparameters = fit.model.hyperparameters
        var model = fit.model
        if let pending, pending.rows > 0, options.pendingStrategy == .krigingBeliever {
            let believed = model.predict(pending).mean
            model = try model.appending(inputs: pending, targets: believed)
        }
        let fitSeconds = Self.seconds(clock.now - fitStart)
        let acquisitionStart = clock.now
        let best = standardised.indices.max { standardised[$0] < standardised[$1] }!
        var incumbent = standardised[best]
        if options.incumbentShrinkage > 0, let fitted = fit.model.meanAtInputs.max() {
            incumbent = (1 - options.incumbentShrinkage) * incumbent + options.incumbentShrinkage * fitted
        }
        let ei = ExpectedImprovement(incumbent: incumbent, isLogarithmic: options.logExpectedImprovement)
        // The incumbent always starts one L-BFGS-B run, so the acquisition is refined next to
        // the best observation as well as at the best quasi-random candidates.
        var acquisitionOptions = options.acquisition
        if n > large.threshold, large.model == .exact, acquisitionOptions.screeningRows == nil {
            acquisitionOptions.screeningRows = options.largeHistory.screeningRows
        }
        var candidates = candidates
        var extraStart = observed.rows(best..<(best + 1))
        if let centre, let state = trustRegion {
            // y* is the raw best value (before warping), so a success means the best value
            // since the last restart improved; the box is centred on that observation.
            let box = state.box(center: centre, logLengthScales: fit.model.hyperparameters.logLengthScales)
            acquisitionOptions.searchBox = box
            candidates = Self.mapped(candidates, into: box)
            extraStart = Matrix(rows: 1, columns: centre.count, columnMajor: centre)
        }
        let maximum: AcquisitionMaximum
        if drawsRestartPoint, !globalRestartPoint {
            let point = (0..<observed.columns).map { _ in Double.random(in: 0..<1, using: &rng) }
            maximum = AcquisitionMaximum(chosen: point, value: -.infinity)
        } else {
            maximum = AcquisitionMaximizer.maximize(ei, posterior: model, candidates: candidates,
                                                    extraStarts: extraStart, discrete: discrete,
                                                    options: acquisitionOptions)
        }
        return BayesianSuggestion(point: maximum.point, acquisitionValue: maximum.value, incumbent: incumbent,
                                  hyperparameters: fit.model.hyperparameters, fitSeconds: fitSeconds,
                                  acquisitionSeconds: Self.seconds(clock.now - acquisitionStart),
                                  fit: fit, maximum: maximum, decision: decision, subsetRows: subsetRows,
                                  trustRegion: trustRegion, isRestartPoint: drawsRestartPoint)
    }

    /// The m×d `candidates` drawn in the unit cube mapped affinely into `box`:
    /// lowerⱼ + cᵢⱼ·(upperⱼ − lowerⱼ). O(m·d).
    static func mapped(_ candidates: Matrix, into box: SearchBox) -> Matrix {
        var out = candidates
        for j in 0..<candidates.columns {
            let lower = box.lower[j], width = box.upper[j] - box.lower[j]
            for i in 0..<candidates.rows { out[i, j] = lower + candidates[i, j] * width }
        }
        return out
    }

    package static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
