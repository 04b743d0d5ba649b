import Dispatch
import Foundation
import Synchronization
import Testing
import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// A throw-away Slurm cluster on localhost (Scripts/slurm-local.sh), started before a suite and
/// stopped after it. `.ci/setup --test` installs Slurm; without it these tests fail, saying so.
struct SlurmCluster: SuiteTrait, TestScoping {
    var nodes: Int
    var port: Int

    var directory: String { "/tmp/hdbench-slurm-test-\(nodes)" }
    var configuration: String { "\(directory)/etc/slurm.conf" }
    var environment: [String: String] {
        ["SLURM_LOCAL_DIR": directory, "SLURM_LOCAL_NODES": String(nodes), "SLURM_LOCAL_PORT": String(port)]
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let started = try await script("start")
        try #require(started.status == 0, "the local Slurm cluster did not start (is Slurm installed? .ci/setup --test installs it):\n\(started.output)")
        do {
            try await function()
        } catch {
            _ = try? await script("stop")
            throw error
        }
        _ = try await script("stop")
    }

    /// Runs Scripts/slurm-local.sh (posix_spawn and waitpid on a Dispatch thread: the cluster's
    /// daemons are forked off by the script, and Foundation's Process was seen to miss the
    /// script's own exit then).
    func script(_ command: String) async throws -> (status: Int32, output: String) {
        let path = SpaceTestSupport.packageRoot.appendingPathComponent("Scripts/slurm-local.sh").path
        let environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let result = try await offCooperativePool { try SlurmExecutor.run([path, command], environment: environment) }
        return (result.status, result.output + result.errors)
    }

    /// Runs a Slurm client command against this cluster; its standard output.
    func client(_ arguments: [String]) -> String {
        let environment = ProcessInfo.processInfo.environment.merging(["SLURM_CONF": configuration]) { $1 }
        return (try? SlurmExecutor.run(arguments, environment: environment))?.output ?? ""
    }
}

extension Trait where Self == SlurmCluster {
    static func slurmCluster(nodes: Int = 1, port: Int = 6917) -> Self { SlurmCluster(nodes: nodes, port: port) }
}

/// Runs hdbench with the cluster's `SLURM_CONF`.
enum SlurmSweep {
    static func launch(_ arguments: [String], in directory: URL, cluster: SlurmCluster?, output: URL) throws -> Process {
        let process = Process()
        guard let executable = HDBenchBinary.executable else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "hdbench binary not found; run `swift build` first"])
        }
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        if let cluster { environment["SLURM_CONF"] = cluster.configuration }
        process.environment = environment
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    static func run(_ arguments: [String], in directory: URL, cluster: SlurmCluster?) async throws -> (status: Int32, output: String) {
        let output = directory.appendingPathComponent("out-\(UUID().uuidString.prefix(6)).txt")
        let process = try launch(arguments, in: directory, cluster: cluster, output: output)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                process.waitUntilExit()
                done.resume()
            }
        }
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    static func job(command: String, values: String, limits: String, extra: String = "") -> String {
        """
        $schema: https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json
        type: sweep
        trial:
          command: \(command)
          code: .
        search_space:
          \(values)
        objective: {goal: maximize, primary_metric: accuracy}
        limits: {\(limits)}
        \(extra)
        """
    }

    /// Trial value by proposal, from a finished experiment.
    static func values(_ experiment: URL) throws -> [Int: Double] {
        let results = try ExperimentStore.open(existing: experiment).results()
        return Dictionary(results.compactMap { r in r.value.map { (r.trial.proposal, $0) } }, uniquingKeysWith: { a, _ in a })
    }
}

@Suite(.serialized, .slurmCluster(nodes: 1, port: 6917))
struct SlurmExecutorTests {
    static let cluster = SlurmCluster(nodes: 1, port: 6917)

    /// 30 random trials, 4 at a time: every job completes, `squeue` never lists more than 4 of
    /// the sweep's jobs (sampled every 50 ms), and the values equal the local executor's.
    @Test("a random sweep on Slurm: all complete, at most 4 jobs queued or running, same values as locally")
    func randomSweepMatchesLocal() async throws {
        let work = Fixtures.temporaryDirectory()
        let yaml = SlurmSweep.job(
            command: #"awk -v x=${{search_space.x}} -v y=${{search_space.y}} 'BEGIN { printf "accuracy=%.17g\n", -(x-0.3)^2-(y-0.6)^2 }'"#,
            values: "x: {type: uniform, min_value: 0, max_value: 1}\n  y: {type: uniform, min_value: 0, max_value: 1}",
            limits: "max_total_trials: 30, max_concurrent_trials: 4", extra: "sampling_algorithm: {type: random, seed: 3}")
        try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)

