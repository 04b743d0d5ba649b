import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// `--enqueue`, `--warm-start` and the target, through the real binary and real SQLite.
@Suite("hdbench sweep --enqueue / --warm-start / --target (real binary)", .serialized)
struct LearningTests {
    /// A sweep over k ∈ {0…7} (random) logging loss = k; k = `slowK` sleeps `slowSeconds` after
    /// its report unless the file `go` exists in the work folder.
    static func choiceJob(_ work: URL, maxTotal: Int, concurrent: Int = 1, slowK: Int = 99, slowSeconds: Int = 30, extra: String = "") throws {
        let yaml = """
            type: sweep
            trial:
              command: >-
                echo loss=${{search_space.k}};
                if [ ${{search_space.k}} = \(slowK) ] && [ ! -e \(work.path)/go ]; then sleep \(slowSeconds); fi
              code: .
            search_space:
              k: {type: choice, values: [0, 1, 2, 3, 4, 5, 6, 7]}
            sampling_algorithm: {type: random, seed: 4}
            objective: {goal: minimize, primary_metric: loss}
            limits: {max_total_trials: \(maxTotal), max_concurrent_trials: \(concurrent)}
            \(extra)
            """
        try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
    }

    /// A 2-D quadratic, loss = (x − 3)² + (y − 1)², Bayesian.
    static func quadraticJob(_ work: URL, name: String = "job.yml", maxTotal: Int, metric: String = "loss", waitForGo: Bool = false) throws {
        let wait = waitForGo ? "; while [ ! -e \(work.path)/go ]; do sleep 0.1; done" : ""
        let yaml = """
            type: sweep
            trial:
              command: >-
                python3 -c "print('\(metric)=%r' % ((${{search_space.x}} - 3) ** 2 + (${{search_space.y}} - 1) ** 2))"\(wait)
              code: .
            search_space:
              x: {type: uniform, min_value: 0, max_value: 5}
              y: {type: uniform, min_value: 0, max_value: 5}
            sampling_algorithm: bayesian
            objective: {goal: minimize, primary_metric: \(metric)}
            limits: {max_total_trials: \(maxTotal), max_concurrent_trials: 1}
            """
        try yaml.write(to: work.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// The binary, run off the cooperative pool (other suites' async tests need its threads).
    static func hdbench(_ arguments: [String], in directory: URL, timeout: Double = 60) async throws -> HDBenchRun {
        try await offCooperativePool { try HDBenchRun.run(arguments, in: directory, timeout: timeout) }
    }

    /// Runs `hdbench arguments` in `work`, sends SIGINT once `ready` holds for the trials stored
    /// in `experiment` (or after 60 s), and returns the exit status.
    static func interrupt(_ arguments: [String], in work: URL, experiment: URL, when ready: ([TrialRecord]) -> Bool) async throws -> Int32 {
        let process = Process()
        process.executableURL = HDBenchBinary.executable
        process.arguments = arguments
        process.currentDirectoryURL = work
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let trials = try? ExperimentStore.open(existing: experiment).trials(), ready(trials) { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        process.interrupt()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func k(_ trial: TrialRecord) -> Int? {
        if case .int(let k)? = trial.configuration["k"] { return k }
        return nil
    }

    @Test func enqueuedConfigurationsRunFirstInOrderExactlyOnce() async throws {
        let work = Fixtures.temporaryDirectory()
        try Self.choiceJob(work, maxTotal: 5)
        try "{\"k\": 6}\n\n{\"k\": 2.0}\n{\"k\": 7}\n".write(to: work.appendingPathComponent("queue.jsonl"), atomically: true, encoding: .utf8)
        let run = try await Self.hdbench(["sweep", "job.yml", "--experiment-dir", "exp", "--enqueue", "queue.jsonl", "--quiet"], in: work)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("enqueued: 3 configurations run first"))
        let store = try ExperimentStore.open(existing: work.appendingPathComponent("exp"))
        let trials = try store.trials()
        #expect(trials.count == 5)
        #expect(trials.prefix(3).map(Self.k) == [6, 2, 7])
        #expect(trials.map(\.origin) == [.enqueued, .enqueued, .enqueued, .sampler, .sampler])
        #expect(Set(trials.compactMap(Self.k)).count == 5, "a finite space: the sampler does not repeat enqueued configurations")
        #expect(try store.enqueued().count == 3)
    }

    /// Interrupted while an enqueued trial runs, the sweep resumes with the rest of the queue.
    @Test func theQueueSurvivesResume() async throws {
        let work = Fixtures.temporaryDirectory()
        try Self.choiceJob(work, maxTotal: 5, slowK: 1)
        try "{\"k\": 3}\n{\"k\": 1}\n{\"k\": 5}\n".write(to: work.appendingPathComponent("queue.jsonl"), atomically: true, encoding: .utf8)
        let experiment = work.appendingPathComponent("exp")
        // Interrupted while trial 1 (k = 1, slow) runs.
        let status = try await Self.interrupt(["sweep", "job.yml", "--experiment-dir", experiment.path, "--enqueue", "queue.jsonl", "--quiet", "--grace-period", "0.5"],
                                              in: work, experiment: experiment) { $0.contains { $0.id == 1 && $0.status == .running } }
        #expect(status == 130)
        _ = FileManager.default.createFile(atPath: work.appendingPathComponent("go").path, contents: nil)
        // --enqueue again is refused: the recorded queue is used.
        let again = try await Self.hdbench(["sweep", "job.yml", "--experiment-dir", "exp", "--resume", "--enqueue", "queue.jsonl"], in: work)
        #expect(again.status == 2 && again.stderrLines.count == 1, "\(again)")
        let resumed = try await Self.hdbench(["sweep", "job.yml", "--experiment-dir", "exp", "--resume", "--quiet"], in: work)
        #expect(resumed.status == 0, "\(resumed)")
        let trials = try ExperimentStore.open(existing: experiment).trials()
        let completedEnqueued = trials.filter { $0.origin == .enqueued && $0.status == .completed }.compactMap(Self.k)
        #expect(completedEnqueued == [3, 1, 5], "each enqueued configuration completed once, in order: \(trials.map { ($0.id, Self.k($0) ?? -1, $0.status) })")
        #expect(Set(trials.map(\.proposal)).count == 5, "enqueued trials count in max_total_trials")
        #expect(trials.first { $0.id == 1 }?.status == .interrupted)
        #expect(trials.first { $0.rerunOf == 1 }?.origin == .enqueued)
    }

    @Test func badEnqueueLinesAreRejectedBeforeAnythingRuns() async throws {
        let work = Fixtures.temporaryDirectory()
        try Self.choiceJob(work, maxTotal: 5)
        let lines = ["{\"k\": 1}", "not json", "[1, 2]", "{\"k\": 9}", "{\"k\": \"two\"}", "{\"k\": 1, \"depth\": 3}", "{\"k\": true}", "{}",
                     "{\"depth\": 2}"]
        try lines.joined(separator: "\n").write(to: work.appendingPathComponent("queue.jsonl"), atomically: true, encoding: .utf8)
        let run = try await Self.hdbench(["sweep", "job.yml", "--experiment-dir", "exp", "--enqueue", "queue.jsonl"], in: work)
        #expect(run.status == 2, "\(run)")
        let errors = run.stderrLines
        #expect(errors.count == 8, "one line per bad line: \(errors)")
        #expect(errors[0] == "error: queue.jsonl:2: is not valid JSON; give one object per line, e.g. {\"lr\": 0.01}")
        #expect(errors[1].hasPrefix("error: queue.jsonl:3: is not a JSON object"))
        #expect(errors[2] == "error: queue.jsonl:4: k: 9 is not one of the choice's 8 options (choice)")
        #expect(errors[3] == "error: queue.jsonl:5: k: \"two\" is not one of the choice's 8 options (choice)")
        #expect(errors[4].hasPrefix("error: queue.jsonl:6: depth: is not a parameter of the search space"))
        #expect(errors[5] == "error: queue.jsonl:7: k: true is not a value of this parameter (choice)")
        #expect(errors[6] == "error: queue.jsonl:8: k: is missing (every parameter of the search space needs a value)")
        #expect(errors[7].hasPrefix("error: queue.jsonl:9: depth: is not a parameter of the search space") && errors[7].contains("; k: is missing"), "\(errors[7])")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("exp").path), "nothing is created")
        // More configurations than max_total_trials.
        try String(repeating: "{\"k\": 1}\n", count: 6).write(to: work.appendingPathComponent("many.jsonl"), atomically: true, encoding: .utf8)
        let many = try await Self.hdbench(["sweep", "job.yml", "--experiment-dir", "exp", "--enqueue", "many.jsonl"], in: work)
        #expect(many.status == 2 && many.stderrLines.count == 1 && many.stderr.contains("max_total_trials is 5"), "\(many)")
        // `validate` checks the same start without running anything: the same lines, then a
        // good file and a target that is not a number.
        let validate = try await Self.hdbench(["validate", "job.yml", "--enqueue", "queue.jsonl"], in: work)
        #expect(validate.status == 2 && validate.stderrLines == errors, "\(validate)")
        try "{\"k\": 1}\n{\"k\": 2}\n".write(to: work.appendingPathComponent("good.jsonl"), atomically: true, encoding: .utf8)
        let good = try await Self.hdbench(["validate", "job.yml", "--enqueue", "good.jsonl", "--target", "0.9"], in: work)
        #expect(good.status == 0 && good.stdout.contains("ok\nenqueued: 2 configurations run first"), "\(good)")
        let target = try await Self.hdbench(["validate", "job.yml", "--target", "high"], in: work)
        #expect(target.status == 2 && target.stderrLines == ["error: --target: 'high' is not a finite number; give the primary metric's value that ends the sweep, e.g. --target 0.95"], "\(target)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("exp").path), "nothing is created")
    }

    /// The first Bayesian suggestion after a warm start of 10 finished trials is a model one;
    /// the warm start is recorded and kept on resume; bad sources are refused.
    @Test func warmStartFeedsTheSurrogate() async throws {
        let work = Fixtures.temporaryDirectory()
        try Self.quadraticJob(work, maxTotal: 10)
        let source = try await Self.hdbench(["sweep", "job.yml", "--experiment-dir", "source", "--quiet"], in: work, timeout: 120)
        #expect(source.status == 0, "\(source)")
        try Self.quadraticJob(work, name: "next.yml", maxTotal: 2)
        let run = try await Self.hdbench(["sweep", "next.yml", "--experiment-dir", "warm", "--warm-start", "source"], in: work, timeout: 120)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("warm start from source: 10 of 10 trials used"), "\(run.stdout)")
        let store = try ExperimentStore.open(existing: work.appendingPathComponent("warm"))
        let suggestions = try store.suggestions()
        #expect(suggestions.first?.diagnostics.map(\.kind) == [.model], "\(suggestions)")
        #expect(suggestions.first?.diagnostics.first?.message.hasPrefix("GP on 10 observations") == true)
        #expect(try store.trials().count == 2, "warm-start trials do not count")
        let recorded = try store.warmStart()
        #expect(recorded.count == 1 && recorded[0].trials.count == 10 && recorded[0].summary.used == 10)
        // A cold run of the same sweep starts with the initial design.
        let cold = try await Self.hdbench(["sweep", "next.yml", "--experiment-dir", "cold", "--quiet"], in: work, timeout: 120)
        #expect(cold.status == 0)
        #expect(try ExperimentStore.open(existing: work.appendingPathComponent("cold")).suggestions().first?.diagnostics.first?.kind == .initialDesign)

        // Bad sources: one line each, exit 2, before anything runs.
        let missing = try await Self.hdbench(["sweep", "next.yml", "--experiment-dir", "x", "--warm-start", "nowhere"], in: work)
        #expect(missing.status == 2 && missing.stderrLines.count == 1 && missing.stderr.contains("--warm-start nowhere"), "\(missing)")
        try Self.quadraticJob(work, name: "other.yml", maxTotal: 2, metric: "error")
        let other = try await Self.hdbench(["sweep", "other.yml", "--experiment-dir", "y", "--warm-start", "source"], in: work)
        #expect(other.status == 2 && other.stderrLines.count == 1 && other.stderr.contains("primary metric is 'loss'"), "\(other)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("x").path))
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("y").path))
    }

