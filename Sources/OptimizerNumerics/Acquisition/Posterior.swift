/// A predictive distribution over a d-dimensional input space: what the acquisition functions
/// consume. The Gaussian process conforms; tests use closed-form mocks.
public protocol Posterior: Sendable {
    /// Input dimension d.
    var dimension: Int { get }

    /// Posterior mean and variance at each row of `points` (m×d).
    func predict(_ points: Matrix) -> PosteriorPrediction

    /// Mean, variance and their gradients with respect to each query point.
    func predictWithGradient(_ points: Matrix) -> PosteriorPrediction
}

/// The latent-function posterior at m points, optionally with gradients.
public struct PosteriorPrediction: Sendable {
    /// μ(zᵦ), m values.
    public var mean: [Double]
    /// σ²(zᵦ) ≥ 0, m values.
    public var variance: [Double]
    /// ∂μ(zᵦ)/∂zᵦⱼ as an m×d matrix, when requested.
    public var meanGradient: Matrix?
    /// ∂σ²(zᵦ)/∂zᵦⱼ as an m×d matrix, when requested.
    public var varianceGradient: Matrix?

    public init(mean: [Double], variance: [Double], meanGradient: Matrix? = nil, varianceGradient: Matrix? = nil) {
        self.mean = mean
        self.variance = variance
        self.meanGradient = meanGradient
        self.varianceGradient = varianceGradient
    }
}

/// A posterior that can bound its variance from above more cheaply than it computes it, so the
/// acquisition maximiser can skip the exact variance of candidates that cannot be among the
/// best (``AcquisitionMaximizerOptions/screeningRows``).
public protocol VarianceBoundingPosterior: Posterior {
    /// The exact posterior mean at each row of `points`, and an upper bound on the variance
    /// computed from at most `rows` of the data.
    func predictWithVarianceBound(_ points: Matrix, rows: Int) -> PosteriorPrediction
}