        let local = try await SlurmSweep.run(["sweep", "job.yml", "--experiment-dir", work.appendingPathComponent("local").path, "--quiet"],
                                             in: work, cluster: nil)
        #expect(local.status == 0, "\(local.output)")

        let peak = Mutex(0)
        let sampling = Mutex(true)
        let cluster = Self.cluster
        let sampler = Thread {
            while sampling.withLock({ $0 }) {
                let jobs = cluster.client(["squeue", "-h", "-o", "%i"]).split(separator: "\n").count
                peak.withLock { $0 = max($0, jobs) }
                usleep(50_000)
            }
        }
        sampler.start()
        let slurm = try await SlurmSweep.run(["sweep", "job.yml", "--executor", "slurm", "--experiment-dir",
                                              work.appendingPathComponent("slurm").path, "--quiet"], in: work, cluster: cluster)
        sampling.withLock { $0 = false }
        #expect(slurm.status == 0, "\(slurm.output)")
        let trials = try ExperimentStore.open(existing: work.appendingPathComponent("slurm")).trials()
        #expect(trials.count == 30)
        #expect(trials.allSatisfy { $0.status == .completed && $0.handle?.executor == "slurm" && $0.handle?.host == "localhost" })
        #expect(Set(trials.compactMap(\.handle?.identifier)).count == 30)
        #expect(peak.withLock { $0 } <= 4, "squeue listed \(peak.withLock { $0 }) jobs at once")
        #expect(peak.withLock { $0 } >= 1)
        let expected = try SlurmSweep.values(work.appendingPathComponent("local"))
        #expect(expected.count == 30)
        #expect(try SlurmSweep.values(work.appendingPathComponent("slurm")) == expected)
    }

    /// One trial at a time (so each decision depends only on earlier trials): median stopping
    /// stops the same trials on Slurm as locally, and each stopped job ran its SIGTERM handler
    /// — one that takes a second, as saving a checkpoint does, so a batch script that exits
    /// before its command's process group has ended gets the handler killed — and ended
    /// CANCELLED.
    @Test("median stopping on Slurm stops the same trials as locally; cancelled jobs ran their cleanup")
    func medianStoppingMatchesLocal() async throws {
        let work = Fixtures.temporaryDirectory()
        try """
            trap 'sleep 1; echo cleaned > "\(work.path)/cleanup-$2-$1"; exit 143' TERM
            i=1
            while [ $i -le 12 ]; do
              echo "accuracy=$(awk -v v=$1 -v i=$i 'BEGIN { print v * (1 - 1 / (i + 1)) }')"
              i=$((i+1)); sleep 0.3
            done
            """.write(to: work.appendingPathComponent("curve.sh"), atomically: true, encoding: .utf8)
        for where_ in ["local", "slurm"] {
            let yaml = SlurmSweep.job(
                command: "sh curve.sh ${{search_space.v}} \(where_)",
                values: "v: {type: choice, values: [0.9, 0.5, 0.8, 0.3, 0.7, 0.2]}",
                limits: "max_total_trials: 6, max_concurrent_trials: 1",
                extra: "sampling_algorithm: grid\nearly_termination: {type: median_stopping, evaluation_interval: 1, delay_evaluation: 3}")
            try yaml.write(to: work.appendingPathComponent("\(where_).yml"), atomically: true, encoding: .utf8)
        }
        let local = try await SlurmSweep.run(["sweep", "local.yml", "--experiment-dir", work.appendingPathComponent("local").path,
                                              "--quiet", "--grace-period", "5"], in: work, cluster: nil)
        #expect(local.status == 0, "\(local.output)")
        let slurm = try await SlurmSweep.run(["sweep", "slurm.yml", "--executor", "slurm", "--experiment-dir",
                                              work.appendingPathComponent("slurm").path, "--quiet", "--grace-period", "5"],
                                             in: work, cluster: Self.cluster)
        #expect(slurm.status == 0, "\(slurm.output)")
        func stopped(_ name: String) throws -> [Int] {
            try ExperimentStore.open(existing: work.appendingPathComponent(name)).stopDecisions().map(\.trial)
        }
        let expected = try stopped("local")
        #expect(!expected.isEmpty)
        #expect(try stopped("slurm") == expected)
        let trials = try ExperimentStore.open(existing: work.appendingPathComponent("slurm")).trials()
        var cleanedUp = 0
        for id in expected {
            let trial = try #require(trials.first { $0.id == id })
            let value = trial.configuration.values[0].plainText
            // A trial that logged all 12 reports before the cancel reached it (a loaded machine
            // reads reports late) had nothing left to clean up; the others ran their handler.
            let logged = try String(contentsOf: URL(fileURLWithPath: trial.folder).appendingPathComponent("stdout.log"), encoding: .utf8)
                .split(separator: "\n").filter { $0.hasPrefix("accuracy=") }.count
            let cleaned = FileManager.default.fileExists(atPath: work.appendingPathComponent("cleanup-slurm-\(value)").path)
            #expect(cleaned || logged == 12, "trial \(id): no cleanup after \(logged) reports")
            if cleaned { cleanedUp += 1 }
            let job = try #require(trial.handle?.identifier)
            // A cancelled job may still be COMPLETING (Slurm's own clean-up) for a moment.
            var shown = ""
            for _ in 0..<100 {
                shown = Self.cluster.client(["scontrol", "-o", "show", "job", job])
                if !shown.contains("JobState=COMPLETING") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(shown.contains("JobState=CANCELLED") || shown.contains("JobState=COMPLETED"), "\(shown)")
        }
        #expect(cleanedUp >= 1, "no stopped trial ran its SIGTERM handler")
    }

    /// `kill -9` of the controller while jobs run; `--resume` re-attaches to them: no job is
    /// submitted twice, nothing is run again, every logged value is stored.
    @Test("kill -9 of the controller, then --resume: jobs re-attached, none submitted twice, every value kept")
    func killNineThenResumeReattaches() async throws {
        let work = Fixtures.temporaryDirectory()
        try """
            i=1
            while [ $i -le 25 ]; do echo "accuracy=$(( $1 * 100 + i ))"; i=$((i+1)); sleep 0.1; done
            """.write(to: work.appendingPathComponent("steady.sh"), atomically: true, encoding: .utf8)
        let yaml = SlurmSweep.job(command: "sh steady.sh ${{search_space.v}}", values: "v: {type: choice, values: [1, 2, 3, 4, 5, 6]}",
                                  limits: "max_total_trials: 6, max_concurrent_trials: 3", extra: "sampling_algorithm: grid")
        try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
        let experiment = work.appendingPathComponent("exp")
        let output = work.appendingPathComponent("first.txt")
        let first = try SlurmSweep.launch(["sweep", "job.yml", "--executor", "slurm", "--experiment-dir", experiment.path],
                                          in: work, cluster: Self.cluster, output: output)
        let cluster = Self.cluster
        let runningAtKill = await withCheckedContinuation { (done: CheckedContinuation<Int, Never>) in
            DispatchQueue.global().async {
                let deadline = Date().addingTimeInterval(30)
                var running = 0
                while Date() < deadline {
                    running = cluster.client(["squeue", "-h", "-t", "RUNNING", "-o", "%i"]).split(separator: "\n").count
                    let logged = (try? String(contentsOf: experiment.appendingPathComponent("trials/0/stdout.log"), encoding: .utf8)) ?? ""
                    if running >= 2 && logged.split(separator: "\n").count >= 3 { break }
                    usleep(50_000)
                }
                kill(first.processIdentifier, SIGKILL)
                first.waitUntilExit()
                done.resume(returning: running)
            }
        }
        #expect(runningAtKill >= 2)
        // The jobs outlive the controller.
        #expect(!cluster.client(["squeue", "-h", "-o", "%i"]).isEmpty)

        let resumed = try await SlurmSweep.run(["sweep", "job.yml", "--executor", "slurm", "--experiment-dir", experiment.path, "--resume"],
                                               in: work, cluster: cluster)
        #expect(resumed.status == 0, "\(resumed.output)")
        let store = try ExperimentStore.open(existing: experiment)
        let trials = try store.trials()
        #expect(trials.count == 6, "\(trials.map { ($0.id, $0.status, $0.rerunOf) })")
        #expect(trials.allSatisfy { $0.status == .completed && $0.rerunOf == nil })
        #expect(Set(trials.compactMap(\.handle?.identifier)).count == 6)
        #expect(try store.diagnostics().contains { $0.message.hasPrefix("re-attached to slurm") })
        for trial in trials {
            let lines = try String(contentsOf: URL(fileURLWithPath: trial.folder).appendingPathComponent("stdout.log"), encoding: .utf8)
                .split(separator: "\n").filter { $0.hasPrefix("accuracy=") }
            let stored = try store.metrics(trial: trial.id, name: "accuracy")
            #expect(stored.count == 25 && lines.count == 25, "trial \(trial.id): \(stored.count) stored, \(lines.count) logged")
            #expect(stored.map(\.reportIndex) == (1...25).map { Optional($0) })
        }
    }

    /// `scontrol requeue` of a running job: the trial is recorded as lost and its parameters
    /// run again as a new trial (a retry), whose result counts.
    @Test("scontrol requeue of a running job becomes a retry of the trial")
    func requeueBecomesARetry() async throws {
        let work = Fixtures.temporaryDirectory()
        try """
            if [ -f "\(work.path)/ran" ]; then echo accuracy=2; exit 0; fi
            touch "\(work.path)/ran"
            echo accuracy=1
            exec sleep 60
            """.write(to: work.appendingPathComponent("once.sh"), atomically: true, encoding: .utf8)
        let yaml = SlurmSweep.job(command: "sh once.sh ${{search_space.v}}", values: "v: {type: choice, values: [1]}",
                                  limits: "max_total_trials: 1", extra: "sampling_algorithm: grid")
        try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
        let experiment = work.appendingPathComponent("exp")
        let output = work.appendingPathComponent("out.txt")
        let process = try SlurmSweep.launch(["sweep", "job.yml", "--executor", "slurm", "--experiment-dir", experiment.path, "--grace-period", "1"],
                                            in: work, cluster: Self.cluster, output: output)
        let cluster = Self.cluster
        let requeued = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            DispatchQueue.global().async {
                let deadline = Date().addingTimeInterval(30)
                var requeued = false
                while Date() < deadline && !requeued {
                    let logged = (try? String(contentsOf: experiment.appendingPathComponent("trials/0/stdout.log"), encoding: .utf8)) ?? ""
                    let job = cluster.client(["squeue", "-h", "-t", "RUNNING", "-o", "%i"]).trimmingCharacters(in: .whitespacesAndNewlines)
                    if logged.contains("accuracy=1"), !job.isEmpty {
                        requeued = cluster.client(["scontrol", "requeue", job]).isEmpty
                        break
                    }
                    usleep(50_000)
                }
                process.waitUntilExit()
                done.resume(returning: requeued)
            }
        }
        #expect(requeued)
        let store = try ExperimentStore.open(existing: experiment)
        let trials = try store.trials()
        #expect(trials.count == 2, "\((try? String(contentsOf: output, encoding: .utf8)) ?? "")")
        #expect(trials.first?.status == .failed)
        #expect(trials.first?.reason?.contains("run again") == true, "\(trials.first?.reason ?? "")")
        #expect(trials.last?.rerunOf == 0 && trials.last?.status == .completed)
        #expect(try store.results().first { $0.trial.id == 1 }?.value == 2)
        #expect(try store.metrics(trial: 0, name: "accuracy").map(\.value) == [1])  // the first attempt's report is kept
    }

    /// A submission Slurm rejects (no such partition) fails that trial with Slurm's message;
    /// after three in a row the sweep stops instead of burning its budget.
    @Test("rejected submissions fail their trials with Slurm's message; three in a row stop the sweep")
    func rejectedSubmissionsStopTheSweep() async throws {
        let work = Fixtures.temporaryDirectory()
        let yaml = SlurmSweep.job(command: "echo accuracy=${{search_space.v}}", values: "v: {type: choice, values: [1, 2, 3, 4, 5, 6]}",
                                  limits: "max_total_trials: 6, max_concurrent_trials: 1", extra: "sampling_algorithm: grid")
        try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
        let experiment = work.appendingPathComponent("exp")
        let run = try await SlurmSweep.run(["sweep", "job.yml", "--executor", "slurm", "--slurm-option", "partition=nope",
                                            "--experiment-dir", experiment.path], in: work, cluster: Self.cluster)
        #expect(run.status != 0)
        let store = try ExperimentStore.open(existing: experiment)
        let trials = try store.trials()
        #expect(trials.count == 3)
        #expect(trials.allSatisfy { $0.status == .failed && ($0.reason ?? "").contains("invalid partition") }, "\(trials.map(\.reason))")
        #expect(try store.experiment()?.reason?.contains("3 trials in a row could not be started") == true)
    }
}

