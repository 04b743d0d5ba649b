import Foundation

// Notation: θ = packed log-hyperparameters [log ℓ…, log σ², log σ²ₙ] (see
// GaussianProcessHyperparameters); the fit maximises the log posterior density of θ
//   L(θ) = log p(y | X, θ) + log p(θ)
// i.e. minimises −L(θ)/n with L-BFGS-B inside box bounds on θ (MAP-II, Rasmussen & Williams
// 2006, §5.4.1; dividing by n keeps L-BFGS-B's tolerances meaningful at every n).

/// How Gaussian-process hyperparameters are fitted.
public struct GaussianProcessFitOptions: Sendable, Equatable {
    /// Weak priors on the log-hyperparameters.
    public var prior = GaussianProcessPrior()
    /// L-BFGS-B starts without a warm start: the prior medians plus `coldStarts − 1` draws
    /// from the prior.
    public var coldStarts = 2
    /// L-BFGS-B starts with a warm start: the previous optimum, then the prior medians, then
    /// prior draws, `warmStarts` in all.
    public var warmStarts = 2
    /// Above this many observations, hyperparameters are fitted on a random subset of this
    /// size (subset-of-data; Rasmussen & Williams 2006, §8.3.1), then the model is conditioned
    /// on all points. Each likelihood evaluation costs n³ flops, so this bounds the fit's cost
    /// for sweeps of thousands of trials.
    public var maxFitPoints = 200
    /// Box bounds for log ℓ (inputs live in the unit cube: ℓ from 0.005 to 200).
    public var logLengthScaleBounds: ClosedRange<Double> = log(0.005)...log(200)
    /// Box bounds for log σ² (outputs are standardised).
    public var logSignalVarianceBounds: ClosedRange<Double> = log(0.01)...log(100)
    /// Box bounds for log σ²ₙ; the floor keeps K factorisable for noise-free objectives.
    public var logNoiseVarianceBounds: ClosedRange<Double> = log(1e-6)...log(2)
    /// Options for each L-BFGS-B run.
    public var optimizer = LBFGSBOptions(maxIterations: 60, maxEvaluations: 100, relativeReductionTolerance: 1e-7)

    public init() {}
}

/// A fitted Gaussian process and how the fit went.
public struct GaussianProcessFit: Sendable {
    /// The model conditioned on every observation, with the best hyperparameters found.
    public var model: GaussianProcess
    /// One L-BFGS-B result per start, in start order (objective −L(θ)/n).
    public var runs: [LBFGSBResult]
    /// How many observations the hyperparameters were fitted on.
    public var fitPoints: Int
    /// Why the fit fell back to the starting hyperparameters, when it did.
    public var fallbackReason: String?

    public init(model: GaussianProcess, runs: [LBFGSBResult], fitPoints: Int, fallbackReason: String?) {
        self.model = model
        self.runs = runs
        self.fitPoints = fitPoints
        self.fallbackReason = fallbackReason
    }
}

extension GaussianProcess {
    /// Fits hyperparameters by maximising the log marginal likelihood plus the log prior with
    /// multistart L-BFGS-B, then conditions on all observations.
    ///
    /// - Parameters:
    ///   - inputs: X, n×d, in the unit cube.
    ///   - targets: y, n values, standardised by the caller.
    ///   - warmStart: the previous fit's hyperparameters, when there is one.
    ///   - rng: draws the extra starts and the subset; seeded by the caller.
    /// - Throws: ``GaussianProcessError`` for non-finite observations or when even the final
    ///   conditioning fails with the largest jitter.
    /// - Complexity: (starts × evaluations) × (n³ + 2n²d) flops with n ≤ `maxFitPoints`,
    ///   plus one n³/3 factorisation on all points.
    public static func fit(inputs: Matrix, targets: [Double], options: GaussianProcessFitOptions = .init(),
                           warmStart: GaussianProcessHyperparameters? = nil,
                           using rng: inout some RandomNumberGenerator) throws(GaussianProcessError) -> GaussianProcessFit {
        try validate(inputs: inputs, targets: targets)
        let n = inputs.rows, d = inputs.columns
        let prior = options.prior
        var lower = [Double](repeating: options.logLengthScaleBounds.lowerBound, count: d)
        var upper = [Double](repeating: options.logLengthScaleBounds.upperBound, count: d)
        lower += [options.logSignalVarianceBounds.lowerBound, options.logNoiseVarianceBounds.lowerBound]
        upper += [options.logSignalVarianceBounds.upperBound, options.logNoiseVarianceBounds.upperBound]

        var starts: [[Double]] = []
        if let warm = warmStart, warm.dimension == d { starts.append(warm.packed) }
        starts.append(GaussianProcessHyperparameters.initial(dimension: d, prior: prior).packed)
        let wanted = warmStart?.dimension == d ? options.warmStarts : options.coldStarts
        if starts.count > wanted { starts.removeLast(starts.count - wanted) }
        while starts.count < wanted {
            var draw = [Double]()
            let mu = prior.lengthScaleLocation(dimension: d)
            for _ in 0..<d { draw.append(mu + prior.lengthScaleScale * standardNormal(using: &rng)) }
            draw.append(prior.logSignalLocation + prior.logSignalScale * standardNormal(using: &rng))
            draw.append(prior.logNoiseLocation + prior.logNoiseScale * standardNormal(using: &rng))
            starts.append(draw)
        }
        starts = starts.map { s in s.indices.map { min(max(s[$0], lower[$0]), upper[$0]) } }

        // Subset of data for the likelihood when n is large (a random subset, so that the
        // length scales are estimated from the whole space, not one region).
        var fitX = inputs, fitY = targets
        if n > options.maxFitPoints {
            var order = Array(0..<n)
            order.shuffle(using: &rng)
            let chosen = order.prefix(options.maxFitPoints).sorted()
            fitX = Matrix(rows: chosen.count, columns: d)
            for (k, i) in chosen.enumerated() { for j in 0..<d { fitX[k, j] = inputs[i, j] } }
            fitY = chosen.map { targets[$0] }
        }
        let scale = 1 / Double(max(fitX.rows, 1))
        func objective(_ theta: [Double]) -> (value: Double, gradient: [Double]) {
            guard let lml = logMarginalLikelihood(inputs: fitX, targets: fitY, hyperparameters: .init(packed: theta)) else {
                return (.infinity, [Double](repeating: 0, count: theta.count))
            }
            let p = prior.logDensity(theta)
            return (-(lml.value + p.value) * scale, zip(lml.gradient, p.gradient).map { -($0 + $1) * scale })
        }

        var runs: [LBFGSBResult] = []
        var best: LBFGSBResult?
        for start in starts {
            let r = LBFGSB.minimize(start: start, lower: lower, upper: upper, options: options.optimizer, objective: objective)
            runs.append(r)
            if r.value.isFinite, best == nil || r.value < best!.value { best = r }
        }
        var fallback: String?
        let chosen: GaussianProcessHyperparameters
        if let best {
            chosen = .init(packed: best.x)
        } else {
            chosen = .init(packed: starts[0])
            fallback = "every hyperparameter start gave a non-finite likelihood (\(runs.map(\.reason).joined(separator: "; ")))"
        }
        let model = try GaussianProcess(inputs: inputs, targets: targets, hyperparameters: chosen)
        return GaussianProcessFit(model: model, runs: runs, fitPoints: fitX.rows, fallbackReason: fallback)
    }
}
