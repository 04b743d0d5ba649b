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
/// hyperparameters), so that fits with few points stay sane. N(mean, standard deviation):
///
/// ```
/// log ℓⱼ  ~ N(−0.5, 1)     median ℓ ≈ 0.61 on the unit cube
/// log σ²ₙ ~ N(−6, 2)
/// log σ²  ~ N(0, 1)        outputs are standardised, so σ² ≈ 1 is expected a priori
/// ```
///
/// - Length scales: our choice, against the dimension-scaled prior of Hvarfner, Hellsten &
///   Nardi, "Vanilla Bayesian Optimization Performs Great in High Dimensions" (ICML 2024, §4;
///   BoTorch's default since 0.12), log ℓ ~ N(√2 + ½ log d, √3), whose long length scales made
///   the surrogate too smooth at budgets of tens to hundreds of points. Hvarfner's prior is one
///   setting away: `lengthScaleLocationOffset = √2`, `lengthScaleScale = √3`,
///   `scaleWithDimension = true`.
/// - Noise variance: our choice, between Hvarfner et al.'s N(−4, 1) (BoTorch 0.12's default,
///   ours until 2026-11-30), which treats what the GP cannot resolve (Ackley's ripples, the step
///   between Hartmann-6's basins) as noise, and the near-flat priors of Optuna's and
///   scikit-optimize's GPs. Its price: with few points of a noisy objective the fit can
///   interpolate the noise (`GaussianProcessFitTests.noiseIsRecognisedAsNoise` bounds how often).
/// - Signal variance: the prior only keeps σ² from running away with 2–3 points.
///
/// The measurements behind each choice are in the Optimizer documentation's decision log
/// (`Sources/Optimizer/Optimizer.docc/DecisionLog.md`, "The Bayesian sampler's defaults").
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
