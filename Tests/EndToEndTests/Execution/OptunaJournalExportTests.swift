import Foundation
import Testing
import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// `hdbench export --format optuna-journal`: a real sweep (completed, pruned and failed trials)
/// exported and loaded by real Optuna (`Tests/Fixtures/optuna/summarize_journal.py`), whose view
/// of the study is compared with the store.
@Suite("Optuna journal export (real binary, real Optuna)", .serialized)
struct OptunaJournalExportTests {
    /// Every expression type, a nested choice, JSONL reports at steps 10, 20, …; trials with
    /// `opt: sgd` exit 3 after two reports; the bandit policy prunes the rest of the slow ones.
    static let yaml = """
        type: sweep
        experiment_name: optuna-export-test
        trial:
          command: >-
            python3 -u train.py ${{search_space.x}} ${{search_space.q}} ${{search_space.w}} ${{search_space.opt}}
            ${{search_space.lr}} ${{search_space.n}} ${{search_space.nrm}} ${{search_space.lnrm}}
            ${{search_space.qlu}} ${{search_space.qln}} ${{search_space.net}}
          code: code
        search_space:
          x: {type: uniform, min_value: 0, max_value: 1}
          q: {type: quniform, min_value: 0, max_value: 1, q: 0.1}
          w: {type: qnormal, mu: 10, sigma: 2, q: 1}
          opt: {type: choice, values: [adam, sgd, 1, 2.5]}
          lr: {type: loguniform, min_value: -5, max_value: -1}
          n: {type: randint, upper: 4}
          nrm: {type: normal, mu: 0, sigma: 1}
          lnrm: {type: lognormal, mu: 0, sigma: 0.5}
          qlu: {type: qloguniform, min_value: 0, max_value: 5, q: 1}
          qln: {type: qlognormal, mu: 1, sigma: 0.5, q: 0.5}
          net: {type: choice, values: [{kind: a, c: {type: uniform, min_value: 0, max_value: 1}}, {kind: b}]}
        sampling_algorithm: {type: random, seed: 7}
        objective: {goal: minimize, primary_metric: loss}
        early_termination: {type: bandit, slack_amount: 0.15, evaluation_interval: 1, delay_evaluation: 2}
        limits: {max_total_trials: 14, max_concurrent_trials: 3}
        x-hdbench: {extensions: true}

        """

    static let script = """
        import json, os, sys, time
        x, q, w, opt = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        for e in range(1, 7):
            loss = (x - 0.3) ** 2 + abs(q - 0.5) + 1.0 / e + 0.001 * w
            with open(os.environ["HDBENCH_METRICS_FILE"], "a") as f:
                f.write(json.dumps({"name": "loss", "value": loss, "step": 10 * e}) + "\\n")
            if opt == "sgd" and e == 2:
                sys.exit(3)
            time.sleep(0.15)

        """


    /// What the test expects Optuna to hold for one hdbench value: numbers and strings as
    /// themselves, a nested-choice mapping as its JSON text.
    static func expectedParameter(_ value: ParameterValue) -> LoadedJSON {
        switch value {
        case .int(let i): return .int(i)
        case .double(let x): return .double(x)
        case .string(let s): return .string(s)
        case .mapping: return .string(ParameterJSON.value(value).serialized())
        }
    }

