/// Quasi-random designs on the unit cube.
public enum QuasiRandom {
    /// `count` points of [0, 1)^dimension as a count×dimension matrix, deterministic in `seed`.
    ///
    /// TEMPORARY: uniform draws until the scrambled Sobol sequence lands.
    public static func unitCube(count: Int, dimension: Int, seed: UInt64) -> Matrix {
        var rng = SplitMix64(seed: seed, stream: 0x5EED)
        var m = Matrix(rows: count, columns: dimension)
        for j in 0..<dimension { for i in 0..<count { m[i, j] = Double.random(in: 0..<1, using: &rng) } }
        return m
    }
}
