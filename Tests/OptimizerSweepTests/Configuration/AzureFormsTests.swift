import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// The forms Azure accepts that hdbench used to reject, remote assets and
/// their overrides (item 4), and when v1-style argument appending applies (item 2).
@Suite("Azure's accepted forms, remote assets, argument append")
struct AzureFormsTests {
    let base = Fixtures.temporaryDirectory("azure-forms")

    func parse(_ yaml: String, appendArguments: Bool = false) throws(ConfigurationError) -> SweepDefinition {
        try SweepDefinition(yaml: yaml, baseDirectory: base, appendArguments: appendArguments)
    }

    static func job(command: String = "python train.py --lr ${{search_space.lr}}", space: String = "lr: {type: uniform, min_value: 0, max_value: 1}",
                    sampling: String = "random", extra: String = "") -> String {
        """
        type: sweep
        trial:
          command: \(command)
        search_space:
          \(space)
        sampling_algorithm: \(sampling)
        objective: {goal: maximize, primary_metric: acc}
        limits: {max_total_trials: 5}
        \(extra)
        """
    }

    // MARK: - logbase

    @Test func logbaseRewritesTheLogExpressionsToNaturalLogs() throws {
        let yaml = Self.job(space: """
            {lr: {type: loguniform, min_value: -3, max_value: -1}, batch: {type: qloguniform, min_value: 4, max_value: 8, q: 1},
              noise: {type: lognormal, mu: 0, sigma: 1}, width: {type: uniform, min_value: 0, max_value: 1},
              net: {type: choice, values: [{kind: a, decay: {type: loguniform, min_value: -2, max_value: 0}}]}}
            """, sampling: "{type: random, logbase: 10}")
        let space = try parse(yaml).searchSpace
        let ln10 = log(10.0)
        #expect(space["lr"] == .logUniform(-3 * ln10, -1 * ln10))
        #expect(space["noise"] == .logNormal(mu: 0, sigma: ln10))
        #expect(space["width"] == .uniform(0, 1))
        guard case .choice(let options)? = space["net"], case .mapping(let entries) = options[0],
              case .expression(let decay) = entries[1].value else {
            Issue.record("the nested expression is missing")
            return
        }
        #expect(decay == .logUniform(-2 * ln10, 0))
        // qloguniform 10^4 … 10^8 with q = 1 stays integer-valued.
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            guard case .int(let value) = space["batch"]!.sample(using: &rng) else {
                Issue.record("qloguniform with logbase 10 and integral bounds gave a non-integer")
                return
            }
            #expect((10_000...100_000_000).contains(value))
        }
    }

    /// Kolmogorov–Smirnov: log_B of the drawn values is uniform on [min, max] (loguniform) and
    /// normal(μ, σ) (lognormal). n = 2000 draws with a fixed seed; the critical value
    /// 1.95/√n is the 0.1% level, so a correct sampler fails with probability 0.001 per check
    /// for a random seed (this seed is fixed, so the test is deterministic).
    @Test(arguments: [2.0, 2.5, 10.0, 0.5])
    func logbaseDistributionPassesKolmogorovSmirnov(base: Double) throws {
        let yaml = Self.job(command: "python t.py ${{search_space.x}} ${{search_space.y}}",
                            space: "{x: {type: loguniform, min_value: -3, max_value: 2}, y: {type: lognormal, mu: 1, sigma: 0.5}}",
                            sampling: "{type: random, logbase: \(base)}")
        let space = try parse(yaml).searchSpace
        var rng = SeededGenerator(seed: 20_240_601)
        let n = 2000
        let critical = 1.95 / Double(n).squareRoot()
        func exponent(_ value: ParameterValue) -> Double {
            guard case .double(let v) = value else { return .nan }
            return log(v) / log(base)
        }
        let xs = (0..<n).map { _ in exponent(space["x"]!.sample(using: &rng)) }.sorted()
        let uniformD = ksStatistic(xs) { min(max(($0 + 3) / 5, 0), 1) }
        #expect(uniformD < critical, "loguniform base \(base): D = \(uniformD), critical \(critical)")
        let ys = (0..<n).map { _ in exponent(space["y"]!.sample(using: &rng)) }.sorted()
        let normalD = ksStatistic(ys) { 0.5 * erfc(-($0 - 1) / (0.5 * 2.0.squareRoot())) }
        #expect(normalD < critical, "lognormal base \(base): D = \(normalD), critical \(critical)")
        // And a wrong base is caught: reading the base-B exponents as natural logs fails.
        if base != M_E, abs(log(base) - 1) > 0.3 {
            let wrong = ksStatistic(xs.map { $0 * log(base) }.sorted()) { min(max(($0 + 3) / 5, 0), 1) }
            #expect(wrong > critical)
        }
    }

    func ksStatistic(_ sorted: [Double], cdf: (Double) -> Double) -> Double {
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        return d
    }

    // MARK: - Inputs

    @Test func inputFormsAzureAccepts() throws {
        try FileManager.default.createDirectory(at: base.appendingPathComponent("data"), withIntermediateDirectories: true)
        let yaml = Self.job(command: "python t.py --lr ${{search_space.lr}} ${{inputs.a}} ${{inputs.b}} ${{inputs.c}} ${{inputs.d}}", extra: """
            inputs:
              a: {path: ./data}
              b: {value: 42}
              c: {type: number, value: 0.5}
              d: {type: uri_file, path: https://example.org/x.csv}
            """)
        let definition = try parse(yaml)
        #expect(definition.inputDeclarations.map(\.kind) == [.path, .literal, .literal, .remote("https://example.org/x.csv")])
        #expect(definition.inputs.map(\.name) == ["a", "b", "c"])
        #expect(definition.inputs.map(\.value) == [base.appendingPathComponent("data").standardizedFileURL.path, "42", "0.5"])
        #expect(definition.warnings.isEmpty, "\(definition.warnings)")
        let both = Self.job(extra: "inputs: {x: {value: 1, path: ./data}}")
        #expect(throws: ConfigurationError.self) { try parse(both) }
        let literalWithoutValue = Self.job(extra: "inputs: {x: {type: integer}}")
        #expect(throws: ConfigurationError.self) { try parse(literalWithoutValue) }
    }

    @Test func overridesReplaceRemoteAssetsAndCheckTheirNames() throws {
        let code = base.appendingPathComponent("code")
        try FileManager.default.createDirectory(at: code, withIntermediateDirectories: true)
        let yaml = """
            type: sweep
            trial: {command: "python t.py --data ${{inputs.data}} --n ${{inputs.n}}", code: "azureml:my-code:3"}
            inputs: {data: {type: uri_file, path: "wasbs://c@acct.blob.core.windows.net/iris.csv"}, n: 3}
            search_space: {lr: {type: uniform, min_value: 0, max_value: 1}}
            sampling_algorithm: random
            objective: {goal: maximize, primary_metric: acc}
            limits: {max_total_trials: 2}
            """
        let definition = try parse(yaml)
        #expect(definition.trial.remoteCode == "azureml:my-code:3")
        #expect(definition.unresolvedAssets.map(\.path) == ["trial.code", "inputs.data"])
        #expect(definition.unresolvedAssetsMessage == "this sweep uses remote assets hdbench cannot fetch: trial.code (azureml:my-code:3), inputs.data (wasbs://c@acct.blob.core.windows.net/iris.csv); download them and pass --code DIR --input data=PATH")

        let applied = try definition.applying(SweepOverrides(code: "code", inputs: [.init(name: "data", value: "iris.csv"), .init(name: "n", value: "7")]),
                                              workingDirectory: base)
        #expect(applied.unresolvedAssets.isEmpty)
        #expect(applied.trial.codeDirectory.path == code.standardizedFileURL.path)
        #expect(applied.inputs.map(\.name) == ["data", "n"])
        #expect(applied.inputs.map(\.value) == [base.appendingPathComponent("iris.csv").standardizedFileURL.path, "7"])
        #expect(applied.overrides.code == code.standardizedFileURL.path)

        #expect(throws: ConfigurationError.self) { try definition.applying(SweepOverrides(inputs: [.init(name: "nope", value: "1")]), workingDirectory: base) }
        do {
            _ = try definition.applying(SweepOverrides(code: "missing-folder"), workingDirectory: base)
            Issue.record("a missing --code folder was accepted")
        } catch {
            #expect(error.problems.map(\.path) == ["--code"])
        }
        #expect(throws: ConfigurationError.self) { try SweepOverrides.parseInput("no-equals-sign") }
        #expect(try SweepOverrides.parseInput("a=b=c") == SweepOverrides.Input(name: "a", value: "b=c"))
    }

    @Test func codeNamingOneFileIsAccepted() throws {
        let file = base.appendingPathComponent("train.py")
        try Data("print(1)\n".utf8).write(to: file)
        let definition = try parse(Self.job().replacingOccurrences(of: "trial:\n", with: "trial:\n  code: train.py\n"))
        #expect(definition.trial.codeFile == "train.py")
        #expect(definition.trial.codeDirectory.path == base.standardizedFileURL.path)
    }

    // MARK: - Argument append

    @Test func validateSaysWhenArgumentsAreAppended() throws {
        let plain = Self.job(command: "|\n    python3 train.py\n")
        let off = try parse(plain)
        #expect(!off.trial.appendArguments)
        #expect(off.warnings.count == 1 && off.warnings[0].hasPrefix("trial.command: names no search_space parameter; as on Azure it runs unchanged"))
        let viaFlag = try parse(plain, appendArguments: true)
        #expect(viaFlag.trial.appendArguments)
        #expect(viaFlag.warnings == ["trial.command: names no search_space parameter, so every parameter is appended as a --name value pair (--lr): v1 style, asked for by x-hdbench.append_arguments or --append-arguments"])
        let viaKey = try parse(plain + "\nx-hdbench: {append_arguments: true}")
        #expect(viaKey.trial.appendArguments && viaKey.warnings == viaFlag.warnings)
        let rendered = try TrialRendering.standard(for: viaKey).command(Configuration(names: ["lr"], values: [.double(0.1)]), [:])
        #expect(rendered == "python3 train.py --lr 0.1\n")
        #expect(try TrialRendering.standard(for: off).command(Configuration(names: ["lr"], values: [.double(0.1)]), [:]) == "python3 train.py\n")
        let useless = try parse(Self.job() + "\nx-hdbench: {append_arguments: true}")
        #expect(useless.warnings == ["x-hdbench.append_arguments: has no effect: the command names search_space parameters, so nothing is appended"])
        #expect(try parse(Self.job() + "\nx-hdbench: {azureml_run_shim: false}").azuremlRunShim == false)
        #expect(try parse(Self.job()).azuremlRunShim)
    }
}

