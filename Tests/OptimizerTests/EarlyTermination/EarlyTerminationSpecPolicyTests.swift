import Testing
import Optimizer
import TestSupport

extension EarlyTerminationTests {
    @Suite("EarlyTerminationSpec → policy, validation")
    struct EarlyTerminationSpecPolicyTests {
        @Test("the factory builds the policy each spec describes")
        func factory() {
            #expect(makePolicy(nil) is NoTerminationPolicy)
            let bandit = makePolicy(EarlyTerminationSpec(kind: .bandit(slackFactor: 0.1, slackAmount: nil), evaluationInterval: 2, delayEvaluation: 5))
            #expect(bandit as? BanditPolicy == BanditPolicy(slackFactor: 0.1, evaluationInterval: 2, delayEvaluation: 5))
            let amount = makePolicy(EarlyTerminationSpec(kind: .bandit(slackFactor: nil, slackAmount: 0.2)))
            #expect(amount as? BanditPolicy == BanditPolicy(slackAmount: 0.2))
            let median = makePolicy(EarlyTerminationSpec(kind: .medianStopping, evaluationInterval: 0, delayEvaluation: 5))
            #expect(median as? MedianStoppingPolicy == MedianStoppingPolicy(evaluationInterval: 1, delayEvaluation: 5))
            let truncation = makePolicy(EarlyTerminationSpec(kind: .truncationSelection(truncationPercentage: 20), delayEvaluation: 3))
            #expect(truncation as? TruncationSelectionPolicy == TruncationSelectionPolicy(truncationPercentage: 20, delayEvaluation: 3))
            #expect(truncation.description == "truncation_selection(truncation_percentage: 20, evaluation_interval: 1, delay_evaluation: 3)")
            #expect(bandit.description == "bandit(slack_factor: 0.1, evaluation_interval: 2, delay_evaluation: 5)")
            #expect(median.description == "median_stopping(evaluation_interval: 1, delay_evaluation: 5)")
        }

        @Test("bandit needs exactly one slack, finite and ≥ 0")
        func banditSlack() {
            #expect(EarlyTerminationSpec.banditSlackProblems(slackFactor: 0.2, slackAmount: nil).isEmpty)
            #expect(EarlyTerminationSpec.banditSlackProblems(slackFactor: nil, slackAmount: 0).isEmpty)
            #expect(EarlyTerminationSpec.banditSlackProblems(slackFactor: -0.2, slackAmount: nil).map(\.description)
                == ["early_termination.slack_factor: -0.2 must be ≥ 0"])
            #expect(EarlyTerminationSpec.banditSlackProblems(slackFactor: nil, slackAmount: -1).map(\.path) == ["early_termination.slack_amount"])
            #expect(EarlyTerminationSpec.banditSlackProblems(slackFactor: .infinity, slackAmount: nil).map(\.path) == ["early_termination.slack_factor"])
            #expect(EarlyTerminationSpec.banditSlackProblems(slackFactor: .nan, slackAmount: nil).count == 1)
            let both = EarlyTerminationSpec.banditSlackProblems(slackFactor: 0.1, slackAmount: 0.1)
            #expect(both.map(\.path) == ["early_termination"])
            #expect(both.first?.message.contains("not both") == true)
            #expect(EarlyTerminationSpec.banditSlackProblems(slackFactor: nil, slackAmount: nil).map(\.path) == ["early_termination"])
        }

        @Test("truncation_percentage is 1…99; interval and delay ≥ 0")
        func ranges() {
            #expect(EarlyTerminationSpec.truncationPercentageProblems(1).isEmpty)
            #expect(EarlyTerminationSpec.truncationPercentageProblems(99).isEmpty)
            #expect(EarlyTerminationSpec.truncationPercentageProblems(0).map(\.description)
                == ["early_termination.truncation_percentage: 0 must be an integer from 1 to 99"])
            #expect(EarlyTerminationSpec.truncationPercentageProblems(100).count == 1)
            #expect(EarlyTerminationSpec.evaluationIntervalProblems(0).isEmpty)
            #expect(EarlyTerminationSpec.evaluationIntervalProblems(nil).isEmpty)
            #expect(EarlyTerminationSpec.evaluationIntervalProblems(-1).map(\.path) == ["early_termination.evaluation_interval"])
            #expect(EarlyTerminationSpec.delayEvaluationProblems(0).isEmpty)
            #expect(EarlyTerminationSpec.delayEvaluationProblems(-3).map(\.path) == ["early_termination.delay_evaluation"])
            #expect(EarlyTerminationSpec.truncationPercentageProblems(0, path: "sweep.early_termination").map(\.path)
                == ["sweep.early_termination.truncation_percentage"])
        }

        @Test("a whole spec reports every problem; makeValidatedPolicy throws them")
        func wholeSpec() throws {
            let bad = EarlyTerminationSpec(kind: .truncationSelection(truncationPercentage: 150), delayEvaluation: -1)
            #expect(bad.validationProblems().map(\.path) == ["early_termination.delay_evaluation", "early_termination.truncation_percentage"])
            #expect(throws: ConfigurationError.self) { try makeValidatedPolicy(bad) }
            do {
                _ = try makeValidatedPolicy(bad)
            } catch {
                #expect(error.problems.count == 2)
            }
            let good = EarlyTerminationSpec(kind: .medianStopping, delayEvaluation: 5)
            #expect(good.validationProblems().isEmpty)
            #expect(try makeValidatedPolicy(good) as? MedianStoppingPolicy == MedianStoppingPolicy(delayEvaluation: 5))
            #expect(try makeValidatedPolicy(nil) is NoTerminationPolicy)
        }
    }
}
