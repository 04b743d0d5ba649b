/// Independent random draws from each parameter's distribution (`sampling_algorithm: random`).
///
/// Trial `i` draws from `SplitMix64(seed:stream:)` with stream `i`, so a sweep is
/// repeatable from its seed and serial and parallel runs propose the same configurations.
///
/// When the whole space is discrete and finite (``SearchSpace/isFinite``) the sampler never
/// proposes a configuration already in the history (finished or pending) and returns `nil`
/// once every configuration has been proposed **[decided]**: it redraws up to
/// ``redrawAttempts`` times, then picks uniformly among the configurations not yet tried
/// (enumerated when there are at most ``enumerationLimit``; larger spaces keep redrawing, which
/// only matters after about a million trials).
public struct RandomSampler: Sampler {
    /// Redraws before falling back to enumerating the untried configurations.
    public static let redrawAttempts = 32
    /// Largest finite space the sampler enumerates to find untried configurations.
    public static let enumerationLimit = 1_000_000

    /// The space drawn from.
    public let space: SearchSpace
    /// The sweep's seed; trial `i` draws from stream `i` under it.
    public let seed: UInt64

    /// A sampler over `space` seeded with `seed`.
    public init(space: SearchSpace, seed: UInt64) {
        self.space = space
        self.seed = seed
    }

    /// A fresh draw for `trialIndex`; in a finite space an untried configuration, or `nil`
    /// when all have been tried.
    public func configuration(history: SamplerHistory, trialIndex: Int) -> Configuration? {
        var generator = SplitMix64(seed: seed, stream: UInt64(truncatingIfNeeded: trialIndex))
        let first = space.sample(using: &generator)
        guard space.isFinite else { return first }
        return Self.untried(first: first, history: history, space: space, generator: &generator)
    }

    /// `first` when no observation holds it (a linear scan, no allocation: the common case);
    /// otherwise ``untried(first:tried:space:generator:)`` over the set of tried configurations.
    static func untried(first: Configuration, history: SamplerHistory, space: SearchSpace,
                        generator: inout SplitMix64) -> Configuration? {
        if !history.observations.contains(where: { $0.configuration == first }) { return first }
        let tried = Set(history.observations.map(\.configuration))
        return untried(first: first, tried: tried, space: space, generator: &generator)
    }

    /// `first` if untried, else another untried configuration drawn with `generator`, or `nil`
    /// when every configuration of the finite `space` has been tried.
    static func untried(first: Configuration, tried: Set<Configuration>, space: SearchSpace,
                        generator: inout SplitMix64) -> Configuration? {
        if !tried.contains(first) { return first }
        for _ in 0..<redrawAttempts {
            let candidate = space.sample(using: &generator)
            if !tried.contains(candidate) { return candidate }
        }
        if let all = space.allConfigurations(limit: enumerationLimit) {
            let remaining = all.filter { !tried.contains($0) }
            guard !remaining.isEmpty else { return nil }
            return remaining[Int(generator.next(upperBound: UInt64(remaining.count)))]
        }
        for _ in 0..<(redrawAttempts * 1000) {
            let candidate = space.sample(using: &generator)
            if !tried.contains(candidate) { return candidate }
        }
        return nil
    }
}

extension RandomSampler {
    /// ``configuration(history:trialIndex:)`` as a ``Suggestion`` (no diagnostics, no state).
    public func suggestion(history: SamplerHistory, trialIndex: Int) -> Suggestion? {
        configuration(history: history, trialIndex: trialIndex).map { Suggestion($0) }
    }
}