    @Test("Optuna loads the exported journal: same trials, states, parameters, distributions, intermediate values, values and best")
    func optunaLoadsTheJournal() throws {
        guard OptunaSupport.hasOptuna else {
            print("skipping optunaLoadsTheJournal: `python3 -c 'import optuna'` failed (.ci/setup --test installs optuna)")
            return
        }
        let work = Fixtures.temporaryDirectory()
        let code = work.appendingPathComponent("code")
        try FileManager.default.createDirectory(at: code, withIntermediateDirectories: true)
        try Self.script.write(to: code.appendingPathComponent("train.py"), atomically: true, encoding: .utf8)
        try Self.yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
        let experiment = work.appendingPathComponent("exp")
        let sweep = try HDBenchRun.run(["sweep", "job.yml", "--experiment-dir", experiment.path, "--quiet"], in: work, timeout: 120)
        try #require(sweep.status == 0 && !sweep.signalled, "\(sweep)")
        let journal = work.appendingPathComponent("study.log")
        let export = try HDBenchRun.run(["export", experiment.path, "--format", "optuna-journal", "-o", journal.path], in: work)
        try #require(export.status == 0, "\(export)")
        let loaded = try #require(OptunaSupport.python([OptunaSupport.summarizer.path, journal.path]))
        try #require(loaded.status == 0, "\(loaded.output)")
        let summary = try JSONDecoder().decode(LoadedJSON.self, from: Data(loaded.output.utf8))

        let store = try ExperimentStore.open(existing: experiment)
        let results = try store.results()
        #expect(summary["study_name"] == .string("optuna-export-test"))
        #expect(summary["directions"] == .array([.string("MINIMIZE")]))
        #expect(summary["metric_names"] == .array([.string("loss")]))
        let trials = summary["trials"]?.array ?? []
        try #require(trials.count == results.count, "Optuna sees \(trials.count) trials, the store holds \(results.count)")

        // Observed values per parameter, for the bounds widened to them.
        func observed(_ name: String) -> [Double] { results.compactMap { $0.trial.configuration[name]?.numericValue } }
        func float(_ low: Double, _ high: Double, log: Bool = false, step: Double? = nil, _ name: String) -> LoadedJSON {
            let values = observed(name)
            return .object(["name": .string("FloatDistribution"),
                            "attributes": .object(["low": .double(min(low, values.min()!)), "high": .double(max(high, values.max()!)),
                                                   "log": .bool(log), "step": step.map(LoadedJSON.double) ?? .null])])
        }
        func int(_ low: Int, _ high: Int, log: Bool = false, _ name: String) -> LoadedJSON {
            let values = observed(name).map { Int($0) }
            return .object(["name": .string("IntDistribution"),
                            "attributes": .object(["low": .int(min(low, values.min()!)), "high": .int(max(high, values.max()!)),
                                                   "log": .bool(log), "step": .int(1)])])
        }
        func categorical(_ choices: [LoadedJSON]) -> LoadedJSON {
            .object(["name": .string("CategoricalDistribution"), "attributes": .object(["choices": .array(choices)])])
        }
        // The README's mapping table, written out by hand.
        var expectedDistributions: [String: LoadedJSON] = [
            "x": float(0, 1, "x"),
            "q": float(0, 1, step: 0.1, "q"),
            "w": int(2, 18, "w"),                                  // qround(10 ± 4·2)
            "opt": categorical([.string("adam"), .string("sgd"), .int(1), .double(2.5)]),
            "lr": float(exp(-5), exp(-1), log: true, "lr"),
            "n": int(0, 3, "n"),
            "nrm": float(-4, 4, "nrm"),
            "lnrm": float(exp(-2), exp(2), log: true, "lnrm"),
            "qlu": int(1, 148, log: true, "qlu"),                  // qround(e⁰), qround(e⁵ = 148.4)
            "qln": float(0.5, 20, step: 0.5, "qln"),               // qround(e^(1−2) = 0.37), qround(e³ = 20.09)
        ]
        var netChoices: [LoadedJSON] = []
        for result in results {
            let text = LoadedJSON.string(ParameterJSON.value(result.trial.configuration["net"]!).serialized())
            if !netChoices.contains(text) { netChoices.append(text) }
        }
        expectedDistributions["net"] = categorical(netChoices)

        var states: [String: Int] = [:]
        for (result, trial) in zip(results, trials) {
            let label = "trial \(result.trial.id)"
            #expect(trial["valid"] == .bool(true), "\(label): FrozenTrial._validate: \(trial["valid"] ?? .null)")
            #expect(trial["user_attrs"]?["hdbench_trial"] == .int(result.trial.id))
            #expect(trial["user_attrs"]?["hdbench_status"] == .string(result.trial.status.rawValue))
            let state = trial["state"]?.string ?? "?"
            states[state, default: 0] += 1
            let reports = result.history.filter { !$0.afterStop }
            switch result.trial.status {
            case .completed:
                #expect(state == "COMPLETE", "\(label)")
                #expect(trial["value"] == result.value.map(LoadedJSON.double), "\(label)")
            case .cancelled where result.stopDecision != nil:
                #expect(state == "PRUNED", "\(label)")
                #expect(trial["value"] == reports.last.map { .double($0.value) }, "\(label): a pruned trial's value is its last report")
            default:
                #expect(state == "FAIL", "\(label) \(result.trial.status)")
                #expect(trial["value"] == .null, "\(label)")
            }
            // The script's steps are 10, 20, …: Optuna's steps are the reported ones.
            let expectedIntermediate = LoadedJSON.object(Dictionary(uniqueKeysWithValues: reports.map { (String($0.step!), LoadedJSON.double($0.value)) }))
            #expect(trial["intermediate_values"] == expectedIntermediate, "\(label)")
            #expect(trial["params"]?.object.map { Set($0.keys) } == Set(result.trial.configuration.names), "\(label)")
            for (name, value) in zip(result.trial.configuration.names, result.trial.configuration.values) {
                #expect(trial["params"]?[name] == Self.expectedParameter(value), "\(label) \(name): Optuna \(trial["params"]?[name] ?? .null), hdbench \(value)")
                let type: String
                switch value {
                case .int: type = "int"
                case .double: type = "float"
                case .string, .mapping: type = "str"
                }
                #expect(trial["param_types"]?[name] == .string(type), "\(label) \(name): Python type")
            }
            for (name, expected) in expectedDistributions {
                #expect(trial["distributions"]?[name] == expected, "\(label) \(name): Optuna \(trial["distributions"]?[name] ?? .null), expected \(expected)")
            }
        }
        #expect(states["COMPLETE", default: 0] >= 1 && states["PRUNED", default: 0] >= 1 && states["FAIL", default: 0] >= 1,
                "the sweep should hold completed, pruned and failed trials: \(states)")

