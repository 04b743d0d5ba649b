/// Quasi-random designs on the unit cube.
public enum QuasiRandom {
    /// `count` scrambled Sobol points of [0, 1)^dimension as a count×dimension matrix,
    /// deterministic in `seed` (dimensions beyond ``SobolSequence/maxDimension`` fall back to
    /// seeded uniform draws).
    public static func unitCube(count: Int, dimension: Int, seed: UInt64) -> Matrix {
        var m = Matrix(rows: count, columns: dimension)
        if dimension <= SobolSequence.maxDimension {
            let sobol = SobolSequence(dimension: dimension, scrambleSeed: seed)
            for i in 0..<count {
                let p = sobol.point(UInt64(i))
                for j in 0..<dimension { m[i, j] = p[j] }
            }
        } else {
            var rng = SplitMix64(seed: seed, stream: 0x5EED)
            for j in 0..<dimension { for i in 0..<count { m[i, j] = Double.random(in: 0..<1, using: &rng) } }
        }
        return m
    }
}