/// Two nodes on one machine: trials spread over both; `resources.instance_count: 2` asks for both.
@Suite(.serialized, .slurmCluster(nodes: 2, port: 6937))
struct SlurmTwoNodeTests {
    static let cluster = SlurmCluster(nodes: 2, port: 6937)

    @Test("trials are placed on both nodes, and instance_count 2 gets both")
    func placement() async throws {
        let work = Fixtures.temporaryDirectory()
        let spread = SlurmSweep.job(command: "sh -c 'echo accuracy=${{search_space.v}}; sleep 1'", values: "v: {type: choice, values: [1, 2, 3, 4]}",
                                    limits: "max_total_trials: 4, max_concurrent_trials: 4", extra: "sampling_algorithm: grid")
        try spread.write(to: work.appendingPathComponent("spread.yml"), atomically: true, encoding: .utf8)
        // Each node advertises 8 CPUs; ask for 5 per trial so two trials never fit on one node.
        let run = try await SlurmSweep.run(["sweep", "spread.yml", "--executor", "slurm", "--slurm-option", "cpus-per-task=5",
                                            "--experiment-dir", work.appendingPathComponent("spread").path, "--quiet"],
                                           in: work, cluster: Self.cluster)
        #expect(run.status == 0, "\(run.output)")
        let hosts = Set(try ExperimentStore.open(existing: work.appendingPathComponent("spread")).trials().compactMap(\.handle?.host))
        #expect(hosts == ["n1", "n2"])

        let wide = SlurmSweep.job(command: "echo accuracy=${{search_space.v}}", values: "v: {type: choice, values: [1]}",
                                  limits: "max_total_trials: 1", extra: "sampling_algorithm: grid\nresources: {instance_count: 2}")
        try wide.write(to: work.appendingPathComponent("wide.yml"), atomically: true, encoding: .utf8)
        let wideRun = try await SlurmSweep.run(["sweep", "wide.yml", "--executor", "slurm", "--experiment-dir",
                                                work.appendingPathComponent("wide").path, "--quiet"], in: work, cluster: Self.cluster)
        #expect(wideRun.status == 0, "\(wideRun.output)")
        let trial = try #require(try ExperimentStore.open(existing: work.appendingPathComponent("wide")).trials().first)
        let job = try #require(trial.handle?.identifier)
        let shown = Self.cluster.client(["scontrol", "-o", "show", "job", job])
        #expect(shown.contains("NumNodes=2"), "\(shown)")
    }
}

