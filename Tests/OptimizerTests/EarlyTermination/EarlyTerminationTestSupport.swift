import Foundation
import Optimizer
import TestSupport
import Testing

/// Groups every early-termination suite, so `swift test --filter EarlyTermination` selects them.
@Suite("Early termination")
enum EarlyTerminationTests {}

extension EarlyTerminationTests {
    /// The test support's seeded SplitMix64 (same stream as before), with normal draws.
    typealias EarlyTerminationTestRNG = SeededGenerator

    /// A snapshot whose trial ids are the curves' indices.
    static func makeSnapshot(_ goal: PrimaryMetricGoal, _ curves: [[Double]]) -> MetricHistorySnapshot {
        MetricHistorySnapshot(goal: goal, curves: curves.enumerated().map { TrialCurve(trial: $0.offset, values: $0.element) })
    }

    /// Random curves: 2…12 trials of 1…15 reports, values in −2…2 (negative ones included so the
    /// sign-aware bandit threshold is exercised), with the occasional repeated value for ties.
    static func randomCurves(using rng: inout EarlyTerminationTestRNG) -> [[Double]] {
        let trialCount = Int.random(in: 2...12, using: &rng)
        return (0..<trialCount).map { _ in
            (0..<Int.random(in: 1...15, using: &rng)).map { _ in
                Bool.random(using: &rng) && Bool.random(using: &rng)
                    ? Double(Int.random(in: -4...4, using: &rng)) / 2
                    : Double.random(in: -2...2, using: &rng)
            }
        }
    }

    /// Every kind of policy with random parameters.
    static func randomPolicy(using rng: inout EarlyTerminationTestRNG) -> any EarlyTerminationPolicy {
        let interval = Int.random(in: 0...3, using: &rng)
        let delay = Int.random(in: 0...6, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return BanditPolicy(slackFactor: Double.random(in: 0...0.5, using: &rng), evaluationInterval: interval, delayEvaluation: delay)
        case 1: return BanditPolicy(slackAmount: Double.random(in: 0...0.5, using: &rng), evaluationInterval: interval, delayEvaluation: delay)
        case 2: return MedianStoppingPolicy(evaluationInterval: interval, delayEvaluation: delay)
        case 3: return TruncationSelectionPolicy(truncationPercentage: Int.random(in: 1...99, using: &rng), evaluationInterval: interval, delayEvaluation: delay)
        default: return NoTerminationPolicy()
        }
    }
}

extension SeededGenerator {
    /// A standard normal draw (Box–Muller).
    mutating func normal() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
