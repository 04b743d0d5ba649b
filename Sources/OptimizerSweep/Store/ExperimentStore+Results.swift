import Foundation
import Optimizer

extension ExperimentStore {
    /// Every trial with its ranking value and primary-metric history.
    public func results() throws -> [TrialResult] {
        guard let experiment = try experiment() else { throw ExperimentStoreError.notAnExperiment(directory.path) }
        let goal = experiment.objective.goal
        let trials = try trials()
        let primary = try metrics(name: experiment.objective.primaryMetric)
        let histories = Dictionary(grouping: primary.filter { !$0.duplicate }, by: \.trial)
        let decisions = Dictionary(try stopDecisions().map { ($0.trial, $0) }, uniquingKeysWith: { a, _ in a })
        return trials.map { trial in
            let history = histories[trial.id] ?? []
            return TrialResult(trial: trial, value: TrialResult.rankingValue(of: history, goal: goal),
                               history: history, stopDecision: decisions[trial.id])
        }
    }

    /// The best trial: best value under the goal, earliest trial on ties; `nil` when no trial
    /// logged a finite primary-metric value.
    public func best() throws -> TrialResult? {
        guard let experiment = try experiment() else { throw ExperimentStoreError.notAnExperiment(directory.path) }
        return TrialResult.best(of: try results(), goal: experiment.objective.goal)
    }
}

extension TrialResult {
    /// `hdbench best --json`: keys `trial`, `metric`, `value`, `goal`, `parameters`, `command`,
    /// `folder`, `status`.
    public func bestJSON(objective: Objective) -> JSONValue {
        var entries: [(key: String, value: JSONValue)] = []
        entries.append(("trial", .int(trial.id)))
        entries.append(("metric", .string(objective.primaryMetric)))
        entries.append(("value", value.map(JSONValue.number) ?? .null))
        entries.append(("goal", .string(objective.goal.rawValue)))
        entries.append(("parameters", ParameterJSON.object(trial.configuration)))
        entries.append(("command", trial.command.map(JSONValue.string) ?? .null))
        entries.append(("folder", .string(trial.folder)))
        entries.append(("status", .string(trial.status.rawValue)))
        return .object(entries)
    }

    /// One element of `hdbench export --format json`: keys `trial`, `status`, `parameters`,
    /// `value`, `history`, `reason`, `started`, `ended` (times ISO 8601, UTC).
    public func exportJSON() -> JSONValue {
        let reports: [JSONValue] = history.map(Self.reportJSON)
        var entries: [(key: String, value: JSONValue)] = []
        entries.append(("trial", .int(trial.id)))
        entries.append(("status", .string(trial.status.rawValue)))
        entries.append(("parameters", ParameterJSON.object(trial.configuration)))
        entries.append(("value", value.map(JSONValue.number) ?? .null))
        entries.append(("history", .array(reports)))
        entries.append(("reason", trial.reason.map(JSONValue.string) ?? .null))
        entries.append(("started", trial.started.map { JSONValue.string(Self.iso8601($0)) } ?? .null))
        entries.append(("ended", trial.ended.map { JSONValue.string(Self.iso8601($0)) } ?? .null))
        return .object(entries)
    }

    /// One primary-metric report in `export`'s `history`.
    static func reportJSON(_ report: MetricRecord) -> JSONValue {
        let value: JSONValue = report.value.isFinite ? .number(report.value) : .string("\(report.value)")
        var entries: [(key: String, value: JSONValue)] = []
        entries.append(("report", report.reportIndex.map(JSONValue.int) ?? .null))
        entries.append(("value", value))
        entries.append(("step", report.step.map(JSONValue.int) ?? .null))
        entries.append(("channel", .string(report.channel.rawValue)))
        entries.append(("time", .string(iso8601(report.time))))
        entries.append(("after_stop", .bool(report.afterStop)))
        return .object(entries)
    }

    /// CSV of `results`: one row per trial; columns `trial`, `status`, `value`, one column per
    /// parameter (named as in the search space, in order of first appearance), `reports`,
    /// `reason`, `started`, `ended`, `folder`, `command`. RFC 4180 quoting; nested-choice values
    /// as compact JSON.
    public static func csv(_ results: [TrialResult]) -> String {
        var parameterNames: [String] = []
        for result in results {
            for name in result.trial.configuration.names where !parameterNames.contains(name) { parameterNames.append(name) }
        }
        var lines = [(["trial", "status", "value"] + parameterNames + ["reports", "reason", "started", "ended", "folder", "command"])
            .map(csvField).joined(separator: ",")]
        for result in results {
            let trial = result.trial
            var fields = [String(trial.id), trial.status.rawValue, result.value.map { "\($0)" } ?? ""]
            for name in parameterNames {
                fields.append(trial.configuration[name].map(\.plainText) ?? "")
            }
            fields += [String(result.reportCount), trial.reason ?? "", trial.started.map(iso8601) ?? "",
                       trial.ended.map(iso8601) ?? "", trial.folder, trial.command ?? ""]
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func iso8601(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        style.timeZone = TimeZone(identifier: "UTC") ?? .current
        return date.formatted(style)
    }
}