/// Executor-independent scheduling on this machine: retries and device slots.
@Suite(.serialized) struct LocalSchedulingTests {
    @Test("--max-retries 2: a trial that always fails runs three times, then stays failed")
    func retries() async throws {
        let work = Fixtures.temporaryDirectory()
        let yaml = SlurmSweep.job(command: "sh -c 'echo accuracy=${{search_space.v}}; exit 3'", values: "v: {type: choice, values: [1, 2]}",
                                  limits: "max_total_trials: 2, max_concurrent_trials: 1", extra: "sampling_algorithm: grid")
        try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
        let experiment = work.appendingPathComponent("exp")
        let run = try await SlurmSweep.run(["sweep", "job.yml", "--max-retries", "2", "--experiment-dir", experiment.path, "--quiet"],
                                           in: work, cluster: nil)
        #expect(run.status == 0, "\(run.output)")
        let trials = try ExperimentStore.open(existing: experiment).trials()
        #expect(trials.count == 6)
        #expect(trials.allSatisfy { $0.status == .failed && $0.exitCode == 3 })
        for proposal in 0..<2 {
            let attempts = trials.filter { $0.proposal == proposal }
            #expect(attempts.count == 3)
            #expect(attempts.dropFirst().allSatisfy { $0.rerunOf != nil })
            #expect(attempts.dropLast().allSatisfy { ($0.reason ?? "").contains("retried (attempt") })
        }
        // The sampler proposed two configurations; the retries are not new proposals.
        #expect(Set(trials.map(\.proposal)) == [0, 1])
    }

