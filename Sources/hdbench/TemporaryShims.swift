// TEMPORARY until space branch — the lead deletes this file at merge.
//
// Stand-ins for `SweepDefinition(yaml:baseDirectory:extensions:)`, `makeSampler(_:space:)` and
// the early-termination policies, just enough for `hdbench sweep` to run a sweep whose search
// space is made of `choice` parameters (tried in odometer order whatever the algorithm).
import Foundation
import Optimizer
import Synchronization
import Yams

/// TEMPORARY: the choices of the last parsed definition (the placeholder SearchSpace holds none).
private let temporaryChoices = Mutex<[(name: String, values: [ParameterValue])]>([])

extension SweepDefinition {
    /// TEMPORARY until space branch.
    init(yaml text: String, baseDirectory: URL, extensions: Bool) throws {
        guard let root = try Yams.load(yaml: text) as? [String: Any] else {
            throw ConfigurationError(path: "", message: "the YAML must be a mapping")
        }
        guard let trial = root["trial"] as? [String: Any], let command = trial["command"] as? String else {
            throw ConfigurationError(path: "trial.command", message: "missing")
        }
        func resolve(_ path: String) -> URL {
            path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path).standardizedFileURL
        }
        let code = (trial["code"] as? String).map(resolve) ?? baseDirectory
        let environment = ((trial["environment_variables"] as? [String: Any]) ?? [:])
            .sorted { $0.key < $1.key }.map { (name: $0.key, value: "\($0.value)") }
        let inputs = ((root["inputs"] as? [String: Any]) ?? [:]).sorted { $0.key < $1.key }.map { entry -> (name: String, value: String) in
            if let mapping = entry.value as? [String: Any], let path = mapping["path"] as? String { return (entry.key, resolve(path).path) }
            let text = "\(entry.value)"
            return (entry.key, text.hasPrefix("./") || text.hasPrefix("../") ? resolve(text).path : text)
        }
        let outputs = ((root["outputs"] as? [String: Any]) ?? [:]).keys.sorted()
        guard let space = root["search_space"] as? [String: Any], !space.isEmpty else {
            throw ConfigurationError(path: "search_space", message: "missing")
        }
        var choices: [(name: String, values: [ParameterValue])] = []
        for name in space.keys.sorted() {
            guard let expression = space[name] as? [String: Any], (expression["type"] as? String)?.lowercased() == "choice",
                  let values = expression["values"] as? [Any] else {
                throw ConfigurationError(path: "search_space.\(name)", message: "the temporary shim supports only `type: choice`")
            }
            choices.append((name, values.map { value in
                if let integer = value as? Int { return .int(integer) }
                if let real = value as? Double { return .double(real) }
                return .string("\(value)")
            }))
        }
        temporaryChoices.withLock { $0 = choices }
        guard let objective = root["objective"] as? [String: Any], let metric = objective["primary_metric"] as? String,
              let goal = PrimaryMetricGoal(rawValue: ((objective["goal"] as? String) ?? "").lowercased()) else {
            throw ConfigurationError(path: "objective", message: "needs goal and primary_metric")
        }
        guard let limits = root["limits"] as? [String: Any], let total = limits["max_total_trials"] as? Int else {
            throw ConfigurationError(path: "limits.max_total_trials", message: "missing")
        }
        func seconds(_ key: String) -> Double? {
            (limits[key] as? Double) ?? (limits[key] as? Int).map(Double.init)
        }
        self = .temporaryMemberwise(
            sourceYAML: text, baseDirectory: baseDirectory,
            trial: TrialSpec(command: command, codeDirectory: code, environmentVariables: environment),
            inputs: inputs, outputs: outputs, sampling: .grid,
            objective: Objective(goal: goal, primaryMetric: metric), earlyTermination: nil,
            limits: Limits(maxTotalTrials: total, maxConcurrentTrials: limits["max_concurrent_trials"] as? Int,
                           timeout: seconds("timeout"), trialTimeout: seconds("trial_timeout")),
            extensions: extensions,
            warnings: root["early_termination"] == nil ? [] : ["early_termination is ignored until the policies land (temporary shim)"])
    }
}

/// TEMPORARY until space branch: odometer over the choices of the last parsed definition.
func makeSampler(_ sampling: SamplingAlgorithm, space: SearchSpace) throws -> any Sampler {
    TemporaryGridSampler(choices: temporaryChoices.withLock { $0 })
}

/// TEMPORARY until policies branch.
func makeEarlyTerminationHook(_ spec: EarlyTerminationSpec?, goal: PrimaryMetricGoal) -> EarlyTerminationHook? {
    nil
}

private struct TemporaryGridSampler: Sampler {
    let choices: [(name: String, values: [ParameterValue])]

    func suggest(history: SamplerHistory, trialIndex: Int) throws -> Configuration? {
        var remainder = trialIndex
        var values: [ParameterValue] = []
        for choice in choices.reversed() {
            values.append(choice.values[remainder % choice.values.count])
            remainder /= choice.values.count
        }
        guard remainder == 0 else { return nil }
        return Configuration(names: choices.map(\.name), values: values.reversed())
    }
}