extension AzureFormsTests {
    /// A sweep job whose trial is a command component file (`trial: file:./train.yml`, as in
    /// the public pipeline_with_hyperparameter_sweep's sweep-job.yml): the component's
    /// `${{inputs.X}}` for a search-space parameter becomes `${{search_space.X}}`, its defaults
    /// fill unbound inputs, its code is relative to the component file.
    @Test func trialAsACommandComponentFile() throws {
        let folder = Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("components/src"), withIntermediateDirectories: true)
        try Data("""
            type: command
            inputs:
              lr: {type: number, default: 0.1}
              epochs: {type: integer, default: 4}
              data: {type: uri_file}
            outputs: {model: {type: uri_folder}}
            code: ./src
            environment: azureml:sklearn@latest
            command: python train.py --lr ${{inputs.lr}} --epochs ${{inputs.epochs}} --data ${{inputs.data}} --out ${{outputs.model}}
            """.utf8).write(to: folder.appendingPathComponent("components/train.yml"))
        let yaml = """
            type: sweep
            trial: file:./components/train.yml
            inputs: {data: 42}
            search_space: {lr: {type: uniform, min_value: 0, max_value: 1}}
            sampling_algorithm: random
            objective: {goal: maximize, primary_metric: acc}
            limits: {max_total_trials: 2}
            """
        let definition = try SweepDefinition(yaml: yaml, baseDirectory: folder)
        #expect(definition.trial.command == "python train.py --lr ${{search_space.lr}} --epochs ${{inputs.epochs}} --data ${{inputs.data}} --out ${{outputs.model}}")
        #expect(definition.trial.codeDirectory.path == folder.appendingPathComponent("components/src").standardizedFileURL.path)
        #expect(definition.inputs.map(\.name) == ["data", "epochs"] && definition.inputs.map(\.value) == ["42", "4"])
        #expect(definition.outputs == ["model"])
        #expect(definition.recordedAzureKeys.map(\.path).contains("trial.environment"))
        #expect(throws: ConfigurationError.self) { try SweepDefinition(yaml: yaml, baseDirectory: folder, node: "x") }
    }
}
