import Testing
@testable import OptimizerNumerics
import TestSupport

/// The 1-D line search on its own, driven like ``LBFGSB`` drives it.
@Suite("Strong Wolfe line search")
struct StrongWolfeLineSearchTests {
    typealias Phi = @Sendable (Double) -> (value: Double, slope: Double)

    /// Runs the search to the end; returns the accepted step (nil on failure) and the count.
    static func run(
        _ phi: Phi, initialStep: Double, maximumStep: Double = 1e10,
        c1: Double = 1e-4, c2: Double = 0.9, maxEvaluations: Int = 20
    ) -> (step: Double?, evaluations: Int) {
        let start = phi(0)
        var search = StrongWolfeLineSearch(
            initialValue: start.value, initialSlope: start.slope, initialStep: initialStep,
            maximumStep: maximumStep, sufficientDecrease: c1, curvature: c2, maxEvaluations: maxEvaluations)
        while true {
            let trial = search.trialStep
            #expect(trial > 0 && trial <= maximumStep, "trial step \(trial) outside (0, α_max]")
            let sample = phi(trial)
            switch search.observe(value: sample.value, slope: sample.slope) {
            case .evaluate: continue
            case .accept: return (trial, search.evaluations)
            case .fail: return (nil, search.evaluations)
            }
        }
    }

    static func satisfiesStrongWolfe(_ phi: Phi, step: Double, c1: Double, c2: Double) -> Bool {
        let start = phi(0), at = phi(step)
        return at.value <= start.value + c1 * step * start.slope && abs(at.slope) <= c2 * abs(start.slope)
    }

    /// The first two test functions of Moré & Thuente 1994 (numerical-results section), with
    /// their μ (= c₁) and η (= c₂), from initial steps 1e-3, 1e-1, 10, 1e3 as in their tables:
    /// φ(α) = −α/(α² + β), β = 2, and φ(α) = (α + β)⁵ − 2(α + β)⁴, β = 0.004.
    static let moreThuente: [(name: String, phi: Phi, c1: Double, c2: Double)] = [
        ("function 1, β = 2", { a in (-a / (a * a + 2), (a * a - 2) / ((a * a + 2) * (a * a + 2))) }, 1e-3, 0.1),
        ("function 2, β = 0.004", { a in
            let t = a + 0.004
            return (pow5(t) - 2 * pow4(t), 5 * pow4(t) - 8 * t * t * t)
        }, 0.1, 0.1),
    ]

    static func pow4(_ t: Double) -> Double { t * t * t * t }
    static func pow5(_ t: Double) -> Double { t * t * t * t * t }

    @Test(arguments: [0, 1], [1e-3, 1e-1, 10, 1e3])
    func moreThuenteFunctions(index: Int, initialStep: Double) {
        let problem = Self.moreThuente[index]
        let (step, evaluations) = Self.run(problem.phi, initialStep: initialStep, c1: problem.c1, c2: problem.c2)
        guard let step else {
            Issue.record("\(problem.name) from \(initialStep): failed after \(evaluations) evaluations")
            return
        }
        #expect(Self.satisfiesStrongWolfe(problem.phi, step: step, c1: problem.c1, c2: problem.c2),
                "\(problem.name) from \(initialStep): step \(step)")
        // Measured: 1–13 evaluations over these eight cases (13: function 2 from 1e3). 15
        // leaves room for rounding differences across platforms but catches a broken zoom,
        // which needs the full 20 (maxls) or fails.
        #expect(evaluations <= 15)
    }

    @Test func acceptsUnitStepOnQuadraticWithMinimumBeyondIt() {
        // φ(α) = (α − 2)²: φ′(1) = −2, |φ′(1)| ≤ 0.9·4, so α = 1 is accepted at once.
        let (step, evaluations) = Self.run({ a in ((a - 2) * (a - 2), 2 * (a - 2)) }, initialStep: 1)
        #expect(step == 1 && evaluations == 1)
    }

    @Test func stopsAtMaximumStepWhileStillDescending() {
        // Linear descent: no curvature step exists; the box boundary α_max = 3 is accepted.
        let (step, _) = Self.run({ a in (-a, -1) }, initialStep: 1, maximumStep: 3)
        #expect(step == 3)
    }

    @Test func backsOffFromNonFiniteValues() {
        // (α − 1)², undefined beyond 0.3. Strong Wolfe holds for α ∈ [0.1, 0.3]
        // (|φ′(α)| = 2(1 − α) ≤ 0.9·2), so after backing off the search must find such a step.
        let phi: Phi = { a in a > 0.3 ? (.nan, .nan) : ((a - 1) * (a - 1), 2 * (a - 1)) }
        let (step, _) = Self.run(phi, initialStep: 1, c2: 0.9)
        guard let step else { Issue.record("no step"); return }
        #expect(step <= 0.3)
        #expect(Self.satisfiesStrongWolfe(phi, step: step, c1: 1e-4, c2: 0.9))
    }

    @Test func failsOnAscentDataWithinBudget() {
        // Values increase although the reported slope at 0 is negative: no step can give
        // sufficient decrease; the search must give up after maxEvaluations.
        let phi: Phi = { a in a == 0 ? (0, -1) : (a, 1) }
        let (step, evaluations) = Self.run(phi, initialStep: 1, maxEvaluations: 20)
        #expect(step == nil)
        #expect(evaluations == 20)
    }

    @Test func cubicInterpolationIsExactForCubics() {
        // φ(α) = α³ − 3α (local minimiser α = 1), sampled at 0 and 2.
        let p = StrongWolfeLineSearch.Sample(step: 0, value: 0, slope: -3)
        let q = StrongWolfeLineSearch.Sample(step: 2, value: 2, slope: 9)
        let minimiser = StrongWolfeLineSearch.cubicMinimizer(p, q)
        #expect(minimiser.map { abs($0 - 1) < 1e-12 } == true)
        #expect(StrongWolfeLineSearch.cubicMinimizer(p, StrongWolfeLineSearch.Sample(step: 2, value: .infinity, slope: 1)) == nil)
    }
}
