import Foundation
import Testing
@testable import Optimizer
import TestSupport
@testable import OptimizerSweep

/// hdbench's fANOVA against Optuna's `FanovaImportanceEvaluator` on three recorded hdbench
/// sweeps (Tests/Fixtures/importance/: trials.json recorded by real sweeps,
/// reference.json computed by Optuna; both by Tests/Fixtures/generate_importance.py).
@Suite("fANOVA against Optuna on recorded sweeps")
struct ImportanceOptunaTests {
    struct RecordedSet: Decodable {
        struct Trial: Decodable {
            var trial: Int
            var parameters: [String: JSONNumberOrString]
            var value: Double
        }
        var name: String
        var yaml: String
        var trials: [Trial]
    }

    /// A JSON parameter value: a number (integer or not) or a string.
    enum JSONNumberOrString: Decodable {
        case int(Int), double(Double), string(String)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let i = try? container.decode(Int.self) { self = .int(i) } else if let d = try? container.decode(Double.self) { self = .double(d) } else { self = .string(try container.decode(String.self)) }
        }
        var value: ParameterValue {
            switch self {
            case .int(let i): return .int(i)
            case .double(let d): return .double(d)
            case .string(let s): return .string(s)
            }
        }
    }

    struct Reference: Decodable {
        struct Set: Decodable {
            var name: String
            var encoded: [[String: Double]]
            var raw: [[String: Double]]
        }
        var optuna: String
        var sets: [Set]
    }

    /// Spearman's rank correlation (ties get their average rank).
    static func spearman(_ a: [Double], _ b: [Double]) -> Double {
        func ranks(_ x: [Double]) -> [Double] {
            let order = x.indices.sorted { x[$0] < x[$1] }
            var r = [Double](repeating: 0, count: x.count)
            var i = 0
            while i < order.count {
                var j = i
                while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
                for k in i...j { r[order[k]] = Double(i + j) / 2 + 1 }
                i = j + 1
            }
            return r
        }
        let (ra, rb) = (ranks(a), ranks(b))
        let ma = ra.reduce(0, +) / Double(ra.count), mb = rb.reduce(0, +) / Double(rb.count)
        let cov = zip(ra, rb).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
        let va = ra.reduce(0) { $0 + ($1 - ma) * ($1 - ma) }, vb = rb.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }
        return cov / (va * vb).squareRoot()
    }

    static func mean(_ runs: [[String: Double]], _ name: String) -> Double {
        runs.reduce(0) { $0 + $1[name]! } / Double(runs.count)
    }

    @Test func ranksAgreeWithOptunaOnEachRecordedSweep() throws {
        let sets: [RecordedSet] = try loadFixture("importance/trials")
        let reference: Reference = try loadFixture("importance/reference")
        #expect(sets.count == 3)
        for set in sets {
            let space = try #require(ReportModel.searchSpace(fromYAML: set.yaml), "\(set.name): search space")
            let observations = set.trials.map { trial in
                ImportanceObservation(configuration: Configuration(names: space.names, values: space.names.map { trial.parameters[$0]!.value }),
                                      value: trial.value)
            }
            let ours = try FanovaImportance().evaluate(observations, space: space)
            let expected = try #require(reference.sets.first { $0.name == set.name })
            let names = space.names
            let mine = names.map { name in ours.first { $0.parameter == name }!.importance }
            let optuna = names.map { Self.mean(expected.encoded, $0) }
            let optunaRaw = names.map { Self.mean(expected.raw, $0) }
            let rho = Self.spearman(mine, optuna)
            let largest = zip(mine, optuna).map { abs($0 - $1) }.max()!
            // Optuna's own spread: how far one of its seeds lies from the mean of five.
            let spread = expected.encoded.flatMap { run in names.map { abs(run[$0]! - Self.mean(expected.encoded, $0)) } }.max()!
            print("\(set.name) (\(set.trials.count) trials): ours \(zip(names, mine).map { "\($0)=\(String(format: "%.3f", $1))" }.joined(separator: " ")); "
                  + "Optuna (mean of 5 seeds) \(zip(names, optuna).map { "\($0)=\(String(format: "%.3f", $1))" }.joined(separator: " ")); "
                  + "Spearman \(String(format: "%.3f", rho)), largest |Δ| \(String(format: "%.3f", largest)), Optuna seed spread \(String(format: "%.3f", spread)); "
                  + "Spearman vs Optuna on raw values \(String(format: "%.3f", Self.spearman(mine, optunaRaw)))")
            #expect(rho >= 0.8, "\(set.name): Spearman \(rho)")
            #expect(largest <= Self.valueTolerance, "\(set.name): largest importance difference \(largest)")
        }
    }

    static let valueTolerance = 0.1
}
