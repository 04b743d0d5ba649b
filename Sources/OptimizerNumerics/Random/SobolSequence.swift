// Notation
//   d        dimension index, 0 ≤ d < dimension
//   B        bits of resolution (`bits`, 1…63); points are integers k/2^B
//   vⱼ       B-bit direction number j of one dimension, 0 ≤ j < B (stored left-aligned:
//            vⱼ = mⱼ · 2^(B−1−j), Bratley & Fox 1988)
//   g(n)     Gray code n ⊕ (n ≫ 1)
//   xₙ       n-th point of one dimension: XOR of vⱼ over the set bits j of g(n) (⊕ shift)
//
// Direction numbers: Joe & Kuo 2008, "Constructing Sobol sequences with better
// two-dimensional projections", SIAM J. Sci. Comput. 30(5), table new-joe-kuo-6.21201.
// Dimension 0 is the van der Corput sequence (all mⱼ = 1); dimension d ≥ 1 has a primitive
// polynomial of degree s with coefficients a₁…a_{s−1} and initial m₁…m_s, then
//     mⱼ = 2a₁mⱼ₋₁ ⊕ 2²a₂mⱼ₋₂ ⊕ … ⊕ 2^{s−1}a_{s−1}mⱼ₋ₛ₊₁ ⊕ 2^s mⱼ₋ₛ ⊕ mⱼ₋ₛ
// (Joe & Kuo 2003, eq. 3). The unscrambled points equal SciPy's
// `scipy.stats.qmc.Sobol(d, scramble=False, bits=B)` exactly, point for point (tested).
//
// Scrambling (optional, seeded): a random linear matrix scramble plus a random digital shift
// (Matoušek 1998, "On the L2-discrepancy for anchored boxes", J. Complexity 14; Owen 2003),
// the randomisation SciPy also uses. For each dimension a random lower-triangular B×B binary
// matrix L with unit diagonal multiplies every direction number (bit i of the result, counted
// from the most significant, is the parity of the top i+1 bits of vⱼ selected by row i of L),
// and a random B-bit integer is XORed into every point. Both preserve the (t, m, s)-net
// property: the first 2^m points still put exactly one point in every interval
// [k/2^m, (k+1)/2^m) of each coordinate.

/// A (optionally scrambled) Sobol low-discrepancy sequence with random access to any point.
public struct SobolSequence: Sendable, Hashable {
    /// Number of coordinates per point.
    public let dimension: Int
    /// Bits of resolution B: coordinates are multiples of 2^−B.
    public let bits: Int
    /// Direction numbers, `directions[d * bits + j]` = vⱼ of dimension d (after scrambling).
    private let directions: [UInt64]
    /// Digital shift of each dimension (0 when unscrambled).
    private let shifts: [UInt64]

    /// The sequence in `dimension` ≤ ``maxDimension`` dimensions at `bits` bits of resolution,
    /// scrambled (linear matrix scramble + digital shift) from `scrambleSeed` when given.
    public init(dimension: Int, bits: Int = 52, scrambleSeed: UInt64? = nil) {
        precondition(dimension >= 0 && dimension <= Self.maxDimension, "SobolSequence: dimension \(dimension) outside 0…\(Self.maxDimension)")
        precondition(bits >= 1 && bits <= 63, "SobolSequence: bits \(bits) outside 1…63")
        self.dimension = dimension
        self.bits = bits
        var directions = Self.directionNumbers(dimension: dimension, bits: bits)
        var shifts = [UInt64](repeating: 0, count: dimension)
        if let seed = scrambleSeed {
            var generator = SplitMix64(seed: seed, stream: 0x5C4A_3B1E_5EED_0B01)
            let mask: UInt64 = (1 << UInt64(bits)) - 1
            for d in 0..<dimension {
                // Row i of L (i from the most significant bit) as a mask over bit positions
                // B−1 … B−1−i: the diagonal bit set, the bits above it random.
                var rows = [UInt64](repeating: 0, count: bits)
                for i in 0..<bits {
                    let diagonal: UInt64 = 1 << UInt64(bits - 1 - i)
                    let above = mask & ~((diagonal << 1) - 1)
                    rows[i] = diagonal | (generator.next() & above)
                }
                for j in 0..<bits {
                    let v = directions[d * bits + j]
                    var scrambled: UInt64 = 0
                    for i in 0..<bits where (v & rows[i]).nonzeroBitCount & 1 == 1 {
                        scrambled |= 1 << UInt64(bits - 1 - i)
                    }
                    directions[d * bits + j] = scrambled
                }
                shifts[d] = generator.next() & mask
            }
        }
        self.directions = directions
        self.shifts = shifts
    }

    /// Unscrambled direction numbers vⱼ (left-aligned, see the notation block).
    static func directionNumbers(dimension: Int, bits: Int) -> [UInt64] {
        var v = [UInt64](repeating: 0, count: dimension * bits)
        var initialOffset = 0
        for d in 0..<dimension {
            let polynomial = UInt64(polynomials[d])
            let degree = 63 - polynomial.leadingZeroBitCount
            var m = [UInt64](repeating: 0, count: bits)
            if d == 0 {
                for j in 0..<bits { m[j] = 1 }
            } else {
                for j in 0..<min(degree, bits) { m[j] = UInt64(initialNumbers[initialOffset + j]) }
                if degree < bits {
                    for j in degree..<bits {
                        var next = m[j - degree]
                        for k in 0..<degree where (polynomial >> UInt64(degree - 1 - k)) & 1 == 1 {
                            next ^= m[j - k - 1] << UInt64(k + 1)
                        }
                        m[j] = next
                    }
                }
            }
            if d > 0 { initialOffset += degree }
            for j in 0..<bits { v[d * bits + j] = m[j] << UInt64(bits - 1 - j) }
        }
        return v
    }

    /// Point `index` as integers: coordinate d is `integerPoint(index)[d] / 2^bits`.
    public func integerPoint(_ index: UInt64) -> [UInt64] {
        precondition(bits == 63 || index < (1 << UInt64(bits)), "SobolSequence: index \(index) beyond the 2^\(bits) points")
        let gray = index ^ (index >> 1)
        var point = shifts
        var remaining = gray
        while remaining != 0 {
            let j = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            for d in 0..<dimension { point[d] ^= directions[d * bits + j] }
        }
        return point
    }

    /// Point `index` in [0, 1)^dimension: kₙ/2^B (exactly SciPy's value when unscrambled).
    public func point(_ index: UInt64) -> [Double] {
        let scale = Double(sign: .plus, exponent: -bits, significand: 1)
        return integerPoint(index).map { Double($0) * scale }
    }

    /// Point `index` moved to the centre of its cell, (kₙ + ½)/2^B ∈ (0, 1): what samplers
    /// feed to inverse CDFs, whose values at 0 would be infinite.
    public func openUnitPoint(_ index: UInt64) -> [Double] {
        let scale = Double(sign: .plus, exponent: -bits, significand: 1)
        return integerPoint(index).map { (Double($0) + 0.5) * scale }
    }
}
