public import Foundation
import Testing
public import Optimizer
public import OptimizerSweep
import TestSupport

/// Proposes the given configurations in order, then reports the space used up. Records every
/// history it was shown, so tests can check pending trials.
public struct ListSampler: Sampler {
    public var configurations: [Configuration]
    public let seen: HistoryLog

    public init(_ configurations: [Configuration], log: HistoryLog = HistoryLog()) {
        self.configurations = configurations
        self.seen = log
    }

    public mutating func suggestion(history: SamplerHistory, trialIndex: Int) throws -> Suggestion? {
        seen.append(history)
        return trialIndex < configurations.count ? Suggestion(configurations[trialIndex]) : nil
    }
}

/// Thread-safe list of the histories a sampler was shown.
public final class HistoryLog: Sendable {
    public init() {}
    private let storage = Mutex<[SamplerHistory]>([])
    public func append(_ history: SamplerHistory) { storage.withLock { $0.append(history) } }
    public var all: [SamplerHistory] { storage.withLock { $0 } }
}

/// Thread-safe list of events.
public final class EventLog: Sendable {
    public init() {}
    private let storage = Mutex<[SweepEvent]>([])
    public func append(_ event: SweepEvent) { storage.withLock { $0.append(event) } }
    public var all: [SweepEvent] { storage.withLock { $0 } }
}

import Synchronization

public enum Fixtures {
    public static let trials = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("trials")

    public static func temporaryDirectory(_ label: String = #function) -> URL {
        let name = label.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hdbench-tests")
            .appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    public static func configuration(_ pairs: KeyValuePairs<String, ParameterValue>) -> Configuration {
        Configuration(names: pairs.map(\.key), values: pairs.map(\.value))
    }

    public static func definition(
        command: String,
        code: URL = Fixtures.trials,
        goal: PrimaryMetricGoal = .maximize,
        metric: String = "accuracy",
        limits: Limits,
        environment: [(name: String, value: String)] = [],
        inputs: [(name: String, value: String)] = [],
        outputs: [String] = [],
        yaml: String = ""
    ) -> SweepDefinition {
        SweepDefinition(
            trial: TrialSpec(command: command, codeDirectory: code, environmentVariables: environment),
            searchSpace: SearchSpace(), sampling: .grid,
            objective: Objective(goal: goal, primaryMetric: metric), limits: limits, earlyTermination: nil,
            inputs: inputs, outputs: outputs, baseDirectory: code, extensions: false,
            sourceYAML: yaml, recordedAzureKeys: [], warnings: [])
    }

    public static func runner(
        _ definition: SweepDefinition, configurations: [Configuration], directory: URL,
        options: SweepOptions = SweepOptions(gracePeriod: 0.5),
        hook: EarlyTerminationHook? = nil, log: HistoryLog = HistoryLog()
    ) throws -> SweepRunner {
        SweepRunner(definition: definition, sampler: ListSampler(configurations, log: log),
                    store: try ExperimentStore(directory: directory), options: options,
                    rendering: .standard(for: definition), earlyTermination: hook)
    }

    /// `true` while `pid` exists and is not a zombie.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    public static var hasMLflow: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import mlflow"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

