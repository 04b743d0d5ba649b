public import Foundation
public import Optimizer

/// What a sweep starts from besides its YAML: configurations to run first (`--enqueue FILE`)
/// and trials of earlier experiments for the sampler (`--warm-start DIR`). Read and checked
/// before anything runs; the ``SweepRunner`` records both in the store.
public struct SweepStart: Sendable {
    /// Configurations run first, in order, each once (counted in `max_total_trials`).
    public var enqueued: [Configuration]
    /// Earlier experiments' trials, per source folder.
    public var warmStart: [WarmStartRecord]

    public init(enqueued: [Configuration] = [], warmStart: [WarmStartRecord] = []) {
        self.enqueued = enqueued
        self.warmStart = warmStart
    }

    /// Reads an enqueue file: JSON lines, one object per configuration naming every parameter
    /// of `space` (`{"lr": 0.01, "layers": 2}`); blank lines are skipped.
    ///
    /// - Throws: ``ConfigurationError`` with one problem per bad line, its path `FILE:LINE`,
    ///   naming each parameter and value that is wrong: not JSON, not an object, an unknown or
    ///   missing parameter, a value of the wrong type or outside the space; more configurations
    ///   than `maxTotalTrials`.
    public static func readEnqueue(_ file: URL, displayPath: String, space: SearchSpace, maxTotalTrials: Int) throws(ConfigurationError) -> [Configuration] {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigurationError(path: "--enqueue", message: "cannot read \(displayPath) (\(error.localizedDescription))")
        }
        var problems: [ConfigurationProblem] = []
        var configurations: [Configuration] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            let place = "\(displayPath):\(index + 1)"
            let object: [String: EnqueuedValue]
            do {
                object = try JSONDecoder().decode([String: EnqueuedValue].self, from: Data(trimmed.utf8))
            } catch {
                let isJSON = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8), options: [.fragmentsAllowed])) != nil
                problems.append(.init(path: place, message: isJSON ? "is not a JSON object; give one object per line naming every parameter, e.g. {\"lr\": 0.01}"
                                                                   : "is not valid JSON; give one object per line, e.g. {\"lr\": 0.01}"))
                continue
            }
            var values: [(name: String, value: ParameterValue)] = []
            var lineProblems: [ConfigurationProblem] = []
            for name in object.keys.sorted() {
                switch object[name]! {
                case .value(let v): values.append((name, v))
                case .other(let what):
                    if space[name] == nil {
                        values.append((name, .string("")))  // reported as unknown below
                    } else {
                        lineProblems.append(.init(path: name, message: "\(what) is not a value of this parameter (\(space[name]!.typeName))"))
                    }
                }
            }
            switch space.configuration(validating: values) {
            case .success(let configuration):
                if lineProblems.isEmpty { configurations.append(configuration) }
            case .failure(let error):
                // A parameter whose value was of no type at all is not also "missing".
                let named = Set(lineProblems.map(\.path))
                lineProblems += error.problems.filter { !named.contains($0.path) }
            }
            // One message per bad line, naming each parameter and value that is wrong.
            if !lineProblems.isEmpty {
                problems.append(.init(path: place, message: lineProblems.map(\.description).joined(separator: "; ")))
            }
        }
        if problems.isEmpty && configurations.count > maxTotalTrials {
            problems.append(.init(path: displayPath, message: "holds \(configurations.count) configurations but max_total_trials is \(maxTotalTrials); enqueued configurations count as trials, so enqueue at most \(maxTotalTrials) or raise limits.max_total_trials"))
        }
        if !problems.isEmpty { throw ConfigurationError(problems) }
        return configurations
    }

    /// Reads a warm-start source: the completed trials of the experiment in `directory` with a
    /// finite primary-metric value, mapped onto `space` (``WarmStart/map(_:onto:source:)``).
    ///
    /// The source must record the same primary metric (its values are observations of the same
    /// quantity); its goal may differ: each trial's value is then its best report under *this*
    /// sweep's goal, and the summary says so.
    ///
    /// - Throws: ``ConfigurationError`` (path `--warm-start`) when the folder holds no readable
    ///   experiment, or one with another primary metric.
    public static func readWarmStart(_ directory: URL, displayPath: String, space: SearchSpace, objective: Objective) throws(ConfigurationError) -> WarmStartRecord {
        let results: [TrialResult]
        let source: Objective
        do {
            let store = try ExperimentStore.open(existing: directory)
            guard let experiment = try store.experiment() else { throw ExperimentStoreError.notAnExperiment(directory.path) }
            source = experiment.objective
            results = try store.results()
        } catch {
            throw ConfigurationError(path: "--warm-start \(displayPath)", message: "\(error)")
        }
        guard source.primaryMetric == objective.primaryMetric else {
            throw ConfigurationError(path: "--warm-start \(displayPath)", message: "its primary metric is '\(source.primaryMetric)' but this sweep's is '\(objective.primaryMetric)'; a warm start needs observations of the same metric")
        }
        let trials = results.filter { $0.trial.status == .completed }.compactMap { result -> WarmStartTrial? in
            let value = source.goal == objective.goal ? result.value : TrialResult.rankingValue(of: result.history, goal: objective.goal)
            return value.map { WarmStartTrial(configuration: result.trial.configuration, value: $0) }
        }
        var (used, summary) = WarmStart.map(trials, onto: space, source: displayPath)
        summary.goalDiffers = source.goal != objective.goal
        return WarmStartRecord(path: displayPath, summary: summary, trials: used)
    }
}

/// One value of an enqueue line: a parameter value, or something that cannot be one.
private enum EnqueuedValue: Decodable {
    case value(ParameterValue)
    case other(String)

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            var entries: [ParameterValue.NamedValue] = []
            for key in keyed.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                switch try keyed.decode(EnqueuedValue.self, forKey: key) {
                case .value(let v): entries.append(.init(name: key.stringValue, value: v))
                case .other(let what): self = .other("a mapping holding \(what)"); return
                }
            }
            self = .value(.mapping(entries))
            return
        }
        if (try? decoder.unkeyedContainer()) != nil { self = .other("an array"); return }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .other("null"); return }
        if let b = try? single.decode(Bool.self) { self = .other(b ? "true" : "false"); return }
        if let i = try? single.decode(Int.self) { self = .value(.int(i)); return }
        if let d = try? single.decode(Double.self) { self = .value(.double(d)); return }
        self = .value(.string(try single.decode(String.self)))
    }
}
