import ArgumentParser
import Dispatch
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench sweep JOB.yml`: runs an Azure ML `type: sweep` job on this machine.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a sweep job (Azure ML v2 `type: sweep` YAML) on this machine.",
        discussion: """
            The code folder (trial.code or --code) is snapshotted once into <experiment>/snapshot \
            (.amlignore, else .gitignore, excludes files); each trial runs in its own copy, \
            <experiment>/trials/<id>/workdir/, with ./outputs and ./logs, and has its own folder \
            <experiment>/trials/<id>/ (stdout.log, stderr.log, metrics.jsonl, mlruns/, \
            outputs/<name>/). Everything is recorded as it happens in \
            <experiment>/experiment.sqlite. The default experiment folder is \
            ./experiments/<yaml name>-<yyyyMMdd-HHmmss>; it is printed first. Ctrl-C cancels the \
            running trials (marked interrupted); `--resume` continues the sweep, running interrupted \
            trials' parameters again.
            """)

    @Argument(help: "The sweep job YAML.")
    var job: String

    @Option(name: .customLong("experiment-dir"), help: "Experiment folder (default ./experiments/<yaml name>-<timestamp>; with --resume, the newest of those).")
    var experimentDirectory: String?

    @Option(name: .customLong("max-concurrent"), help: "Trials run at once (overrides limits.max_concurrent_trials).")
    var maxConcurrent: Int?

    // `.unconditional` so that `--grace-period -1` reaches validate() (and gets its message)
    // instead of being read as a missing value followed by an unknown flag.
    @Option(name: .customLong("grace-period"), parsing: .unconditional,
            help: "Seconds between SIGTERM and SIGKILL when a trial is cancelled (0 to 86400).")
    var gracePeriod: Double = 5

    @Flag(help: "Continue an interrupted sweep in its experiment folder.")
    var resume = false

    @Flag(help: "Print only the final summary.")
    var quiet = false

    @OptionGroup var jobOptions: JobOptions

    @Option(name: .customLong("working-copy"), help: ArgumentHelp("How each trial's copy of the code snapshot is made: auto (reflinks where the filesystem can, else small files copied and files of 1 MiB or more hard-linked), copy, or link (hard links).", valueName: "mode"))
    var workingCopy: WorkingCopyArgument = .auto

    @Flag(name: .customLong("azureml-run-shim"), inversion: .prefixedNo,
          help: "Put hdbench's offline azureml.core.Run module first on trials' PYTHONPATH, so HyperDrive v1 scripts' run.log(...) metrics arrive (it shadows an installed azureml-core inside trials).")
    var azuremlRunShim = true

    @Option(help: "Where trials run: local (processes on this machine) or slurm (one batch job per trial; the trial folders must be on a filesystem the compute nodes share).")
    var executor: ExecutorKind = .local

    @Option(name: .customLong("slurm-option"), help: ArgumentHelp("An sbatch option for every trial job, passed as --NAME=VALUE (repeatable), e.g. partition=gpu.", valueName: "NAME=VALUE"))
    var slurmOptions: [String] = []

    @Option(name: .customLong("trial-root"), help: "Folder for the trial folders (default <experiment>/trials); with --executor slurm, a shared filesystem.")
    var trialRoot: String?

    @Option(name: .customLong("max-retries"), help: "Run a trial that failed (non-zero exit, signal, lost node) again, up to N times; cancellations are never retried.")
    var maxRetries: Int = 0

    @Option(help: ArgumentHelp("Accelerators for local trials, e.g. 0,1,2,3: each running trial gets one in CUDA_VISIBLE_DEVICES (and HIP_/ROCR_VISIBLE_DEVICES); at most one trial per device unless --trials-per-gpu.", valueName: "IDS"))
    var gpus: String?

    @Option(name: .customLong("trials-per-gpu"), help: "Trials sharing each device of --gpus.")
    var trialsPerGPU: Int = 1

    @Option(name: .customLong("gpus-per-trial"), help: "With --executor slurm: GPUs each trial job asks for (--gres=gpu:N).")
    var gpusPerTrial: Int?

    @OptionGroup var startOptions: StartOptions

    enum ExecutorKind: String, ExpressibleByArgument, CaseIterable {
        case local, slurm
    }

    /// `--gpus` × `--trials-per-gpu` as slots.
    var deviceSlots: [String] {
        guard let gpus else { return [] }
        let devices = gpus.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return (0..<trialsPerGPU).flatMap { _ in devices }
    }

    /// Azure's `resources.instance_count` (recorded, as Azure-only keys are, as compact text).
    static func instanceCount(_ definition: SweepDefinition) -> Int? {
        for key in definition.recordedAzureKeys where key.path == "resources" || key.path == "trial.resources" {
            if let match = key.value.firstMatch(of: /instance_count"?\s*:\s*"?(\d+)/), let count = Int(match.1) { return count }
        }
        return nil
    }

    func validate() throws {
        if let maxConcurrent, maxConcurrent < 1 { throw ValidationError("--max-concurrent must be ≥ 1") }
        if maxRetries < 0 || maxRetries > 100 { throw ValidationError("--max-retries \(maxRetries) must be from 0 to 100") }
        if trialsPerGPU < 1 { throw ValidationError("--trials-per-gpu \(trialsPerGPU) must be ≥ 1") }
        if let gpus, gpus.split(separator: ",").isEmpty || gpus.split(separator: ",", omittingEmptySubsequences: false).contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--gpus '\(gpus)' must be a comma-separated list of device ids, e.g. 0,1")
        }
        if let gpusPerTrial, gpusPerTrial < 1 { throw ValidationError("--gpus-per-trial \(gpusPerTrial) must be ≥ 1") }
        if gpusPerTrial != nil && executor != .slurm { throw ValidationError("--gpus-per-trial needs --executor slurm (local trials take --gpus)") }
        for option in slurmOptions where !option.contains("=") || option.hasPrefix("=") {
            throw ValidationError("--slurm-option '\(option)' must be NAME=VALUE, e.g. partition=gpu")
        }
        if !slurmOptions.isEmpty && executor != .slurm { throw ValidationError("--slurm-option needs --executor slurm") }
        if !(gracePeriod >= 0 && gracePeriod <= Self.maximumGracePeriod) {
            throw ValidationError("--grace-period \(gracePeriod): must be a number of seconds from 0 to \(Int(Self.maximumGracePeriod)) (1 day), e.g. --grace-period 5")
        }
    }

    /// The longest grace period accepted: one day.
    static let maximumGracePeriod: Double = 86_400

    func run() async throws {
        let jobURL = URL(fileURLWithPath: job).standardizedFileURL
        // Everything the command line can get wrong is checked before anything is created.
        var definition = try jobOptions.load(job)
        if !azuremlRunShim { definition.azuremlRunShim = false }
        try startOptions.applyTarget(to: &definition)
        if resume && startOptions.givesStart {
            throw usageError([ConfigurationProblem(path: startOptions.enqueue != nil ? "--enqueue" : "--warm-start", message: "applies when a sweep starts; a resumed sweep runs the rest of the queue and keeps the warm start recorded when it started (resume without it)")])
        }
        let start = try startOptions.read(for: definition)
        let sampler = try definition.makeSweepSampler()
        let directory = try chooseDirectory(job: jobURL, node: definition.pipelineNode)
        if resume, let existing = try? ExperimentStore.open(existing: directory) {
            // A resumed sweep runs with the overrides it started with.
            let stored = try existing.overrides()
            let storedNode = try existing.experiment()?.resolvedConfiguration?.pipelineNode
            if storedNode != definition.pipelineNode {
                throw usageError([ConfigurationProblem(path: "--node", message: "\(directory.path) ran \(storedNode.map { "pipeline node '\($0)'" } ?? "no pipeline node"); resume it with the same --node")])
            }
            if definition.overrides.isEmpty {
                definition = try jobOptions.apply(stored, to: definition)
            } else if definition.overrides != stored {
                let was = stored.isEmpty ? "no --code or --input" : stored.commandLineArguments
                throw usageError([ConfigurationProblem(path: "", message: "\(directory.path) was started with \(was); resume it without --code and --input (the recorded ones are used) or with the same ones")])
            }
        }
        if let message = definition.unresolvedAssetsMessage {
            throw usageError([ConfigurationProblem(path: "", message: message)])
        }
        let store = try ExperimentStore(directory: directory)
        if !resume, !(try store.trials().isEmpty) {
            throw CLIError("\(directory.path) already holds an experiment; pass --resume to continue it, or choose another --experiment-dir")
        }
        if resume, let unreadable = try store.unreadableRows().first {
            // Resuming would number new trials past the readable ones and could overwrite an
            // unreadable trial's row and folder.
            throw ExperimentStoreError.damaged(directory.path, detail: "\(unreadable) (read commands skip such rows; a resumed sweep could overwrite them)", lastGoodTrial: nil)
        }
        var options = SweepOptions(maxConcurrentTrials: maxConcurrent, gracePeriod: gracePeriod, workingCopy: workingCopy.mode)
        options.maxRetries = maxRetries
        options.deviceSlots = deviceSlots
        options.trialRoot = trialRoot.map { URL(fileURLWithPath: $0).standardizedFileURL }
        let trialExecutor: any TrialExecutor
        switch executor {
        case .local:
            // This process runs nothing but trials: it may reap every child.
            trialExecutor = LocalProcessExecutor(adoptsOrphans: true)
        case .slurm:
            let nodes = Self.instanceCount(definition)
            let slurm = SlurmExecutor(configuration: .init(
                options: slurmOptions.map { option in
                    let parts = option.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
                },
                nodes: nodes, gpusPerTrial: gpusPerTrial, gracePeriod: gracePeriod))
            do {
                try slurm.checkAvailable()
            } catch {
                throw CLIError("--executor slurm: \(error)", exitCode: 2)
            }
            trialExecutor = slurm
        }
        let runner = SweepRunner(definition: definition, sampler: sampler, store: store, options: options,
                                 rendering: .standard(for: definition),
                                 earlyTermination: .forSpec(definition.earlyTermination),
                                 executor: trialExecutor, start: start)

        print("experiment: \(directory.path)")
        for warning in definition.warnings { print("warning: \(warning)") }
        for line in start.summaryLines { print(line) }
        flushOutput()

        // A closed stdout (`| head`) must not kill hdbench and orphan its trials; trials get
        // SIGPIPE's default back when spawned.
        signal(SIGPIPE, SIG_IGN)
        let signals = Self.forwardSignals(to: runner)
        defer { signals.forEach { $0.cancel() } }
        let display = SweepDisplay(
            mode: quiet ? .quiet : SweepDisplay.Mode.forStandardOutput(),
            objective: definition.objective, totalTrials: Self.totalTrials(definition),
            history: resume ? ((try? store.results()) ?? []) : [])
        let summary: SweepSummary
        do {
            summary = try await runner.run(events: { display.send($0) })
        } catch {
            await display.finish()
            throw error
        }
        await display.finish()
        Swift.print(SummaryFormatter.summary(summary, definition: definition))
        flushOutput()
        switch summary.status {
        case .completed, .timedOut, .running: break
        case .interrupted: throw ExitCode(130)
        case .failed: throw ExitCode.failure
        }
    }

    /// Trials the sweep will run: max_total_trials, or fewer when the space is finite and smaller.
    static func totalTrials(_ definition: SweepDefinition) -> Int {
        let budget = definition.limits.maxTotalTrials
        guard definition.searchSpace.isFinite, !definition.searchSpace.parameters.isEmpty,
              let size = definition.searchSpace.cardinality else { return budget }
        return min(budget, size)
    }

    /// `--experiment-dir`, or `./experiments/<yaml name>[-<node>]-<timestamp>` (with `--resume`,
    /// the newest of those).
    private func chooseDirectory(job: URL, node: String?) throws -> URL {
        if let experimentDirectory {
            return URL(fileURLWithPath: experimentDirectory).standardizedFileURL
        }
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("experiments")
        let stem = job.deletingPathExtension().lastPathComponent + (node.map { "-" + $0 } ?? "")
        if resume {
            let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [])
                .filter { $0.hasPrefix(stem + "-") }.sorted()
            guard let newest = candidates.last else {
                throw CLIError("no experiment to resume under \(base.path)/\(stem)-*; pass --experiment-dir")
            }
            return base.appendingPathComponent(newest)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        var candidate = base.appendingPathComponent("\(stem)-\(formatter.string(from: Date()))")
        var suffix = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = base.appendingPathComponent("\(stem)-\(formatter.string(from: Date()))-\(suffix)")
            suffix += 1
        }
        return candidate
    }

    /// SIGINT / SIGTERM stop the sweep politely (trials cancelled and marked interrupted).
    private static func forwardSignals(to runner: SweepRunner) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            let name = signalNumber == SIGINT ? "SIGINT" : "SIGTERM"
            source.setEventHandler {
                FileHandle.standardError.write(Data("hdbench: \(name) received; cancelling running trials…\n".utf8))
                Task { await runner.requestStop(reason: name) }
            }
            source.resume()
            return source
        }
    }
}

enum SummaryFormatter {
    static func summary(_ summary: SweepSummary, definition: SweepDefinition) -> String {
        var lines: [String] = []
        let reason = summary.reason.map { ": \($0)" } ?? ""
        lines.append("sweep \(summary.status.rawValue)\(reason) (\(Format.seconds(summary.elapsed)))")
        let counts = summary.countsByStatus
        let parts = TrialStatus.allCases.compactMap { status in counts[status].map { "\($0) \(status.rawValue)" } }
        lines.append("trials: \(parts.isEmpty ? "none" : parts.joined(separator: ", "))")
        if definition.earlyTermination != nil {
            let savings = ComputeSavings(trials: summary.trials.map(ComputeSavings.TrialUsage.init(result:)))
            lines.append("early termination: \(savings.summary)")
        }
        if let best = summary.best, let value = best.value {
            lines += BestTrialDescription(
                trial: best.trial.id, status: best.trial.status, objective: summary.objective, value: value,
                configuration: best.trial.configuration, folder: best.trial.folder, command: best.trial.command,
                codeDirectory: definition.trial.codeDirectory.path,
                environmentVariables: definition.trial.environmentVariables).lines
        } else {
            lines.append("best: none (no trial logged \(summary.objective.primaryMetric))")
        }
        lines.append("experiment: \(summary.directory.path)")
        lines.append("report: hdbench report \(shellQuoted(summary.directory.path))")
        return lines.joined(separator: "\n")
    }
}

enum Format {
    static func parameters(_ configuration: Configuration) -> String {
        zip(configuration.names, configuration.values)
            .map { "\($0)=\($1.plainText)" }
            .joined(separator: " ")
    }

    static func seconds(_ value: TimeInterval) -> String {
        String(format: "%.1f s", value)
    }

    static func duration(_ trial: TrialRecord) -> String {
        guard let started = trial.started, let ended = trial.ended else { return "" }
        return " (\(seconds(ended.timeIntervalSince(started))))"
    }
}

/// A user-facing error: one readable line, non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    /// 1 by default; 2 for input the command cannot use (as for an invalid YAML).
    let exitCode: Int32
    init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}

func flushOutput() {
    fflush(nil)
}