        // Optuna's best trial is the best COMPLETE one; hdbench's best among completed trials.
        let completed = results.filter { $0.trial.status == .completed }
        let expectedBest = try #require(TrialResult.best(of: completed, goal: .minimize))
        #expect(summary["best"]?["number"] == .int(expectedBest.trial.id))
        #expect(summary["best"]?["value"] == expectedBest.value.map(LoadedJSON.double))

        // Optuna's importance runs on the loaded study and names every parameter.
        #expect(summary["importances"]?.object.map { Set($0.keys) } == Set(results[0].trial.configuration.names),
                "\(summary["importances"] ?? .null)")
    }

    @Test("bad input: unknown format, not an experiment, unwritable -o, missing -o: one line, exit 2",
          arguments: ["format", "not-an-experiment", "unwritable", "missing-output"])
    func badInput(_ kind: String) throws {
        let (work, experiment) = try StoreHardeningTests.recordedSweep("optuna-bad-\(kind)")
        let arguments: [String]
        let mentions: String
        switch kind {
        case "format":
            arguments = ["export", experiment.path, "--format", "optuna-sqlite", "-o", "x.log"]
            mentions = "optuna-sqlite"
        case "not-an-experiment":
            let empty = work.appendingPathComponent("empty")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            arguments = ["export", empty.path, "--format", "optuna-journal", "-o", "x.log"]
            mentions = empty.path
        case "unwritable":
            arguments = ["export", experiment.path, "--format", "optuna-journal", "-o", "/nonexistent-folder/study.log"]
            mentions = "/nonexistent-folder/study.log"
        default:
            arguments = ["export", experiment.path, "--format", "optuna-journal"]
            mentions = "-o"
        }
        let run = try HDBenchRun.run(arguments, in: work)
        #expect(run.status == 2 && !run.signalled, "\(run)")
        #expect(run.stderrLines.count == 1 && run.stderr.contains(mentions), "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
    }
}
