import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"),
/// the 64-bit generator Java's `SplittableRandom` and xoshiro's seeding use.
///
/// ```
/// state ← state + 0x9E3779B97F4A7C15
/// z ← (state ⊕ (state ≫ 30)) · 0xBF58476D1CE4E5B9
/// z ← (z ⊕ (z ≫ 27)) · 0x94D049BB133111EB
/// next = z ⊕ (z ≫ 31)
/// ```
///
/// Samplers derive one generator per trial with ``init(seed:stream:)`` so that a trial's
/// draws depend only on (seed, trial index): serial and parallel sweeps agree.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The generator's whole state.
    public private(set) var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// An independent generator for `stream` (e.g. a trial index) under `seed`:
    /// state = mix(seed ⊕ mix(stream + 0x9E3779B97F4A7C15)), where mix is SplitMix64's output
    /// function. Distinct streams give unrelated sequences.
    public init(seed: UInt64, stream: UInt64) {
        self.state = Self.mix(seed ^ Self.mix(stream &+ 0x9E37_79B9_7F4A_7C15))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// SplitMix64's output function (a bijection on 64-bit integers).
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A standard normal draw by Box–Muller from two uniforms of the caller's generator — the one
/// normal sampler of the project (hyperparameter starts, benchmark noise).
package func standardNormal(using rng: inout some RandomNumberGenerator) -> Double {
    let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng)
    let u2 = Double.random(in: 0..<1, using: &rng)
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}
