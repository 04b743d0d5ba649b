import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

@Suite("Sweep job YAML → SweepDefinition")
struct SweepDefinitionYAMLTests {
    let base = URL(fileURLWithPath: NSTemporaryDirectory())

    func parse(_ yaml: String, extensions: Bool = false) throws(ConfigurationError) -> SweepDefinition {
        try SweepDefinition(yaml: yaml, baseDirectory: base, extensions: extensions)
    }

    /// The problems of `yaml`, as `path: message` lines (empty when it is valid).
    func problems(_ yaml: String, extensions: Bool = false) -> [String] {
        do {
            _ = try parse(yaml, extensions: extensions)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    static let minimal = """
        type: sweep
        trial:
          command: python train.py --lr ${{search_space.lr}}
        search_space:
          lr: {type: uniform, min_value: 0, max_value: 1}
        sampling_algorithm: random
        objective: {goal: maximize, primary_metric: acc}
        limits: {max_total_trials: 5}
        """

    @Test func quickstartExampleParses() throws {
        let url = SpaceTestSupport.packageRoot.appendingPathComponent("Examples/quickstart/sweep.yml")
        let definition = try SweepDefinition(contentsOf: url)
        #expect(definition.searchSpace.names == ["learning_rate", "hidden_units", "layers", "optimizer"])
        #expect(definition.searchSpace["learning_rate"] == .logUniform(-7, -1))
        #expect(definition.sampling == .random(seed: 42, rule: .random))
        #expect(definition.objective == Objective(goal: .maximize, primaryMetric: "accuracy"))
        #expect(definition.earlyTermination == EarlyTerminationSpec(kind: .medianStopping, evaluationInterval: 1, delayEvaluation: 5))
        #expect(definition.limits == Limits(maxTotalTrials: 20, maxConcurrentTrials: 4, timeout: 600))
        #expect(definition.trial.codeDirectory.path == url.deletingLastPathComponent().standardizedFileURL.path)
        #expect(definition.inputs.map(\.name) == ["epochs"] && definition.inputs[0].value == "10")
        #expect(definition.recordedAzureKeys.map(\.path) == ["$schema", "display_name", "experiment_name", "description", "compute", "trial.environment"])
        #expect(definition.recordedAzureKeys.first { $0.path == "compute" }?.value == #""azureml:cpu-cluster""#)
        #expect(definition.warnings.isEmpty)
        #expect(!definition.extensions)
    }

    @Test func fullJobWithInputsOutputsAndEveryExpression() throws {
        let folder = base.appendingPathComponent("hdbench-space-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("src"), withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: folder.appendingPathComponent("data.csv"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = """
            type: Sweep
            trial:
              command: >-
                python main.py --data ${{inputs.data}} --k ${{inputs.k}} --out ${{outputs.model}}
                --a ${{search_space.a}} --b ${{ search_space.b }}
              code: ./src
              environment_variables: {OMP_NUM_THREADS: 1, MODE: fast}
            inputs:
              data: {type: uri_file, path: ./data.csv}
              k: 5
            outputs:
              model: {type: uri_folder}
            search_space:
              a: {type: choice, values: [1, 2.5, adam, 1e-3, {x: 1, y: {type: uniform, min_value: 0, max_value: 1}}]}
              b: {type: randint, upper: 3}
              c: {type: QUniform, min_value: 0, max_value: 10, q: 2}
              d: {type: loguniform, min_value: -6, max_value: -1}
              e: {type: qloguniform, min_value: 0, max_value: 3, q: 1}
              f: {type: normal, mu: 0, sigma: 1}
              g: {type: qnormal, mu: 0, sigma: 1, q: 0.5}
              h: {type: lognormal, mu: 0, sigma: 1}
              i: {type: qlognormal, mu: 0, sigma: 1, q: 1}
              j: {type: uniform, min_value: -1, max_value: 1}
            sampling_algorithm: {type: random, seed: 7, rule: Sobol}
            objective: {goal: MINIMIZE, primary_metric: loss}
            early_termination: {type: truncation_selection, truncation_percentage: 20, evaluation_interval: 0, delay_evaluation: 5}
            limits: {max_total_trials: 100, max_concurrent_trials: 8, timeout: 3600, trial_timeout: 60.5}
            """
        let d = try SweepDefinition(yaml: yaml, baseDirectory: folder)
        #expect(d.trial.codeDirectory.path == folder.appendingPathComponent("src").standardizedFileURL.path)
        #expect(d.trial.environmentVariables.map(\.name) == ["OMP_NUM_THREADS", "MODE"])
        #expect(d.trial.environmentVariables.map(\.value) == ["1", "fast"])
        #expect(d.inputs.map(\.name) == ["data", "k"])
        #expect(d.inputs[0].value == folder.appendingPathComponent("data.csv").standardizedFileURL.path)
        #expect(d.outputs == ["model"])
        #expect(d.searchSpace["a"] == .choice([1, 2.5, "adam", "1e-3", .mapping(["x": 1, "y": .expression(.uniform(0, 1))])]))
        #expect(d.searchSpace["c"] == .quniform(0, 10, q: 2))
        #expect(d.searchSpace["e"] == .qLogUniform(0, 3, q: 1))
        #expect(d.searchSpace["i"] == .qLogNormal(mu: 0, sigma: 1, q: 1))
        #expect(d.sampling == .random(seed: 7, rule: .sobol))
        #expect(d.objective.goal == .minimize)
        #expect(d.earlyTermination == EarlyTerminationSpec(kind: .truncationSelection(truncationPercentage: 20), evaluationInterval: 1, delayEvaluation: 5))
        #expect(d.limits == Limits(maxTotalTrials: 100, maxConcurrentTrials: 8, timeout: 3600, trialTimeout: 60.5))
        #expect(d.warnings.isEmpty, "\(d.warnings)")
        let command = try renderCommand(d.trial.command, configuration: Configuration(names: ["a", "b"], values: [.string("adam"), .int(2)]),
                                    inputs: d.inputValues, outputs: ["model": "/runs/t1/model"])
        #expect(command.hasSuffix("--k 5 --out /runs/t1/model --a adam --b 2"))
    }

    @Test func unknownKeysAreErrorsWithTheirPathAndAzureKeysAreRecorded() {
        let yaml = Self.minimal + """

            display_name: x
            tags: {team: ml}
            resources: {instance_count: 1}
            queue_settings: {job_tier: standard}
            bogus: 1
            """
        let found = problems(yaml.replacingOccurrences(of: "limits: {max_total_trials: 5}", with: "limits: {max_total_trials: 5, max_trials: 3}")
            .replacingOccurrences(of: "min_value: 0, max_value: 1}", with: "min_value: 0, max_value: 1, step: 2}"))
        #expect(found.contains { $0.hasPrefix("bogus: is not a key of a sweep job") })
        #expect(found.contains { $0.hasPrefix("limits.max_trials: is not a key of limits") })
        #expect(found.contains { $0.hasPrefix("search_space.lr.step: is not a key of a uniform expression") })
        #expect(found.count == 3, "\(found)")
        let d = try? parse(yaml.replacingOccurrences(of: "bogus: 1", with: ""))
        #expect(d?.recordedAzureKeys.map(\.path) == ["display_name", "tags", "resources", "queue_settings"])
        #expect(d?.recordedAzureKeys.first { $0.path == "tags" }?.value == #"{"team":"ml"}"#)
    }

    @Test func everyProblemIsReportedNotOnlyTheFirst() {
        let found = problems("""
            type: command
            trial: {command: "python t.py ${{search_space.zz}} ${{inputs.x}} ${{what}}"}
            search_space:
              a: {type: uniform, min_value: 2, max_value: 1}
              b: {type: choice, values: [yes, null, [1, 2], 2024-01-01]}
              c: {type: normal, mu: 0}
              d: {type: gaussian}
              e: [1, 2]
            sampling_algorithm: {type: random, rule: halton}
            objective: {goal: maximise}
            early_termination: {type: bandit, evaluation_interval: -1}
            limits: {max_concurrent_trials: 0, timeout: fast}
            """)
        let expected = [
            "type: 'command' is not supported",
            "search_space.a.min_value: 2 must be less than max_value (1)",
            "search_space.b.values[0]: 'yes' is read by YAML 1.1 as the boolean true",
            "search_space.b.values[1]: null is not allowed in a choice",
            "search_space.b.values[2]: nested lists are not allowed in a choice",
            "search_space.b.values[3]: '2024-01-01' is read by YAML 1.1 as a date",
            "search_space.c.sigma: is missing",
            "search_space.d.type: 'gaussian' is not one of choice, randint",
            "search_space.e: must be a parameter expression",
            "sampling_algorithm.rule: 'halton' is not one of random, sobol",
            "objective.goal: 'maximise' is not one of maximize, minimize",
            "objective.primary_metric: is missing",
            "early_termination.evaluation_interval: -1 must be ≥ 0",
            "early_termination.slack_factor: is missing",
            "limits.max_total_trials: is missing",
            "limits.max_concurrent_trials: 0 must be > 0",
            "limits.timeout: must be a number",
            "trial.command: ${{search_space.zz}} names no parameter of search_space",
            "trial.command: ${{inputs.x}} names no input",
            "trial.command: ${{what}} is not a placeholder hdbench can fill",
        ]
        for prefix in expected {
            #expect(found.contains { $0.hasPrefix(prefix) }, "missing: \(prefix)\nall: \(found.joined(separator: "\n"))")
        }
        #expect(found.count == expected.count, "\(found.joined(separator: "\n"))")
    }

    @Test func requiredSectionsAndTypes() {
        let found = problems("description: only this\n")
        for key in ["type", "trial", "search_space", "sampling_algorithm", "objective", "limits"] {
            #expect(found.contains { $0.hasPrefix("\(key): is missing") }, "\(key): \(found)")
        }
        #expect(problems("- a\n- b\n") == [": must be a mapping (e.g. type: sweep), found a list at line 1"].map { String($0.dropFirst(2)) })
        #expect(problems("").first?.contains("empty") == true)
    }

    /// `x-hdbench: {trust_region: true}` gives a Bayesian sweep's sampler the measured local
    /// trust region; other samplers refuse it, naming the field; off by default.
    @Test func trustRegionIsForBayesianSweeps() throws {
        let bayesian = Self.minimal.replacingOccurrences(of: "sampling_algorithm: random", with: "sampling_algorithm: bayesian")
        let on = try parse(bayesian + "\nx-hdbench: {trust_region: true}\n")
        #expect(on.trustRegion)
        let sampler = try #require(try on.makeSweepSampler() as? BayesianSampler)
        #expect(sampler.optimizer.options.trustRegion == .measuredLocal && TrustRegionOptions.measuredLocal.isEnabled)
        #expect(TrustRegionOptions.measuredLocal.localModelSize == 200 && TrustRegionOptions.measuredLocal.restart == .alternating)
        let off = try #require(try parse(bayesian).makeSweepSampler() as? BayesianSampler)
        #expect(!off.optimizer.options.trustRegion.isEnabled)
        #expect(try !parse(bayesian + "\nx-hdbench: {trust_region: false}\n").trustRegion)
        #expect(ResolvedSweepConfiguration(definition: on, options: SweepOptions()).trustRegion == true)
        #expect(problems(Self.minimal + "\nx-hdbench: {trust_region: true}\n")
            == ["x-hdbench.trust_region: applies to bayesian sampling only; this sweep uses random sampling (remove the key or use sampling_algorithm: bayesian)"])
        #expect(problems(bayesian + "\nx-hdbench: {trust_region: maybe}\n").first?.hasPrefix("x-hdbench.trust_region:") == true)
    }

    @Test func targetIsAFiniteNumber() throws {
        #expect(try parse(Self.minimal + "\nx-hdbench: {target: 0.95}\n").target == 0.95)
        #expect(try parse(Self.minimal + "\nx-hdbench: {target: -3}\n").target == -3)
        #expect(try parse(Self.minimal).target == nil)
        #expect(problems(Self.minimal + "\nx-hdbench: {target: .nan}\n") == ["x-hdbench.target: nan is not a finite number; give the primary metric's value that ends the sweep, e.g. target: 0.95"])
        #expect(problems(Self.minimal + "\nx-hdbench: {target: .inf}\n").count == 1)
        #expect(problems(Self.minimal + "\nx-hdbench: {target: high}\n").first?.hasPrefix("x-hdbench.target: must be a number") == true)
    }

    @Test func earlyTerminationRules() throws {
        func policy(_ text: String) throws -> EarlyTerminationSpec? {
            try parse(Self.minimal + "\nearly_termination: \(text)").earlyTermination
        }
        #expect(try policy("{type: Bandit, slack_amount: 0.2}") == EarlyTerminationSpec(kind: .bandit(slackFactor: nil, slackAmount: 0.2)))
        #expect(try policy("{type: median_stopping, evaluation_interval: 0, delay_evaluation: 5}") == EarlyTerminationSpec(kind: .medianStopping, evaluationInterval: 1, delayEvaluation: 5))
        #expect(problems(Self.minimal + "\nearly_termination: {type: bandit, slack_factor: 0.1, slack_amount: 0.1}").first?.hasPrefix("early_termination: give exactly one of slack_factor and slack_amount") == true)
        // As Azure's SDK exports it: the unused slack written as 0.
        #expect(try policy("{type: bandit, slack_factor: 0.2, slack_amount: 0}") == EarlyTerminationSpec(kind: .bandit(slackFactor: 0.2, slackAmount: nil)))
        #expect(try policy("{type: bandit, slack_factor: 0.0, slack_amount: 0.3}") == EarlyTerminationSpec(kind: .bandit(slackFactor: nil, slackAmount: 0.3)))
        #expect(try policy("{type: bandit, slack_factor: 0, slack_amount: 0}") == EarlyTerminationSpec(kind: .bandit(slackFactor: 0, slackAmount: nil)))
        #expect(problems(Self.minimal + "\nearly_termination: {type: bandit, slack_factor: -0.2}") == ["early_termination.slack_factor: -0.2 must be ≥ 0"])
        #expect(problems(Self.minimal + "\nearly_termination: {type: truncation_selection, truncation_percentage: 100}") == ["early_termination.truncation_percentage: 100 must be an integer from 1 to 99"])
        #expect(problems(Self.minimal + "\nearly_termination: {type: truncation_selection, truncation_percentage: 12.5}").first?.hasPrefix("early_termination.truncation_percentage: must be an integer") == true)
        #expect(problems(Self.minimal + "\nearly_termination: {type: median_stopping, slack_factor: 0.1}").first?.hasPrefix("early_termination.slack_factor: is not a key of a median_stopping policy") == true)
    }

    @Test func samplingAlgorithmForms() throws {
        func sampling(_ text: String) throws -> SamplingAlgorithm {
            try parse(Self.minimal.replacingOccurrences(of: "sampling_algorithm: random", with: "sampling_algorithm: \(text)")).sampling
        }
        #expect(try sampling("Random") == .random(seed: nil, rule: .random))
        #expect(try sampling("{type: random, seed: 42}") == .random(seed: 42, rule: .random))
        #expect(throws: ConfigurationError.self) { try sampling("{type: random, seed: -1}") }
        #expect(throws: ConfigurationError.self) { try sampling("{type: grid, seed: 1}") }
        #expect(throws: ConfigurationError.self) { try sampling("sobol") }
        #expect(try sampling("{type: random, logbase: e}") == .random(seed: nil, rule: .random))
        #expect(try sampling("{type: random, logbase: 10}") == .random(seed: nil, rule: .random))
        #expect(throws: ConfigurationError.self) { try sampling("{type: random, logbase: 1}") }
        #expect(throws: ConfigurationError.self) { try sampling("{type: random, logbase: -2}") }
        #expect(throws: ConfigurationError.self) { try sampling("{type: grid, logbase: 2}") }
    }

    @Test func gridNeedsChoiceOnly() {
        let yaml = Self.minimal.replacingOccurrences(of: "sampling_algorithm: random", with: "sampling_algorithm: grid")
        #expect(problems(yaml).first?.hasPrefix("search_space.lr: grid sampling takes choice expressions only, but this is uniform") == true)
        #expect(problems(yaml, extensions: true).count == 1)  // extensions do not make a continuous grid possible
    }

    @Test func bayesianFollowsAzureRulesUnlessExtensionsAreOn() throws {
        let yaml = """
            type: sweep
            trial: {command: "python t.py --lr ${{search_space.lr}}"}
            search_space:
              lr: {type: loguniform, min_value: -6, max_value: -1}
              c: {type: choice, values: [1, 2]}
              u: {type: uniform, min_value: 0, max_value: 1}
            sampling_algorithm: bayesian
            objective: {goal: maximize, primary_metric: acc}
            early_termination: {type: median_stopping}
            limits: {max_total_trials: 30, max_concurrent_trials: 25}
            """
        let found = problems(yaml)
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.hasPrefix("search_space.lr: bayesian sampling takes choice, uniform and quniform only") })
        #expect(found.contains { $0.hasPrefix("early_termination: bayesian sampling does not support early termination") })
        let viaArgument = try parse(yaml, extensions: true)
        let viaKey = try parse(yaml + "\nx-hdbench: {extensions: yes}")
        #expect(viaArgument.extensions && viaKey.extensions)
        #expect(viaKey.warnings == [
            "limits.max_total_trials: 30 is below the recommended budget for bayesian sampling of 20 × 3 parameters = 60",
            "limits.max_concurrent_trials: 25 concurrent trials make bayesian sampling less effective (each suggestion sees fewer results); 20 or fewer is recommended",
        ])
        #expect(problems(yaml + "\nx-hdbench: {extensions: true, turbo: 1}").contains { $0.hasPrefix("x-hdbench.turbo: is not a key of x-hdbench") })
    }

    @Test func legacyPlaceholdersWarnAndSpacesInsideBracesAreAllowed() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "--lr ${{search_space.lr}}", with: "--lr {search_space.lr} --again ${{  search_space.lr  }}")
        let d = try parse(yaml)
        #expect(d.warnings == ["trial.command: {search_space.lr} is the legacy single-brace form; write ${{search_space.lr}}"])
        #expect(problems(Self.minimal.replacingOccurrences(of: "--lr ${{search_space.lr}}", with: "{search_space.nope}")).first?.hasPrefix("trial.command: {search_space.nope} names no parameter") == true)
    }

    @Test func numericTextInNumericFieldsIsReadWithAWarning() throws {
        let d = try parse(Self.minimal.replacingOccurrences(of: "{type: uniform, min_value: 0, max_value: 1}", with: "{type: loguniform, min_value: -1e1, max_value: 1e-3}"))
        #expect(d.searchSpace["lr"] == .logUniform(-10, 0.001))
        #expect(d.warnings.count == 2)
        #expect(d.warnings[0].hasPrefix("search_space.lr.min_value: '-1e1' is text in YAML 1.1"))
    }

    @Test func missingCodeFolderIsAnErrorAndAzureAssetsNeedOverrides() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "  command:", with: "  code: ./definitely-missing-folder\n  command:")
        #expect(problems(yaml).first?.hasPrefix("trial.code: './definitely-missing-folder' does not exist") == true)
        let asset = try parse(Self.minimal + "\ninputs: {data: {type: uri_folder, path: azureml:mnist:1}}")
        #expect(asset.inputDeclarations == [InputDeclaration(name: "data", kind: .remote("azureml:mnist:1"))])
        #expect(asset.unresolvedAssets.map(\.argument) == ["--input data=PATH"])
    }

    @Test func booleanLookingKeysAreFlagged() {
        let yaml = Self.minimal.replacingOccurrences(of: "  lr: {type: uniform", with: "  on: {type: choice, values: [1]}\n  lr: {type: uniform")
        #expect(problems(yaml).contains { $0.hasPrefix("search_space.on: the name 'on' is read by YAML 1.1 as the boolean true") })
    }
}