    /// `--resume` restores the recorded warm start, even when the source folder is gone.
    @Test func theWarmStartSurvivesResume() async throws {
        let work = Fixtures.temporaryDirectory()
        try Self.quadraticJob(work, maxTotal: 10)
        let source = try await Self.hdbench(["sweep", "job.yml", "--experiment-dir", "source", "--quiet"], in: work, timeout: 120)
        #expect(source.status == 0, "\(source)")
        try Self.quadraticJob(work, name: "next.yml", maxTotal: 2, waitForGo: true)
        let experiment = work.appendingPathComponent("warm")
        let status = try await Self.interrupt(["sweep", "next.yml", "--experiment-dir", experiment.path, "--warm-start", "source", "--quiet", "--grace-period", "0.5"],
                                              in: work, experiment: experiment) { $0.contains { $0.status == .running } }
        #expect(status == 130)
        try FileManager.default.removeItem(at: work.appendingPathComponent("source"))
        _ = FileManager.default.createFile(atPath: work.appendingPathComponent("go").path, contents: nil)
        let resumed = try await Self.hdbench(["sweep", "next.yml", "--experiment-dir", "warm", "--resume", "--quiet"], in: work, timeout: 120)
        #expect(resumed.status == 0, "\(resumed)")
        let store = try ExperimentStore.open(existing: experiment)
        let suggestions = try store.suggestions()
        #expect(suggestions.count == 2)
        #expect(suggestions.last?.diagnostics.first?.message.hasPrefix("GP on 11 observations") == true,
                "10 warm-start observations and the re-run trial: \(suggestions.map(\.diagnostics))")
        #expect(try store.warmStart().first?.trials.count == 10)
    }

    /// Reaching the target ends the sweep: the slow trial still running is cancelled, the reason
    /// is recorded and `hdbench status` shows it.
    @Test func theTargetEndsTheSweep() async throws {
        let work = Fixtures.temporaryDirectory()
        try Self.choiceJob(work, maxTotal: 8, concurrent: 2, slowK: 6, slowSeconds: 60, extra: "x-hdbench: {target: 0.5}")
        try "{\"k\": 6}\n{\"k\": 0}\n".write(to: work.appendingPathComponent("queue.jsonl"), atomically: true, encoding: .utf8)
        let run = try await Self.hdbench(["sweep", "job.yml", "--experiment-dir", "exp", "--enqueue", "queue.jsonl", "--quiet", "--grace-period", "0.5"],
                                     in: work, timeout: 50)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("sweep completed: target loss ≤ 0.5 reached: trial 1 logged 0"), "\(run.stdout)")
        let store = try ExperimentStore.open(existing: work.appendingPathComponent("exp"))
        #expect(try store.experiment()?.reason == "target loss ≤ 0.5 reached: trial 1 logged 0")
        let slow = try store.trials().first { $0.id == 0 }
        #expect(slow?.status == .cancelled && slow?.reason?.hasPrefix("sweep ended: target") == true, "\(String(describing: slow))")
        #expect(run.seconds < 40)
        let status = try await Self.hdbench(["status", "exp"], in: work)
        #expect(status.stdout.contains("target loss ≤ 0.5 reached"), "\(status.stdout)")

        // --target overrides the YAML; a value that is not a finite number is one line, exit 2.
        for bad in ["abc", "nan", "inf"] {
            let refused = try await Self.hdbench(["sweep", "job.yml", "--experiment-dir", "z", "--target", bad], in: work)
            #expect(refused.status == 2 && refused.stderrLines == ["error: --target: '\(bad)' is not a finite number; give the primary metric's value that ends the sweep, e.g. --target 0.95"], "\(refused)")
        }
        try Self.choiceJob(work, maxTotal: 8, extra: "x-hdbench: {target: .nan}")
        let yamlNaN = try await Self.hdbench(["sweep", "job.yml", "--experiment-dir", "z"], in: work)
        #expect(yamlNaN.status == 2 && yamlNaN.stderrLines.count == 1 && yamlNaN.stderr.contains("x-hdbench.target"), "\(yamlNaN)")
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("z").path))
    }
}
