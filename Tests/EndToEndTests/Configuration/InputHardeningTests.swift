import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Hostile input through the real binary: a value that tries to inject shell code, numbers
/// that are not numbers, control characters, and a huge YAML.
@Suite("Hostile input (real binary)", .serialized)
struct InputHardeningTests {
    static func job(_ searchSpace: String, command: String = "echo accuracy=1", sampling: String = "random") -> String {
        """
        type: sweep
        trial: {command: \(command)}
        search_space: \(searchSpace)
        sampling_algorithm: \(sampling)
        objective: {goal: maximize, primary_metric: accuracy}
        limits: {max_total_trials: 4}

        """
    }

    static func write(_ text: String, in work: URL, name: String = "job.yml") throws {
        try text.write(to: work.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    // MARK: - A. A quoted placeholder

    /// The fault-injection case: `echo acc=1 "${{search_space.v}}"` with `$(touch F)`.
    @Test("a choice value inside a double-quoted placeholder reaches the trial literally and runs nothing")
    func doubleQuotedPlaceholderDoesNotInject() throws {
        let work = Fixtures.temporaryDirectory()
        let marker = work.appendingPathComponent("F")
        let values = ["$(touch \(marker.path))", "`touch \(marker.path)`", "\\\"; touch \(marker.path); \\\""]
        try Self.write(Self.job("{v: {type: choice, values: [\(values.map { "\"\($0)\"" }.joined(separator: ", "))]}}",
                                command: "'echo accuracy=1 \"${{search_space.v}}\"'", sampling: "grid"), in: work)
        let validate = try HDBenchRun.run(["validate", "job.yml"], in: work)
        #expect(validate.status == 0, "\(validate)")
        #expect(validate.stdout.contains("note: trial.command: ${{search_space.v}} is inside \"…\""), "\(validate)")
        let experiment = work.appendingPathComponent("exp")
        let run = try HDBenchRun.run(["sweep", "job.yml", "--experiment-dir", experiment.path, "--quiet"], in: work)
        #expect(run.status == 0, "\(run)")
        #expect(!FileManager.default.fileExists(atPath: marker.path), "a value ran `touch`")
        let store = try ExperimentStore.open(existing: experiment)
        let trials = try store.trials()
        #expect(trials.count == values.count)
        for trial in trials {
            guard case .string(let value)? = trial.configuration["v"] else { Issue.record("no value"); continue }
            let log = try String(contentsOf: URL(fileURLWithPath: trial.folder).appendingPathComponent("stdout.log"), encoding: .utf8)
            #expect(log == "accuracy=1 \(value)\n", "trial \(trial.id): \(log.debugDescription)")
        }
    }

    // MARK: - E. Numbers and characters

    @Test("--grace-period refuses nan, inf, negative and absurd values with a message naming the flag", arguments: ["-1", "nan", "inf", "-inf", "1e9", "86401"])
    func gracePeriodIsChecked(value: String) throws {
        let work = Fixtures.temporaryDirectory("grace")
        try Self.write(Self.job("{v: {type: choice, values: [1]}}"), in: work)
        let run = try HDBenchRun.run(["sweep", "job.yml", "--experiment-dir", work.appendingPathComponent("exp").path,
                                      "--grace-period", value], in: work)
        #expect(run.status != 0 && !run.signalled, "\(value): \(run)")
        #expect(run.stderr.contains("--grace-period") && run.stderr.contains("from 0 to 86400"), "\(value): \(run)")
        #expect(!run.stderr.contains("Missing value"), "\(value): \(run)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("exp").path), "\(value): a sweep started")
    }

    @Test("--grace-period accepts 0 and a day")
    func gracePeriodBounds() throws {
        let work = Fixtures.temporaryDirectory()
        try Self.write(Self.job("{v: {type: choice, values: [1]}}"), in: work)
        for value in ["0", "86400", "2.5"] {
            let run = try HDBenchRun.run(["sweep", "job.yml", "--experiment-dir", work.appendingPathComponent("exp\(value)").path,
                                          "--grace-period", value, "--quiet"], in: work)
            #expect(run.status == 0, "\(value): \(run)")
        }
    }

    @Test("validate rejects distributions whose draws are not finite, and sigma ≤ 0")
    func nonFiniteDistributionsAreRejected() throws {
        let work = Fixtures.temporaryDirectory()
        let cases: [(space: String, path: String)] = [
            ("{x: {type: lognormal, mu: 710, sigma: 1}}", "search_space.x:"),
            ("{x: {type: lognormal, mu: 705, sigma: 1}}", "search_space.x:"),
            ("{x: {type: qlognormal, mu: 710, sigma: 1, q: 1}}", "search_space.x:"),
            ("{x: {type: normal, mu: 1.0e+308, sigma: 1.0e+308}}", "search_space.x:"),
            ("{x: {type: qnormal, mu: 0, sigma: 1, q: 1.0e-320}}", "search_space.x:"),
            ("{x: {type: normal, mu: 0, sigma: 0}}", "search_space.x.sigma:"),
            ("{x: {type: normal, mu: 0, sigma: -0.0}}", "search_space.x.sigma:"),
            ("{x: {type: normal, mu: 0, sigma: -1}}", "search_space.x.sigma:"),
            ("{x: {type: lognormal, mu: 0, sigma: 0}}", "search_space.x.sigma:"),
            ("{x: {type: lognormal, mu: 0, sigma: -0.0}}", "search_space.x.sigma:"),
            ("{x: {type: lognormal, mu: 0, sigma: -2}}", "search_space.x.sigma:"),
            ("{x: {type: qnormal, mu: 0, sigma: 0, q: 1}}", "search_space.x.sigma:"),
        ]
        for (space, path) in cases {
            try Self.write(Self.job(space, sampling: "{type: random, seed: 1}"), in: work)
            let validate = try HDBenchRun.run(["validate", "job.yml", "--extensions"], in: work)
            #expect(validate.status == 2, "\(space): \(validate)")
            #expect(validate.stderrLines.count == 1 && validate.stderr.hasPrefix(path), "\(space): \(validate)")
            let sample = try HDBenchRun.run(["sample", "job.yml", "--count", "50", "--extensions"], in: work)
            #expect(sample.status == 2, "\(space): \(sample)")
            #expect(!sample.stdout.contains("Infinity") && !sample.stdout.contains("NaN"), "\(space): \(sample)")
        }
        // Just inside the range: valid, and 2000 draws are all finite.
        try Self.write(Self.job("{x: {type: lognormal, mu: 700, sigma: 1}, y: {type: normal, mu: 0, sigma: 1.0e+300}}",
                                sampling: "{type: random, seed: 1}"), in: work)
        let validate = try HDBenchRun.run(["validate", "job.yml", "--extensions"], in: work)
        #expect(validate.status == 0, "\(validate)")
        let sample = try HDBenchRun.run(["sample", "job.yml", "--count", "2000", "--extensions"], in: work)
        #expect(sample.status == 0, "\(sample.stderr)")
        #expect(sample.stdout.split(separator: "\n").count == 2000)
        #expect(!sample.stdout.contains("Infinity") && !sample.stdout.contains("NaN"))
    }

    @Test("a NUL or other control character in a choice value is rejected naming its path; a tab is fine")
    func controlCharactersInChoiceValues() throws {
        let work = Fixtures.temporaryDirectory()
        for (escape, name) in [("\\0", "U+0000"), ("\\a", "U+0007"), ("\\e", "U+001B"), ("\\n", "U+000A"), ("\\x7f", "U+007F"), ("\\r", "U+000D")] {
            try Self.write(Self.job("{c: {type: choice, values: [ok, \"bad\(escape)value\"]}, m: {type: choice, values: [{k: \"x\(escape)\"}]}}"), in: work)
            let run = try HDBenchRun.run(["validate", "job.yml"], in: work)
            #expect(run.status == 2, "\(escape): \(run)")
            #expect(run.stderrLines.count == 2, "\(escape): \(run)")
            #expect(run.stderrLines.contains { $0.hasPrefix("search_space.c.values[1]: contains the control character \(name)") }, "\(escape): \(run)")
            #expect(run.stderrLines.contains { $0.hasPrefix("search_space.m.values[0].k: contains the control character \(name)") }, "\(escape): \(run)")
        }
        try Self.write(Self.job("{c: {type: choice, values: [\"a\\tb\"]}}"), in: work)
        #expect(try HDBenchRun.run(["validate", "job.yml"], in: work).status == 0)
    }

    // MARK: - F. A huge YAML

    /// The fault-injection case: 12.6 MB, 800k keys, no aliases. Refused before it is parsed,
    /// in bounded memory (the run is limited to 400 MiB of address space).
    @Test("a 12 MB YAML with 800k keys is refused quickly in bounded memory, naming the limit")
    func hugeYAMLIsRefusedBeforeParsing() throws {
        let work = Fixtures.temporaryDirectory()
        var text = "type: sweep\n"
        text.reserveCapacity(13_000_000)
        for i in 0..<800_000 { text += "key\(i): \(i)\n" }
        try Self.write(text, in: work)
        let run = try HDBenchRun.run(["validate", "job.yml"], in: work, timeout: 60, memoryLimitKiB: 400 * 1024)
        #expect(run.status == 2 && !run.signalled, "\(run.status) \(run.stderr.prefix(300))")
        #expect(run.stderrLines.count == 1, "\(run.stderr.prefix(500))")
        #expect(run.stderr.contains("above the limit of 1 MiB"), "\(run.stderr.prefix(500))")
        #expect(!run.stderr.contains("through aliases"))
        #expect(run.seconds < 2, "took \(run.seconds) s")

        // Under 1 MiB but 400k list items, and 5000 levels deep: refused by the element and depth limits.
        try Self.write("type: sweep\nx: [" + Array(repeating: "1", count: 400_000).joined(separator: ",") + "]\n", in: work, name: "wide.yml")
        try Self.write("type: sweep\nx: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n", in: work, name: "deep.yml")
        try Self.write("type: sweep\nx:\n" + (1...200).map { String(repeating: " ", count: $0) + "k\($0):\n" }.joined(), in: work, name: "indented.yml")
        for (name, expected) in [("wide.yml", "more than 50000 elements"), ("deep.yml", "nests more than 64 levels"), ("indented.yml", "nests more than 64 levels")] {
            let run = try HDBenchRun.run(["validate", name], in: work, timeout: 60, memoryLimitKiB: 400 * 1024)
            #expect(run.status == 2 && !run.signalled, "\(name): \(run.status) \(run.stderr.prefix(300))")
            #expect(run.stderrLines.count == 1 && run.stderr.contains(expected), "\(name): \(run.stderr.prefix(300))")
            #expect(run.seconds < 5, "\(name) took \(run.seconds) s")
        }
    }

    @Test("a YAML that is not UTF-8 names the offset of the first bad byte")
    func invalidUTF8() throws {
        let work = Fixtures.temporaryDirectory()
        try Data("type: sweep\nname: ".utf8 + [0xFF, 0xFE] + Data("\n".utf8)).write(to: work.appendingPathComponent("job.yml"))
        let run = try HDBenchRun.run(["validate", "job.yml"], in: work)
        #expect(run.status == 2 && run.stderrLines.count == 1, "\(run)")
        #expect(run.stderr.contains("not UTF-8") && run.stderr.contains("offset 18 (line 2)"), "\(run)")
    }
}
