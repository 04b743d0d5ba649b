import Testing
@testable import Optimizer

@Suite("L-BFGS-B against SciPy fixtures")
struct LBFGSBFixtureTests {
    static let problems = LBFGSTestSupport.fixture.problems

    @Test("fixture problems", arguments: problems)
    func matchesSciPy(problem: LBFGSTestSupport.FixtureProblem) {
        let objective = LBFGSTestSupport.objective(named: problem.objective)
        let result = LBFGSB.minimize(
            start: problem.start, lower: problem.lowerBounds, upper: problem.upperBounds, objective: objective)
        print("\(problem.name): ours nit=\(result.iterations) nfev=\(result.evaluations) f=\(result.value) status=\(result.status) | scipy \(LBFGSTestSupport.fixture.scipy) nit=\(problem.nit) nfev=\(problem.nfev) f=\(problem.f)")
        print("  x ours  = \(result.x)\n  x scipy = \(problem.x)\n  \(result.reason)")
        #expect(result.status.isConverged)
    }
}
