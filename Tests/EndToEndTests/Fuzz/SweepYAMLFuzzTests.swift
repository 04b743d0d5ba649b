import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Seeded fuzzing of sweep YAML: mutations of valid sweep jobs (byte flips, truncation, line
/// deletions and duplications, type swaps, huge/NaN/inf numbers, deep nesting, alias bombs,
/// invalid UTF-8, control characters, hostile placeholders) must each end with a valid
/// definition or readable problems: no crash, no hang, bounded memory.
///
/// Most cases go through `SweepDefinition(contentsOf:)` in-process — the code path of `hdbench
/// validate` — and, when valid, through the sampler and the command rendering; the first
/// `binaryCases` also through the real `hdbench validate` (exit 0, or exit 2 with one line per
/// problem), under a timeout and a 1 GiB address-space limit.
///
/// The corpus is fixed by a seed, printed at the start; set `HDBENCH_FUZZ_SEED` to explore
/// another one and `HDBENCH_FUZZ_CASES` for more cases. A failure message names the case
/// index and writes the case to `.build/test-artifacts/fuzz/`, so it reproduces.
@Suite("Fuzzing sweep YAML", .serialized)
struct SweepYAMLFuzzTests {
    static let defaultSeed: UInt64 = 20_261_205
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["HDBENCH_FUZZ_SEED"].flatMap { UInt64($0) } ?? defaultSeed
    }
    static var caseCount: Int {
        ProcessInfo.processInfo.environment["HDBENCH_FUZZ_CASES"].flatMap { Int($0) } ?? 2_400
    }
    static let binaryCases = 400

    /// Valid sweep jobs the mutations start from: the example in the repository, the README's,
    /// and a few covering every expression, grid, bayesian, policies, inputs and outputs.
    static var corpus: [String] {
        var documents: [String] = []
        let root = SpaceTestSupport.packageRoot
        if let quickstart = try? String(contentsOf: root.appendingPathComponent("Examples/quickstart/sweep.yml"), encoding: .utf8) {
            documents.append(quickstart)
        }
        if let readme = try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8),
           let start = readme.range(of: "```yaml\n$schema"), let end = readme[start.upperBound...].range(of: "```") {
            documents.append("$schema" + readme[start.upperBound..<end.lowerBound])
        }
        documents.append("""
            type: sweep
            trial:
              command: python3 t.py --a ${{search_space.a}} --b "${{search_space.b}}" --c '${{search_space.c}}' --d ${{inputs.d}} --o ${{outputs.o}}
              code: .
              environment_variables: {PYTHONHASHSEED: "0", X: yes}
            inputs: {d: {type: uri_file, path: ./data.csv}}
            outputs: {o: {type: uri_folder}}
            search_space:
              a: {type: uniform, min_value: -1.5, max_value: 2.0e+3}
              b: {type: quniform, min_value: 0, max_value: 10, q: 2}
              c: {type: choice, values: [adam, "a b", 'it''s', 1, 2.5]}
              d: {type: qloguniform, min_value: 0, max_value: 3, q: 1}
              e: {type: normal, mu: 0, sigma: 1}
              f: {type: qnormal, mu: 10, sigma: 3, q: 1}
              g: {type: lognormal, mu: 0, sigma: 0.5}
              h: {type: qlognormal, mu: 1, sigma: 0.5, q: 0.5}
              i: {type: randint, upper: 7}
              j: {type: loguniform, min_value: -9, max_value: -1}
            sampling_algorithm: {type: random, seed: 7, rule: sobol}
            objective: {goal: minimize, primary_metric: loss}
            early_termination: {type: truncation_selection, truncation_percentage: 20, evaluation_interval: 1, delay_evaluation: 5}
            limits: {max_total_trials: 100, max_concurrent_trials: 8, timeout: 3600, trial_timeout: 60.5}
            """)
        documents.append("""
            type: sweep
            trial: {command: "python t.py --lr ${{search_space.lr}} --m ${{search_space.model}}"}
            search_space:
              lr: {type: choice, values: [0.1, 0.01, 0.001]}
              model:
                type: choice
                values:
                  - {name: svm, C: {type: choice, values: [1, 10]}}
                  - {name: tree, depth: {type: choice, values: [2, 4, 8]}}
            sampling_algorithm: grid
            objective: {goal: maximize, primary_metric: acc}
            limits: {max_total_trials: 12}
            """)
        documents.append("""
            type: sweep
            x-hdbench: {extensions: true}
            defaults: &defaults {type: uniform, min_value: 0, max_value: 1}
            trial:
              command: |
                python3 t.py \\
                  --x ${{search_space.x}} --y ${{search_space.y}}
            search_space:
              x: {type: uniform, min_value: 0, max_value: 1}
              y: {type: quniform, min_value: 1, max_value: 9, q: 1}
            sampling_algorithm: {type: bayesian}
            objective: {goal: maximize, primary_metric: acc}
            early_termination: {type: bandit, slack_factor: 0.1, evaluation_interval: 2, delay_evaluation: 4}
            limits: {max_total_trials: 40, max_concurrent_trials: 2}
            """.replacingOccurrences(of: "defaults: &defaults {type: uniform, min_value: 0, max_value: 1}\n", with: ""))
        return documents
    }

    // MARK: - Mutations

    static let replacementValues: [String] = [
        "yes", "no", "on", "~", "null", "", "[1, 2]", "{a: 1}", "\"text\"", "'q''uote'", "1.5", "-3", "0", "-0.0", "2024-01-31",
        "!!binary aGk=", "!!float x", "!!int 1.5", "!custom x", ".nan", ".inf", "-.inf", "1e999", "1.0e+999", "-1.0e+999",
        "1.0e-999", "0x7fffffffffffffffffff", "9223372036854775808", "-9223372036854775809", "1_000_000", "0o17", "017", "1:30",
        "\"\\0\"", "\"a\\u0007b\"", "\"$(touch F)\"", "'`touch F`'", "&anchor 3", "*missing", "<<: {a: 1}", "? complex", "|\n  block",
        "\"\\ud800\"", "[[[[[[[[[[]]]]]]]]]]", "{{{{}}}}", "- - - -", "${{search_space.nope}}", "\"${{search_space.x}}\"",
        String(repeating: "9", count: 400), "1." + String(repeating: "0", count: 400) + "1",
    ]

    static func aliasBomb(levels: Int, width: Int) -> String {
        var lines = ["bomb0: &b0 [" + Array(repeating: "lol", count: width).joined(separator: ", ") + "]"]
        for level in 1..<levels {
            lines.append("bomb\(level): &b\(level) [" + Array(repeating: "*b\(level - 1)", count: width).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func mutate(_ document: [UInt8], corpus: [[UInt8]], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = document
        let steps = Int.random(in: 1...3, using: &rng)
        for _ in 0..<steps {
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            switch Int.random(in: 0..<14, using: &rng) {
            case 0 where !bytes.isEmpty:  // byte flips
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 1 where !bytes.isEmpty:  // truncation
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            case 2 where lines.count > 1:  // line deletion
                lines.remove(at: Int.random(in: 0..<lines.count, using: &rng))
                bytes = Array(lines.joined(separator: [0x0A]))
            case 3 where !lines.isEmpty:  // line duplication
                let i = Int.random(in: 0..<lines.count, using: &rng)
                lines.insert(lines[i], at: Int.random(in: 0...lines.count, using: &rng))
                bytes = Array(lines.joined(separator: [0x0A]))
            case 4, 5:  // type swap / huge, NaN, inf numbers: replace what follows a ": "
                let candidates = lines.indices.filter { lines[$0].firstRange(of: Array(": ".utf8)) != nil }
                guard let i = candidates.randomElement(using: &rng), let colon = lines[i].firstRange(of: Array(": ".utf8)) else { break }
                let value = replacementValues.randomElement(using: &rng) ?? "~"
                lines[i] = Array(lines[i][..<colon.upperBound]) + Array(value.utf8)
                bytes = Array(lines.joined(separator: [0x0A]))
            case 6:  // deep nesting, flow or block
                let depth = [8, 40, 63, 64, 65, 200, 3000, 60_000].randomElement(using: &rng) ?? 10
                let nested: String
                if Bool.random(using: &rng) {
                    nested = "deep: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
                } else {
                    nested = "deep:\n" + (1...min(depth, 400)).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
                }
                lines.insert(Array(nested.utf8), at: Int.random(in: 0...lines.count, using: &rng))
                bytes = Array(lines.joined(separator: [0x0A]))
            case 7:  // alias bomb
                let bomb = aliasBomb(levels: Int.random(in: 3...9, using: &rng), width: Int.random(in: 2...10, using: &rng))
                bytes += Array(("\n" + bomb).utf8)
            case 8 where !bytes.isEmpty:  // invalid UTF-8
                let bad: [[UInt8]] = [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]]
                bytes.insert(contentsOf: bad.randomElement(using: &rng) ?? [0xFF], at: Int.random(in: 0...bytes.count, using: &rng))
            case 9 where !bytes.isEmpty:  // control characters, NUL included
                bytes.insert(UInt8.random(in: 0...31, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
            case 10 where lines.count > 1:  // swap two lines
                lines.swapAt(Int.random(in: 0..<lines.count, using: &rng), Int.random(in: 0..<lines.count, using: &rng))
                bytes = Array(lines.joined(separator: [0x0A]))
            case 11:  // splice of another document
                let other = corpus.randomElement(using: &rng) ?? []
                let cut = Int.random(in: 0...bytes.count, using: &rng)
                let from = Int.random(in: 0...other.count, using: &rng)
                bytes = Array(bytes.prefix(cut)) + Array(other.suffix(from: from))
            case 12:  // hostile placeholders in the command, in every quoting context
                let placeholders = ["\"${{search_space.c}}\"", "'${{search_space.c}}'", "`${{search_space.c}}`", "${X:-${{search_space.c}}}",
                                    "$((${{search_space.i}}))", "# ${{search_space.c}}", "<<EOF", "\"unterminated ${{search_space.c}}", "\\"]
                guard let i = lines.indices.first(where: { lines[$0].starts(with: Array("  command: ".utf8)) || lines[$0].starts(with: Array("trial: {command:".utf8)) })
                else { break }
                lines[i] += Array((" " + (placeholders.randomElement(using: &rng) ?? "")).utf8)
                bytes = Array(lines.joined(separator: [0x0A]))
            default:  // indentation change
                guard !lines.isEmpty else { break }
                let i = Int.random(in: 0..<lines.count, using: &rng)
                if Bool.random(using: &rng) { lines[i].insert(contentsOf: Array(repeating: 0x20, count: Int.random(in: 1...5, using: &rng)), at: 0) } else {
                    lines[i] = Array(lines[i].drop { $0 == 0x20 })
                }
                bytes = Array(lines.joined(separator: [0x0A]))
            }
        }
        return bytes
    }

    // MARK: - The run

    enum Outcome: Equatable { case valid, invalid }

    /// The in-process check of one case: parse as `hdbench validate` does; when valid, sample a
    /// few configurations (all finite) and render the command for each (a value that cannot be
    /// escaped throws a readable error, never yields a command).
    static func check(_ file: URL, caseIndex: Int) throws -> Outcome {
        let definition: SweepDefinition
        do {
            definition = try SweepDefinition(contentsOf: file)
        } catch {
            #expect(!error.problems.isEmpty, "case \(caseIndex): no problem reported")
            for problem in error.problems {
                #expect(!problem.description.isEmpty && !problem.description.contains("\n"), "case \(caseIndex): \(problem.description.debugDescription)")
                #expect(!problem.description.contains("DecodingError") && !problem.description.contains("Fatal"), "case \(caseIndex): \(problem)")
            }
            return .invalid
        }
        var sampler = try makeSampler(definition.sampling, space: definition.searchSpace)
        var history = SamplerHistory(goal: definition.objective.goal)
        let rendering = TrialRendering.standard(for: definition)
        for trial in 0..<3 {
            guard let configuration = try sampler.suggest(history: history, trialIndex: trial) else { break }
            let finite = configuration.values.allSatisfy { $0.isFiniteNumber }
            #expect(finite, "case \(caseIndex): \(configuration.jsonText)")
            #expect(!configuration.jsonText.contains("Infinity") && !configuration.jsonText.contains("NaN"), "case \(caseIndex)")
            do {
                _ = try rendering.command(configuration, [:])
            } catch let error as CommandRenderingError {
                #expect(!error.description.contains("\n") || error.value.contains("\n"), "case \(caseIndex): \(error)")
            }
            history.observations.append(SamplerObservation(trial: trial, configuration: configuration, value: nil, isPending: true))
        }
        return .valid
    }

    @Test("seeded mutations of valid sweep jobs: a definition or readable problems, never a crash or a hang")
    func mutatedSweepJobs() throws {
        let seed = Self.seed
        let count = Self.caseCount
        print("fuzz: seed \(seed) (HDBENCH_FUZZ_SEED), \(count) cases (HDBENCH_FUZZ_CASES), the first \(Self.binaryCases) also through the binary")
        let corpus = Self.corpus.map { Array($0.utf8) }
        try #require(corpus.count >= 4, "the corpus lost documents")
        let work = Fixtures.temporaryDirectory()
        let artifacts = ReportArtifacts.folder.appendingPathComponent("fuzz")

        // The starting documents are valid.
        for (index, document) in corpus.enumerated() {
            let file = work.appendingPathComponent("corpus\(index).yml")
            try Data(document).write(to: file)
            #expect(try Self.check(file, caseIndex: -1 - index) == .valid, "corpus document \(index) is not valid")
        }

        var rng = SplitMix64(seed: seed)
        var outcomes: [Outcome: Int] = [:]
        var slowest = (seconds: 0.0, index: -1)
        var binarySeconds = 0.0
        let residentBefore = Self.residentMiB()
        let start = Date()
        for index in 0..<count {
            let base = corpus[index % corpus.count]
            let bytes = Self.mutate(base, corpus: corpus, using: &rng)
            let file = work.appendingPathComponent("case.yml")
            try Data(bytes).write(to: file)
            let caseStart = Date()
            let outcome = try Self.check(file, caseIndex: index)
            let seconds = Date().timeIntervalSince(caseStart)
            if seconds > slowest.seconds { slowest = (seconds, index) }
            outcomes[outcome, default: 0] += 1
            var failed = seconds > 5
            #expect(seconds <= 5, "case \(index) took \(seconds) s in-process")

            if index < Self.binaryCases {
                let run = try HDBenchRun.run(["validate", file.path], in: work, timeout: 10, memoryLimitKiB: 1 << 20)
                binarySeconds += run.seconds
                let ok = !run.signalled && !run.timedOut
                    && (run.status == 0 ? run.stdout.hasPrefix("ok\n") && (outcome == .valid)
                        : run.status == 2 && outcome == .invalid && !run.stderrLines.isEmpty
                            && run.stderrLines.allSatisfy { !$0.contains("Fatal error") && !$0.hasPrefix("Error: ") && !$0.contains("Stack dump") })
                #expect(ok, "case \(index) through the binary: \(run)")
                failed = failed || !ok
            }
            if failed {
                try? FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
                try? Data(bytes).write(to: artifacts.appendingPathComponent("seed\(seed)-case\(index).yml"))
            }
        }
        let total = Date().timeIntervalSince(start)
        let residentAfter = Self.residentMiB()
        print("fuzz: \(count) cases in \(String(format: "%.1f", total)) s (\(Self.binaryCases) through the binary: \(String(format: "%.1f", binarySeconds)) s); "
              + "\(outcomes[.valid] ?? 0) valid, \(outcomes[.invalid] ?? 0) rejected; slowest in-process case \(slowest.index): \(String(format: "%.3f", slowest.seconds)) s; "
              + "resident memory \(residentBefore) → \(residentAfter) MiB")
        // Bounded memory: the whole run may not grow the test process by more than 512 MiB.
        #expect(residentAfter - residentBefore < 512, "resident memory grew from \(residentBefore) to \(residentAfter) MiB")
        // Both outcomes occur: the mutations are neither all harmless nor all fatal.
        #expect((outcomes[.valid] ?? 0) > count / 50 && (outcomes[.invalid] ?? 0) > count / 2, "\(outcomes)")
    }

    /// This process's resident memory (VmRSS), in MiB.
    static func residentMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kib / 1024
    }
}
