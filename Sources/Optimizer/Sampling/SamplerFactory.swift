/// The sampler for `algorithm` over `space`.
///
/// - Parameters:
///   - algorithm: as the sweep specifies it.
///   - space: the space to sample.
///   - seed: overrides the algorithm's own seed; when both are `nil` the seed is 0. A sweep
///     runner that wants unrepeatable sweeps should draw a seed, pass it here and record it.
/// - Throws: ``ConfigurationError`` when the space does not suit the algorithm (grid over a
///   non-choice parameter, Sobol beyond `SobolSequence.maxDimension` coordinates) or the
///   algorithm is not available. Azure's restrictions on Bayesian sampling (choice, uniform,
///   quniform; no early termination) are checked by the YAML reader, not here: the library
///   allows every expression.
public func makeSampler(_ algorithm: SamplingAlgorithm, space: SearchSpace, seed: UInt64? = nil) throws(ConfigurationError) -> any Sampler {
    switch algorithm {
    case .random(let ownSeed, .random):
        return RandomSampler(space: space, seed: seed ?? ownSeed ?? 0)
    case .random(let ownSeed, .sobol):
        return try SobolSampler(space: space, seed: seed ?? ownSeed ?? 0)
    case .grid:
        return try GridSampler(space: space)
    case .bayesian(let ownSeed):
        return BayesianSampler(space: space, seed: seed ?? ownSeed ?? 0)
    }
}

extension SamplingAlgorithm {
    /// The seed written in the YAML, if any.
    public var seed: UInt64? {
        switch self {
        case .random(let seed, _), .bayesian(let seed): return seed
        case .grid: return nil
        }
    }

    /// The name as written in YAML (`random`, `grid`, `bayesian`).
    public var typeName: String {
        switch self {
        case .random: return "random"
        case .grid: return "grid"
        case .bayesian: return "bayesian"
        }
    }
}
