/// Which sampler proposes configurations, as a sweep specifies it (YAML `sampling_algorithm:`).
public enum SamplingAlgorithm: Sendable, Hashable, Codable {
    /// Independent draws; `rule: sobol` uses scrambled Sobol points.
    case random(seed: UInt64?, rule: RandomRule)
    /// Cartesian product of `choice` parameters, odometer order.
    case grid
    /// Gaussian-process surrogate with log expected improvement.
    case bayesian(seed: UInt64?)

    public enum RandomRule: String, Sendable, Hashable, Codable { case random, sobol }
}
