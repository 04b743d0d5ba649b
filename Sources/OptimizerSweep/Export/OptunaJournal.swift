import Foundation
import Optimizer

/// An experiment as an Optuna journal: the file `optuna.storages.JournalStorage(
/// JournalFileBackend(path))` (Optuna ≥ 4.0; `JournalFileStorage` before) loads as one study.
///
/// The journal is Optuna's operation log, one JSON object per line, replayed in order when a
/// storage opens it (`optuna/storages/journal/_storage.py`). The export writes:
/// - `CREATE_STUDY` (op 0) named after the experiment, direction from the goal
///   (`MINIMIZE` = 1, `MAXIMIZE` = 2);
/// - `SET_STUDY_SYSTEM_ATTR` (op 3) `study:metric_names` = [the primary metric], what
///   `study.set_metric_names` records, and `SET_STUDY_USER_ATTR` (op 2) for hdbench's details;
/// - per trial, one `CREATE_TRIAL` (op 4) carrying the whole trial (state, values, times,
///   distributions, parameters in Optuna's internal form, intermediate values, user attributes),
///   the form `study.add_trial` writes.
///
/// State mapping: `completed` with a value → `COMPLETE` (its value is hdbench's ranking value);
/// stopped by an early-termination policy → `PRUNED` (value: the last report before the stop,
/// as Optuna's `tell` records a pruned trial); `running` → `RUNNING`; `queued` → `WAITING`;
/// `failed`, `interrupted`, cancelled by a timeout, or completed without a finite value → `FAIL`
/// (no value; hdbench's status, reason and value are user attributes).
public struct OptunaJournal: Sendable {
    /// Optuna's `TrialState` values.
    public enum TrialState: Int, Sendable {
        case running = 0, complete = 1, pruned = 2, fail = 3, waiting = 4
    }

    /// The study's name.
    public var studyName: String
    /// The journal's lines, each a JSON object (no trailing newline).
    public private(set) var lines: [String] = []

    /// The worker id written on every line; a loading storage never mistakes it for its own.
    static let workerID = "hdbench-export"

    /// The journal of the experiment in `store`.
    ///
    /// - Complexity: O(trials + reports), one pass over ``ExperimentStore/results()``.
    public init(store: ExperimentStore) throws {
        guard let experiment = try store.experiment() else { throw ExperimentStoreError.notAnExperiment(store.directory.path) }
        let results = try store.results()
        let space = ReportModel.searchSpace(fromYAML: experiment.yaml)
        studyName = Self.studyName(of: experiment, directory: store.directory)
        let distributions = Self.distributions(space: space, results: results)
        let objective = experiment.objective

        append(op: 0, [("study_name", .string(studyName)), ("directions", .array([.int(objective.goal == .maximize ? 2 : 1)]))])
        append(op: 3, [("study_id", .int(0)), ("system_attr", .object([("study:metric_names", .array([.string(objective.primaryMetric)]))]))])
        var studyAttributes: [(key: String, value: JSONValue)] = [
            ("hdbench_experiment", .string(store.directory.path)),
            ("hdbench_version", .string(experiment.version)),
            ("hdbench_status", .string(experiment.status.rawValue)),
            ("hdbench_goal", .string(objective.goal.rawValue)),
        ]
        if let resolved = experiment.resolvedConfiguration {
            studyAttributes.append(("hdbench_sampling", .string(ReportModel.describe(resolved.sampling))))
        }
        for (key, value) in studyAttributes {
            append(op: 2, [("study_id", .int(0)), ("user_attr", .object([(key, value)]))])
        }
        for result in results {
            append(op: 4, Self.createTrial(result, distributions: distributions))
        }
    }

    /// The journal file's text: the lines, each ending in a newline.
    public var text: String { lines.map { $0 + "\n" }.joined() }

    private mutating func append(op: Int, _ fields: [(key: String, value: JSONValue)]) {
        let entries: [(key: String, value: JSONValue)] = [("op_code", .int(op)), ("worker_id", .string(Self.workerID))] + fields
        lines.append(JSONValue.object(entries).serialized(pythonNonFinite: true))
    }

