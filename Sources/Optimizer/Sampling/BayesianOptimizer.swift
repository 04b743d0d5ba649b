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

    public init() {}
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

    public init(options: BayesianOptimizerOptions = .init()) {
        self.options = options
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
        let n = values.count
        precondition(observed.rows == n && n >= 1, "BayesianOptimizer.suggest: X is \(observed.rows)×\(observed.columns) with \(n) values")
        let clock = ContinuousClock()
        let fitStart = clock.now
        let values = options.outputWarping.apply(to: values)
        let mean = values.reduce(0, +) / Double(n)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(n - 1, 1))
        // Constant outputs: sd 0 would divide by zero; unit scale keeps them at 0.
        let sd = variance > 1e-24 ? variance.squareRoot() : 1
        // The GP's prior mean is 0: shifting the standardised values by the worst one's puts it
        // at the worst observation (n ≥ 1, so min() exists).
        let shift = options.priorMean == .worstObserved ? (values.min()! - mean) / sd : 0
        let standardised = values.map { ($0 - mean) / sd - shift }
        let fit = try GaussianProcess.fit(inputs: observed, targets: standardised, options: options.fit,
                                          warmStart: warm ? lastHyperparameters : nil, using: &rng)
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
        let maximum = AcquisitionMaximizer.maximize(ei, posterior: model, candidates: candidates,
                                                    extraStarts: observed.rows(best..<(best + 1)), discrete: discrete,
                                                    options: options.acquisition)
        return BayesianSuggestion(point: maximum.point, acquisitionValue: maximum.value, incumbent: incumbent,
                                  hyperparameters: fit.model.hyperparameters, fitSeconds: fitSeconds,
                                  acquisitionSeconds: Self.seconds(clock.now - acquisitionStart),
                                  fit: fit, maximum: maximum)
    }

    package static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
