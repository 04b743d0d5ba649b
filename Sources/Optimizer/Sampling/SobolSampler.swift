/// Scrambled Sobol points mapped through each parameter's inverse CDF
/// (`sampling_algorithm: {type: random, rule: sobol}`).
///
/// Trial `i` uses point `i` of a `SobolSequence` over the space's unit layout
/// (``SearchSpace/unitDimension`` coordinates: one per expression, a choice's option by equal
/// bins followed by every nested expression's coordinates), scrambled from `seed` with a
/// linear matrix scramble and digital shift, at 52 bits of resolution, each coordinate moved
/// to the centre of its cell. Random access by trial index keeps serial and parallel runs
/// identical.
///
/// In a finite discrete space a point whose configuration was already tried is replaced the
/// way ``RandomSampler`` does it (redraws from (seed, trial), then the untried remainder), so
/// the sweep never repeats a configuration and ends when the space is used up.
public struct SobolSampler: Sampler {
    /// The space drawn from.
    public let space: SearchSpace
    /// Seeds the scramble (and the fallback draws in finite spaces).
    public let seed: UInt64
    /// The scrambled sequence.
    public let sequence: SobolSequence

    /// Throws when the space needs more than `SobolSequence.maxDimension` (1024) coordinates.
    public init(space: SearchSpace, seed: UInt64) throws(ConfigurationError) {
        let dimension = space.unitDimension
        guard dimension <= SobolSequence.maxDimension else {
            throw ConfigurationError(path: "sampling_algorithm.rule", message: "sobol supports up to \(SobolSequence.maxDimension) coordinates but this search space needs \(dimension); use rule: random")
        }
        self.space = space
        self.seed = seed
        self.sequence = SobolSequence(dimension: dimension, bits: 52, scrambleSeed: seed)
    }

    /// The configuration of Sobol point `trialIndex` (see the type's discussion).
    public func configuration(history: SamplerHistory, trialIndex: Int) -> Configuration? {
        guard trialIndex >= 0, UInt64(trialIndex) < (1 << 52) else { return nil }
        let first = space.configuration(fromUnit: sequence.openUnitPoint(UInt64(trialIndex)))
        guard space.isFinite else { return first }
        var generator = SplitMix64(seed: seed, stream: UInt64(truncatingIfNeeded: trialIndex))
        return RandomSampler.untried(first: first, history: history, space: space, generator: &generator)
    }
}

extension SobolSampler {
    /// ``configuration(history:trialIndex:)`` as a ``Suggestion`` (no diagnostics, no state).
    public func suggestion(history: SamplerHistory, trialIndex: Int) -> Suggestion? {
        configuration(history: history, trialIndex: trialIndex).map { Suggestion($0) }
    }
}