    /// The experiment's name: the YAML's `experiment_name`, else `display_name`, else `name`,
    /// else the experiment folder's name.
    static func studyName(of experiment: ExperimentRecord, directory: URL) -> String {
        let recorded = experiment.resolvedConfiguration?.recordedAzureKeys ?? []
        for key in ["experiment_name", "display_name", "name"] {
            guard let text = recorded.first(where: { $0.name == key })?.value else { continue }
            // Recorded as compact JSON-like text: strings quoted, numbers bare.
            let value = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? String) ?? text
            if !value.isEmpty { return value }
        }
        return directory.lastPathComponent
    }

    /// One distribution per parameter name: from the search space's expression when known,
    /// otherwise inferred from the values; bounds widened to every value trials ran with.
    static func distributions(space: SearchSpace?, results: [TrialResult]) -> [String: OptunaDistribution] {
        var observed: [String: [ParameterValue]] = [:]
        for result in results {
            let configuration = result.trial.configuration
            for (name, value) in zip(configuration.names, configuration.values) { observed[name, default: []].append(value) }
        }
        var distributions: [String: OptunaDistribution] = [:]
        for (name, values) in observed {
            if let expression = space?[name] {
                distributions[name] = OptunaDistribution(expression: expression, observed: values)
            } else {
                distributions[name] = OptunaDistribution(inferredFrom: values)
            }
        }
        return distributions
    }

    /// The Optuna state of `result` (see the type's documentation).
    public static func state(of result: TrialResult) -> TrialState {
        switch result.trial.status {
        case .queued: return .waiting
        case .running: return .running
        case .completed: return result.value == nil ? .fail : .complete
        case .cancelled: return result.stopDecision == nil ? .fail : .pruned
        case .failed, .interrupted: return .fail
        }
    }

    /// Intermediate values by step: each report before any stop at its `step`, or at its
    /// 1-based report number when the script gave none; the first report of a step wins, as
    /// `trial.report` keeps the first.
    public static func intermediateValues(of result: TrialResult) -> [(step: Int, value: Double)] {
        var seen = Set<Int>()
        var values: [(step: Int, value: Double)] = []
        for report in result.history where !report.afterStop {
            guard let step = report.step ?? report.reportIndex, seen.insert(step).inserted else { continue }
            values.append((step, report.value))
        }
        return values
    }

    /// The `CREATE_TRIAL` fields of `result`.
    static func createTrial(_ result: TrialResult, distributions: [String: OptunaDistribution]) -> [(key: String, value: JSONValue)] {
        let trial = result.trial
        let state = state(of: result)
        let intermediate = intermediateValues(of: result)
        var value: Double?
        switch state {
        case .complete: value = result.value
        case .pruned: value = intermediate.last.map(\.value).flatMap { $0.isFinite ? $0 : nil }
        case .running, .fail, .waiting: value = nil
        }
        var fields: [(key: String, value: JSONValue)] = [("study_id", .int(0)), ("state", .int(state.rawValue)), ("value", .null),
                                                         ("values", value.map { .array([.number($0)]) } ?? .null)]
        fields.append(("datetime_start", state == .waiting ? .null : .string(isoformat(trial.started ?? trial.created))))
        if state != .running, state != .waiting {
            fields.append(("datetime_complete", .string(isoformat(trial.ended ?? trial.started ?? trial.created))))
        }
        var distributionFields: [(key: String, value: JSONValue)] = []
        var parameterFields: [(key: String, value: JSONValue)] = []
        for (name, parameter) in zip(trial.configuration.names, trial.configuration.values) {
            guard let distribution = distributions[name], let internalValue = distribution.internalValue(of: parameter) else { continue }
            distributionFields.append((name, .string(distribution.json)))
            parameterFields.append((name, .number(internalValue)))
        }
        fields.append(("distributions", .object(distributionFields)))
        fields.append(("params", .object(parameterFields)))
        fields.append(("user_attrs", .object(userAttributes(of: result))))
        fields.append(("system_attrs", .object([])))
        fields.append(("intermediate_values", .object(intermediate.map { (String($0.step), .number($0.value)) })))
        return fields
    }

    /// hdbench's details of a trial that Optuna has no field for.
    static func userAttributes(of result: TrialResult) -> [(key: String, value: JSONValue)] {
        let trial = result.trial
        var attributes: [(key: String, value: JSONValue)] = [
            ("hdbench_trial", .int(trial.id)), ("hdbench_status", .string(trial.status.rawValue)),
        ]
        if let value = result.value { attributes.append(("hdbench_value", .number(value))) }
        if let reason = trial.reason { attributes.append(("hdbench_reason", .string(reason))) }
        if let stop = result.stopDecision { attributes.append(("hdbench_stop_reason", .string(stop.reason))) }
        if let exitCode = trial.exitCode { attributes.append(("hdbench_exit_code", .int(Int(exitCode)))) }
        if let signal = trial.signal { attributes.append(("hdbench_signal", .int(Int(signal)))) }
        if let handle = trial.handle {
            attributes.append(("hdbench_executor", .string(handle.executor)))
            attributes.append(("hdbench_run_id", .string(handle.identifier)))
            if let host = handle.host { attributes.append(("hdbench_host", .string(host))) }
        }
        if let rerunOf = trial.rerunOf { attributes.append(("hdbench_rerun_of", .int(rerunOf))) }
        if let command = trial.command { attributes.append(("hdbench_command", .string(command))) }
        attributes.append(("hdbench_folder", .string(trial.folder)))
        let afterStop = result.history.lazy.filter(\.afterStop).count
        if afterStop > 0 { attributes.append(("hdbench_reports_after_stop", .int(afterStop))) }
        return attributes
    }

    /// `datetime.isoformat(timespec="microseconds")` of a UTC time: `2026-12-05T09:05:49.123456+00:00`.
    static func isoformat(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let seconds = date.timeIntervalSince1970
        let micros = Int(((seconds - seconds.rounded(.down)) * 1_000_000).rounded(.down))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1,
                      parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, min(micros, 999_999))
    }
}