    /// Each trial records its device while it runs; a trial counts the others holding its
    /// device (files under `held/`) before releasing it.
    @Test("--gpus 0,1 --trials-per-gpu 2: at most 2 trials share a device, at most 4 run")
    func deviceSlots() async throws {
        let work = Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(at: work.appendingPathComponent("held"), withIntermediateDirectories: true)
        try """
            held="\(work.path)/held"
            touch "$held/$CUDA_VISIBLE_DEVICES-$1"
            sleep 0.3
            echo "accuracy=$(ls "$held" | grep -c "^$CUDA_VISIBLE_DEVICES-")"
            echo "running=$(ls "$held" | wc -l)"
            echo "device=$CUDA_VISIBLE_DEVICES" > "\(work.path)/device-$1"
            rm "$held/$CUDA_VISIBLE_DEVICES-$1"
            """.write(to: work.appendingPathComponent("gpu.sh"), atomically: true, encoding: .utf8)
        let yaml = SlurmSweep.job(command: "sh gpu.sh ${{search_space.v}}", values: "v: {type: randint, upper: 1000}",
                                  limits: "max_total_trials: 12, max_concurrent_trials: 8", extra: "sampling_algorithm: {type: random, seed: 1}")
        try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
        let experiment = work.appendingPathComponent("exp")
        let run = try await SlurmSweep.run(["sweep", "job.yml", "--gpus", "0,1", "--trials-per-gpu", "2", "--experiment-dir", experiment.path, "--quiet"],
                                           in: work, cluster: nil)
        #expect(run.status == 0, "\(run.output)")
        let store = try ExperimentStore.open(existing: experiment)
        let sharing = try store.metrics(name: "accuracy").map(\.value)
        let running = try store.metrics(name: "running").map(\.value)
        #expect(sharing.count == 12 && running.count == 12)
        #expect(sharing.allSatisfy { $0 >= 1 && $0 <= 2 }, "\(sharing)")
        #expect(running.allSatisfy { $0 <= 4 }, "\(running)")
        #expect(running.contains { $0 >= 2 })  // trials did run side by side
        let devices = try store.trials().map { trial in
            try String(contentsOf: work.appendingPathComponent("device-\(trial.configuration.values[0].plainText)"), encoding: .utf8)
        }
        #expect(Set(devices) == ["device=0\n", "device=1\n"])
    }
}

