/// SplitMix64 (Steele, Lea & Flood 2014), the seeded generator behind every random choice in
/// hdbench. A stream is derived from `(seed, stream)` so that, e.g., trial k of a sweep always
/// draws from the same stream whether trials run serially or in parallel.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// A generator for stream `stream` of `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var s = SplitMix64(rawState: seed)
        let a = s.next()
        state = a ^ (stream &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }

    private init(rawState: UInt64) { state = rawState }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
