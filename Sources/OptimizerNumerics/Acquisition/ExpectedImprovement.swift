import Foundation

// Notation: the acquisition is maximised and improvement is upward: for a posterior with mean
// μ and variance σ² at a point, and incumbent f* (the best value so far, in the posterior's
// units and orientation),
//   z = (μ − f*)/σ,   EI = σ·h(z),   log EI = log σ + log h(z)      (h from StandardNormal)
// A minimisation problem is handled by the caller negating its targets.

/// Expected improvement or its logarithm (Jones, Schonlau & Welch 1998; Ament et al. 2023,
/// LogEI), evaluated for a batch of points with one posterior call.
public struct ExpectedImprovement: Sendable, Hashable {
    /// f*: the value to improve upon.
    public var incumbent: Double
    /// When true, the acquisition is log EI (Ament et al. 2023), whose gradients do not vanish
    /// where EI underflows; the default, as in BoTorch's and Optuna's GP samplers.
    public var isLogarithmic: Bool

    /// σ² is floored here before taking σ: at a training point with tiny noise σ² can be 0
    /// and z would be ±∞. The floor is far below any useful variance of standardised outputs.
    public static let varianceFloor = 1e-18

    public init(incumbent: Double, isLogarithmic: Bool = true) {
        self.incumbent = incumbent
        self.isLogarithmic = isLogarithmic
    }

    /// The acquisition value for one mean and variance.
    public func value(mean: Double, variance: Double) -> Double {
        let sigma = max(variance, Self.varianceFloor).squareRoot()
        let z = (mean - incumbent) / sigma
        return isLogarithmic
            ? log(sigma) + StandardNormal.logExpectedImprovementKernel(z)
            : sigma * StandardNormal.expectedImprovementKernel(z)
    }

    /// The acquisition value and its partial derivatives with respect to μ and σ².
    ///
    /// ```
    /// EI:     ∂/∂μ = Φ(z)            ∂/∂σ² = φ(z)/(2σ)
    /// log EI: ∂/∂μ = D/σ             ∂/∂σ² = (1 − z·D)/(2σ²),   D = d log h/dz = Φ(z)/h(z)
    /// ```
    /// At the variance floor the σ² derivative is 0 (the floor is flat).
    public func valueAndPartials(mean: Double, variance: Double) -> (value: Double, dMean: Double, dVariance: Double) {
        let floored = variance <= Self.varianceFloor
        let v = max(variance, Self.varianceFloor)
        let sigma = v.squareRoot()
        let z = (mean - incumbent) / sigma
        if isLogarithmic {
            let dlogh = StandardNormal.logExpectedImprovementKernelDerivative(z)
            let value = log(sigma) + StandardNormal.logExpectedImprovementKernel(z)
            return (value, dlogh / sigma, floored ? 0 : (1 - z * dlogh) / (2 * v))
        } else {
            let value = sigma * StandardNormal.expectedImprovementKernel(z)
            return (value, StandardNormal.cdf(z), floored ? 0 : StandardNormal.pdf(z) / (2 * sigma))
        }
    }

    /// The acquisition at each row of `points` (m×d), with one posterior call.
    public func evaluate(_ posterior: some Posterior, at points: Matrix) -> [Double] {
        let p = posterior.predict(points)
        return (0..<points.rows).map { value(mean: p.mean[$0], variance: p.variance[$0]) }
    }

    /// The acquisition and its gradient with respect to each row of `points` (m×d), with one
    /// posterior call: ∇a = ∂a/∂μ·∇μ + ∂a/∂σ²·∇σ².
    public func evaluateWithGradient(_ posterior: some Posterior, at points: Matrix) -> (values: [Double], gradients: Matrix) {
        let p = posterior.predictWithGradient(points)
        guard let gm = p.meanGradient, let gv = p.varianceGradient else {
            preconditionFailure("ExpectedImprovement: the posterior returned no gradients from predictWithGradient")
        }
        let m = points.rows, d = points.columns
        var values = [Double](repeating: 0, count: m)
        var gradients = Matrix(rows: m, columns: d)
        for b in 0..<m {
            let (a, dm, dv) = valueAndPartials(mean: p.mean[b], variance: p.variance[b])
            values[b] = a
            for j in 0..<d {
                gradients.elements[b + j * m] = dm * gm.elements[b + j * m] + dv * gv.elements[b + j * m]
            }
        }
        return (values, gradients)
    }
}
