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