extension LocalSchedulingTests {
    /// No reachable Slurm controller: one message naming the command and its error, exit 2,
    /// before any trial is counted.
    @Test("--executor slurm without a reachable cluster: one line naming sinfo and its error, exit 2, no trial")
    func unreachableCluster() async throws {
        let work = Fixtures.temporaryDirectory()
        let yaml = SlurmSweep.job(command: "echo accuracy=${{search_space.v}}", values: "v: {type: choice, values: [1]}",
                                  limits: "max_total_trials: 1", extra: "sampling_algorithm: grid")
        try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
        let bogus = work.appendingPathComponent("slurm.conf")
        try "ClusterName=none\nSlurmctldHost=localhost\nSlurmctldPort=1\n".write(to: bogus, atomically: true, encoding: .utf8)
        let output = work.appendingPathComponent("out.txt")
        let process = Process()
        let executable = try #require(HDBenchBinary.executable as URL?)
        process.executableURL = executable
        process.arguments = ["sweep", "job.yml", "--executor", "slurm", "--experiment-dir", work.appendingPathComponent("exp").path]
        process.currentDirectoryURL = work
        process.environment = ProcessInfo.processInfo.environment.merging(["SLURM_CONF": bogus.path]) { $1 }
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try await process.runToExit()
        let printed = try String(contentsOf: output, encoding: .utf8)
        #expect(process.terminationStatus == 2, "\(printed)")
        #expect(printed.contains("--executor slurm: sinfo failed") && printed.contains("Unable to contact slurm controller"), "\(printed)")
        let trials = (try? ExperimentStore.open(existing: work.appendingPathComponent("exp")).trials()) ?? []
        #expect(trials.isEmpty)
    }
}
