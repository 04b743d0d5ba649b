import Foundation

/// The hyperparameters of a Matérn-5/2 ARD Gaussian process, all on the log scale.
///
/// Packed order (used by the fit and by ``GaussianProcess/logMarginalLikelihood(inputs:targets:hyperparameters:)``):
/// `[log ℓ₁, …, log ℓ_d, log σ², log σ²ₙ]`.
public struct GaussianProcessHyperparameters: Sendable, Hashable, Codable {
    /// log ℓⱼ, one per input dimension.
    public var logLengthScales: [Double]
    /// log σ² (signal variance).
    public var logSignalVariance: Double
    /// log σ²ₙ (observation-noise variance).
    public var logNoiseVariance: Double

    public init(logLengthScales: [Double], logSignalVariance: Double, logNoiseVariance: Double) {
        self.logLengthScales = logLengthScales
        self.logSignalVariance = logSignalVariance
        self.logNoiseVariance = logNoiseVariance
    }

    /// A sane starting point for inputs in the unit cube and standardised outputs: every
    /// length scale at the median of its prior (see ``GaussianProcessPrior``), σ² = 1, σ²ₙ = 10⁻³.
    public static func initial(dimension d: Int, prior: GaussianProcessPrior = .init()) -> Self {
        let mu = prior.lengthScaleLocation(dimension: d)
        return Self(logLengthScales: Array(repeating: mu, count: d), logSignalVariance: 0, logNoiseVariance: log(1e-3))
    }

    /// Input dimension d.
    public var dimension: Int { logLengthScales.count }

    /// The packed vector `[log ℓ…, log σ², log σ²ₙ]`.
    public var packed: [Double] { logLengthScales + [logSignalVariance, logNoiseVariance] }

    /// Unpacks `[log ℓ…, log σ², log σ²ₙ]`.
    public init(packed v: [Double]) {
        precondition(v.count >= 2, "GaussianProcessHyperparameters: packed vector of length \(v.count)")
        self.init(logLengthScales: Array(v[0..<(v.count - 2)]), logSignalVariance: v[v.count - 2], logNoiseVariance: v[v.count - 1])
    }

    var kernel: MaternKernel { MaternKernel(logLengthScales: logLengthScales, logSignalVariance: logSignalVariance) }
}

/// Weak priors on the log-hyperparameters, all Gaussian in log space (i.e. log-normal on the
/// hyperparameters), so that fits with few points stay sane.
///
/// - Length scales: log ℓⱼ ~ N(−0.5, 1), median ℓ ≈ 0.61 on the unit cube — our choice, made on
///   the quality benchmark (`hdbench bench quality`, 10 seeds × budget 100): against the
///   dimension-scaled prior of Hvarfner, Hellsten & Nardi, "Vanilla Bayesian Optimization
///   Performs Great in High Dimensions" (ICML 2024, §4; BoTorch's default since 0.12),
///   log ℓ ~ N(√2 + ½ log d, 3), whose median ℓ ≈ 10 at d = 6, it cut the median log10 regret
///   at 100 evaluations on Ackley-5 from 1.14 to 0.60, Levy-6 from 0.59 to −0.09 and
///   Rosenbrock-4 from 1.85 to 1.41: with budgets of tens to hundreds of points the long prior
///   length scales made the surrogate too smooth and the search too local. Hvarfner's prior is
///   one setting away: `lengthScaleLocationOffset = √2`, `lengthScaleScale = √3`,
///   `scaleWithDimension = true`.
/// - Noise variance: log σ²ₙ ~ N(−6, 2) — our choice, between Hvarfner et al.'s N(−4, 1)
///   (BoTorch 0.12's default, ours until 2026-11-30) and the near-flat priors of Optuna's and
///   scikit-optimize's GPs. With N(−4, 1) the GP treats what it cannot resolve as noise —
///   Ackley's ripples, the step between Hartmann-6's basins — and EI stops looking near the best
///   point. `hdbench bench quality`, 60 seeds, median log10 regret at 100 evaluations with the
///   sampler's defaults, N(−4, 1) → N(−6, 2): Hartmann-6 −3.43 → −4.06 (58% → 68% of the seeds
///   reach the global basin), Ackley-5 0.55 → 0.46, mixed Hartmann-6 −0.79 → −0.98, noisy
///   Hartmann-6 −1.27 → −1.41, Rosenbrock-4 0.51 → 0.43; it costs Levy-6 (−0.55 → −0.32),
///   Hartmann-3 (−5.67 → −5.27) and Branin (−4.97 → −4.80). The price is real noise at small
///   n: on 30 points of a smooth 2-D function with noise at 14% of the variance the fitted σ²ₙ
///   fell below a tenth of the truth (the fit interpolates the noise) in 3 of 8 data sets
///   (N(−4, 1): 0 of 8; N(−8, 2): 8 of 8, and 2 of 8 still at n = 100), while at n = 100 every
///   fit is within a factor of two (`GaussianProcessFitTests.noiseIsRecognisedAsNoise`). In
///   regret that price did not show: on Hartmann-6 observed with noise at 62% of its variance
///   (`very_noisy_hartmann6`, 120 seeds) the medians were −0.54 with N(−4, 1) and −0.56 with
///   N(−6, 2). (Those figures predate the worst-observation prior mean, ``PriorMean``; with
///   it, N(−4, 1) was measured again and was within seed noise of N(−6, 2) everywhere but
///   mixed Hartmann-6, −0.88 against −0.98, so N(−6, 2) stayed.)
/// - Signal variance: log σ² ~ N(0, 1) — our choice: outputs are standardised, so σ² ≈ 1 is
///   expected a priori; the prior only keeps σ² from running away with 2–3 points.
public struct GaussianProcessPrior: Sendable, Hashable, Codable {
    public var lengthScaleLocationOffset: Double = -0.5
    public var lengthScaleScale: Double = 1
    public var logNoiseLocation: Double = -6
    public var logNoiseScale: Double = 2
    public var logSignalLocation: Double = 0
    public var logSignalScale: Double = 1
    /// Whether the length-scale location grows with ½ log d.
    public var scaleWithDimension = false

    public init() {}

    /// Mean of log ℓ: the offset, plus ½ log d when ``scaleWithDimension`` is on.
    public func lengthScaleLocation(dimension d: Int) -> Double {
        lengthScaleLocationOffset + (scaleWithDimension ? 0.5 * log(Double(max(d, 1))) : 0)
    }

    /// Log prior density (up to a constant) and its gradient, in packed order.
    ///
    /// ```
    /// log p(θ) = −½ Σ ((θᵢ − μᵢ)/sᵢ)²     ∂/∂θᵢ = −(θᵢ − μᵢ)/sᵢ²
    /// ```
    public func logDensity(_ theta: [Double]) -> (value: Double, gradient: [Double]) {
        let d = theta.count - 2
        var value = 0.0
        var gradient = [Double](repeating: 0, count: theta.count)
        func add(_ i: Int, _ mu: Double, _ s: Double) {
            let z = (theta[i] - mu) / s
            value -= 0.5 * z * z
            gradient[i] = -z / s
        }
        let mu = lengthScaleLocation(dimension: d)
        for j in 0..<d { add(j, mu, lengthScaleScale) }
        add(d, logSignalLocation, logSignalScale)
        add(d + 1, logNoiseLocation, logNoiseScale)
        return (value, gradient)
    }
}
