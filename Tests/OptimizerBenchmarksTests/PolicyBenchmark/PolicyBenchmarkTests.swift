import Foundation
import Testing
@testable import Optimizer
import TestSupport
@testable import OptimizerBenchmarks

/// Groups the policy benchmark tests (they were nested under the stored-replay tests).
@Suite enum PolicyBenchmarkSuite {}

extension PolicyBenchmarkSuite {
    @Suite("Policy benchmark")
    struct PolicyBenchmarkTests {
        @Test("the learning-curve problem: hand-computed plateau, time constant and mean")
        func problem() {
            let problem = LearningCurveProblem()
            let best = Configuration(names: ["log10_lr", "width", "dropout", "warmup"], values: [.double(-3), .double(1), .double(0.2), .double(1)])
            #expect(abs(problem.plateau(best) - 0.98) < 1e-15)  // 0.95 + 0.03, one rounding
            #expect(problem.timeConstant(best) == 14.5)  // 2 + 10·0.25 + 4 + 6
            #expect(abs(problem.mean(best, report: 30) - 0.98 * (1 - exp(-30 / 14.5))) < 1e-15)
            let fast = Configuration(names: ["log10_lr", "width", "dropout", "warmup"], values: [.double(-1), .double(0), .double(0), .double(0)])
            #expect(problem.timeConstant(fast) == 2)
            #expect(abs(problem.plateau(fast) - (0.95 - 0.35 - 0.15 - 0.4 * 0.04)) < 1e-15)
        }

        @Test("random sampling: no policy runs every report; median stopping runs fewer; runs are deterministic")
        func random() async throws {
            var bench = PolicyBenchmark()
            bench.budget = 20
            let runs = try await offCooperativePool { [bench] in
                (bench.run(PolicyBenchmarkArm.standard[0], seed: 1).run, bench.run(PolicyBenchmarkArm.standard[1], seed: 1).run,
                 bench.run(PolicyBenchmarkArm.standard[1], seed: 1).run)
            }
            let (none, median, again) = runs
            #expect(none.reports == 20 * 30 && none.stopped == 0)
            #expect(median.reports < none.reports && median.stopped > 0)
            // Paired: the same configurations, so the winner under the policy is never better.
            #expect(median.bestValue <= none.bestValue)
            #expect(again == median)
        }

        @Test("Bayesian sampling with median stopping, both partial treatments, on a small budget")
        func bayesian() async throws {
            var bench = PolicyBenchmark()
            bench.budget = 14
            bench.seeds = 1
            bench.arms = [PolicyBenchmarkArm.standard[2], PolicyBenchmarkArm.standard[3]]
            let result = try await offCooperativePool { [bench] in bench.run() }
            #expect(result.arms.map(\.arm) == ["bayesian+median(1,5) floor", "bayesian+median(1,5) as-is"])
            for arm in result.arms {
                let run = arm.runs[0]
                #expect(run.reports <= 14 * 30 && run.reports >= 14 * 5)  // nobody is stopped before delay 5
                #expect(run.bestValue.isFinite && run.bestTrueFinal > 0 && run.bestTrueFinal <= 0.98)
            }
        }
    }
}
