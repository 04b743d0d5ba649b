import Foundation

/// Loads a committed JSON fixture from `Tests/Fixtures/NAME.json`.
public func loadFixture<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
    let url = SpaceTestSupport.fixtures.appendingPathComponent("\(name).json")
    guard FileManager.default.fileExists(atPath: url.path) else { throw FixtureError.missing(name) }
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

public enum FixtureError: Error { case missing(String) }

/// A small seeded generator for property tests (SplitMix64), so failures print a seed that
/// reproduces them.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

public func randomMatrix(rows: Int, columns: Int, using rng: inout some RandomNumberGenerator) -> Matrix {
    Matrix(rows: rows, columns: columns, columnMajor: (0..<(rows * columns)).map { _ in Double.random(in: 0..<1, using: &rng) })
}

public import Optimizer
