import Foundation
import Testing
@testable import Optimizer
import TestSupport

@Suite("Sobol sequence and sampler")
struct SobolTests {
    struct Reference: Decodable {
        struct Block: Decodable {
            var dimension: Int
            var bits: Int
            var indices: [UInt64]?
            var points: [[UInt64]]
        }
        var scipy: String
        var first_points: Block
        var scattered_points: Block
        var far_points: Block
    }

    func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: SpaceTestSupport.fixture("sobol_reference.json"))
    }

    @Test func unscrambledFirstPointsEqualSciPy() throws {
        let ref = try reference()
        let sequence = SobolSequence(dimension: ref.first_points.dimension, bits: ref.first_points.bits)
        for (i, expected) in ref.first_points.points.enumerated() {
            #expect(sequence.integerPoint(UInt64(i)) == expected, "point \(i) (SciPy \(ref.scipy))")
        }
        // And as doubles: k/2^52 exactly.
        #expect(sequence.point(1) == [Double](repeating: 0.5, count: 16))
    }

    @Test func unscrambledScatteredPointsEqualSciPyInAllDimensions() throws {
        let ref = try reference()
        for block in [ref.scattered_points, ref.far_points] {
            let sequence = SobolSequence(dimension: block.dimension, bits: block.bits)
            for (index, expected) in zip(block.indices ?? [], block.points) {
                let got = sequence.integerPoint(index)
                let mismatches = (0..<block.dimension).filter { got[$0] != expected[$0] }
                #expect(mismatches.isEmpty, "index \(index): first mismatching dimensions \(mismatches.prefix(5))")
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func scrambledPointsStayStratified(seed: UInt64) {
        // A linear matrix scramble plus digital shift keeps the (t, m, s)-net property: the
        // first 2^m points have exactly one point in each interval [k/2^m, (k+1)/2^m) of every
        // coordinate, and each pair of dimensions 0/1 puts 2^m/16 points in each 4×4 cell.
        let m = 8
        let sequence = SobolSequence(dimension: 6, bits: 52, scrambleSeed: seed)
        let points = (0..<(1 << m)).map { sequence.point(UInt64($0)) }
        for d in 0..<6 {
            let cells = Set(points.map { Int($0[d] * Double(1 << m)) })
            #expect(cells.count == 1 << m, "seed \(seed), dimension \(d)")
        }
        var grid = [Int](repeating: 0, count: 16)
        for p in points { grid[Int(p[0] * 4) * 4 + Int(p[1] * 4)] += 1 }
        #expect(grid.allSatisfy { $0 == 16 }, "seed \(seed): \(grid)")
        // Scrambling changes the points.
        #expect(sequence.point(5) != SobolSequence(dimension: 6).point(5))
        #expect(sequence.point(5) != SobolSequence(dimension: 6, scrambleSeed: seed + 100).point(5))
    }

    @Test func samplerIsDeterministicCoversChoicesEvenlyAndNeverRepeatsInFiniteSpaces() throws {
        let space = try SearchSpace(["lr": .logUniform(-6, -1), "c": .choice(["a", "b", "c", "d"])])
        let sampler = try SobolSampler(space: space, seed: 5)
        let history = SamplerHistory(goal: .maximize)
        let configurations = (0..<64).map { sampler.configuration(history: history, trialIndex: $0)! }
        #expect(configurations == (0..<64).map { try! SobolSampler(space: space, seed: 5).configuration(history: history, trialIndex: $0)! })
        // Equal bins of a stratified coordinate: each of 4 options exactly 16 times in 64 points.
        var counts: [String: Int] = [:]
        for c in configurations { if case .string(let s) = c["c"]! { counts[s, default: 0] += 1 } }
        #expect(counts == ["a": 16, "b": 16, "c": 16, "d": 16])
        #expect(configurations.allSatisfy { ($0["lr"]!.numericValue!) >= exp(-6) && $0["lr"]!.numericValue! <= exp(-1) })

        let finite = try SearchSpace(["a": .choice([1, 2, 3]), "b": .randint(upper: 3)])
        let finiteSampler = try SobolSampler(space: finite, seed: 1)
        var h = SamplerHistory(goal: .maximize)
        var seen: [Configuration] = []
        for i in 0..<20 {
            guard let c = finiteSampler.configuration(history: h, trialIndex: i) else { break }
            seen.append(c)
            h.observations.append(.init(trial: i, configuration: c, value: nil, isPending: false))
        }
        #expect(seen.count == 9)
        #expect(Set(seen).count == 9)
    }
}
