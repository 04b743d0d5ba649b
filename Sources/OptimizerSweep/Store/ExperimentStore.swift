public import Foundation
internal import GRDB
import Optimizer

/// The experiment's durable record: one SQLite database, `<experiment>/experiment.sqlite`.
///
/// Built on GRDB (the project's SQLite binding: typed rows, versioned migrations, a WAL
/// `DatabasePool`; well tested over Debian's system SQLite 3.40). The database is in WAL mode
/// with `synchronous = NORMAL`: every committed transaction survives a crash or `kill -9` of
/// hdbench (only a power loss can undo the last few), and readers — `hdbench status` while a
/// sweep runs — never block the writer.
///
/// What is stored, written as it happens (see ``ExperimentStore`` tables below): the YAML as
/// given and the resolved configuration; every trial (parameters, status and reason, exit code,
/// times, command as run, folder); every metric value with its channel, step, time, report
/// index and `after_stop` flag; diagnostics; early-termination stop decisions.
///
/// Tables: `experiment` (one row; with the code snapshot's record), `trial`, `metric`,
/// `diagnostic`, `stop_decision`, `suggestion`, `override` (`--code`, `--input`). Times are
/// Unix seconds (REAL). A NaN metric value is stored as NULL (SQLite has no NaN).
public struct ExperimentStore: Sendable {
    /// The experiment folder.
    public let directory: URL
    let pool: DatabasePool

    /// The database file name inside the experiment folder.
    public static let fileName = "experiment.sqlite"

    /// Opens the store in `directory`, creating the folder and database when needed.
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try self.init(directory: directory, create: true)
    }

    /// Opens an existing experiment; throws ``ExperimentStoreError/notAnExperiment(_:)`` when
    /// `directory` holds none.
    public static func open(existing directory: URL) throws -> ExperimentStore {
        let path = directory.appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw ExperimentStoreError.notAnExperiment(directory.path)
        }
        let store = try ExperimentStore(directory: directory, create: false)
        guard try store.experiment() != nil else { throw ExperimentStoreError.notAnExperiment(directory.path) }
        return store
    }

    private init(directory: URL, create: Bool) throws {
        self.directory = directory
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try DatabasePool(path: directory.appendingPathComponent(Self.fileName).path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE experiment (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    yaml TEXT NOT NULL,
                    config_json TEXT NOT NULL,
                    primary_metric TEXT NOT NULL,
                    goal TEXT NOT NULL,
                    status TEXT NOT NULL,
                    reason TEXT,
                    created REAL NOT NULL,
                    updated REAL NOT NULL,
                    version TEXT NOT NULL
                );
                CREATE TABLE trial (
                    id INTEGER PRIMARY KEY,
                    proposal INTEGER NOT NULL,
                    rerun_of INTEGER REFERENCES trial(id),
                    parameters_json TEXT NOT NULL,
                    configuration_json TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('queued','running','completed','failed','cancelled','interrupted')),
                    reason TEXT,
                    exit_code INTEGER,
                    signal INTEGER,
                    pid INTEGER,
                    created REAL NOT NULL,
                    started REAL,
                    ended REAL,
                    command TEXT,
                    folder TEXT NOT NULL
                );
                CREATE TABLE metric (
                    id INTEGER PRIMARY KEY,
                    trial INTEGER NOT NULL REFERENCES trial(id),
                    name TEXT NOT NULL,
                    value REAL,
                    step INTEGER,
                    channel TEXT NOT NULL,
                    time REAL NOT NULL,
                    report_index INTEGER,
                    after_stop INTEGER NOT NULL DEFAULT 0,
                    duplicate INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX metric_by_trial ON metric(trial, name, report_index);
                CREATE TABLE diagnostic (
                    id INTEGER PRIMARY KEY,
                    trial INTEGER REFERENCES trial(id),
                    time REAL NOT NULL,
                    channel TEXT,
                    message TEXT NOT NULL,
                    line TEXT
                );
                CREATE TABLE stop_decision (
                    trial INTEGER PRIMARY KEY REFERENCES trial(id),
                    time REAL NOT NULL,
                    report_count INTEGER NOT NULL,
                    reason TEXT NOT NULL
                );
                """)
        }
        // v2: the executor's handle per trial, and what the sampler said per proposal.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                ALTER TABLE trial ADD COLUMN handle_json TEXT;
                CREATE TABLE suggestion (
                    proposal INTEGER PRIMARY KEY,
                    trial INTEGER NOT NULL REFERENCES trial(id),
                    time REAL NOT NULL,
                    diagnostics_json TEXT NOT NULL,
                    state_json TEXT
                );
                """)
        }
        // v3-azure: the sweep's code snapshot and the command-line overrides it ran with
        // (--code, --input), so --resume and the reproduce line use the same code and values.
        migrator.registerMigration("v3-azure") { db in
            try db.execute(sql: """
                ALTER TABLE experiment ADD COLUMN code_snapshot_json TEXT;
                CREATE TABLE override (
                    kind TEXT NOT NULL CHECK (kind IN ('code','input')),
                    name TEXT NOT NULL,
                    value TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (kind, name)
                );
                """)
        }
        return migrator
    }

    // MARK: - Writing (the sweep runner)

    /// Records the experiment when the store is new; otherwise checks it is the same sweep
    /// (same YAML, same objective) and returns the stored record.
    @discardableResult
    func initialize(_ record: ExperimentRecord) throws -> ExperimentRecord {
        try pool.write { db in
            if let existing = try Self.fetchExperiment(db) {
                guard existing.yaml == record.yaml, existing.objective == record.objective else {
                    throw ExperimentStoreError.differentSweep(directory.path)
                }
                return existing
            }
            try db.execute(sql: """
                INSERT INTO experiment (id, yaml, config_json, primary_metric, goal, status, reason, created, updated, version)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.yaml, record.configurationJSON, record.objective.primaryMetric,
                                 record.objective.goal.rawValue, record.status.rawValue, record.reason,
                                 record.created.timeIntervalSince1970, record.updated.timeIntervalSince1970, record.version])
            return record
        }
    }

    func setExperimentStatus(_ status: ExperimentRecord.Status, reason: String?, configurationJSON: String? = nil) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE experiment SET status = ?, reason = ?, updated = ?, config_json = COALESCE(?, config_json) WHERE id = 1",
                           arguments: [status.rawValue, reason, Date().timeIntervalSince1970, configurationJSON])
        }
    }

    /// Inserts or replaces a trial row.
    func save(_ trial: TrialRecord) throws {
        let parameters = ParameterJSON.object(trial.configuration).serialized()
        let configuration = String(decoding: try JSONEncoder().encode(trial.configuration), as: UTF8.self)
        let handle = try trial.handle.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO trial (id, proposal, rerun_of, parameters_json, configuration_json, status, reason,
                    exit_code, signal, pid, created, started, ended, command, folder, handle_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [trial.id, trial.proposal, trial.rerunOf, parameters, configuration, trial.status.rawValue,
                                 trial.reason, trial.exitCode, trial.signal, trial.pid, trial.created.timeIntervalSince1970,
                                 trial.started?.timeIntervalSince1970, trial.ended?.timeIntervalSince1970, trial.command, trial.folder,
                                 handle])
        }
    }

    /// Records what the sampler said about a proposal (replacing an earlier record of it).
    func save(_ suggestion: SuggestionRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let diagnostics = String(decoding: try encoder.encode(suggestion.diagnostics), as: UTF8.self)
        let state = try suggestion.state.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO suggestion (proposal, trial, time, diagnostics_json, state_json) VALUES (?, ?, ?, ?, ?)",
                           arguments: [suggestion.proposal, suggestion.trial, suggestion.time.timeIntervalSince1970, diagnostics, state])
        }
    }

    /// Appends metric values, diagnostics and stop decisions in one transaction.
    func append(metrics: [MetricRecord], diagnostics: [DiagnosticRecord] = [], stopDecisions: [StopDecisionRecord] = []) throws {
        if metrics.isEmpty && diagnostics.isEmpty && stopDecisions.isEmpty { return }
        try pool.write { db in
            for metric in metrics {
                try db.execute(sql: """
                    INSERT INTO metric (trial, name, value, step, channel, time, report_index, after_stop, duplicate)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [metric.trial, metric.name, metric.value.isNaN ? nil : metric.value, metric.step,
                                     metric.channel.rawValue, metric.time.timeIntervalSince1970, metric.reportIndex,
                                     metric.afterStop, metric.duplicate])
            }
            for diagnostic in diagnostics {
                try db.execute(sql: "INSERT INTO diagnostic (trial, time, channel, message, line) VALUES (?, ?, ?, ?, ?)",
                               arguments: [diagnostic.trial, diagnostic.time.timeIntervalSince1970,
                                           diagnostic.channel?.rawValue, diagnostic.message, diagnostic.line])
            }
            for decision in stopDecisions {
                try db.execute(sql: "INSERT OR REPLACE INTO stop_decision (trial, time, report_count, reason) VALUES (?, ?, ?, ?)",
                               arguments: [decision.trial, decision.time.timeIntervalSince1970, decision.reportCount, decision.reason])
            }
        }
    }

    // MARK: - Reading

    /// The experiment row, `nil` before ``initialize(_:)``.
    public func experiment() throws -> ExperimentRecord? {
        try pool.read { db in try Self.fetchExperiment(db) }
    }

    /// Every trial, by id.
    public func trials() throws -> [TrialRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM trial ORDER BY id").map(Self.trial(from:))
        }
    }

    /// Metric values in the order they were stored, optionally of one trial and/or one name.
    public func metrics(trial: Int? = nil, name: String? = nil) throws -> [MetricRecord] {
        try pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let trial { conditions.append("trial = ?"); arguments += [trial] }
            if let name { conditions.append("name = ?"); arguments += [name] }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: "SELECT * FROM metric \(filter) ORDER BY id", arguments: arguments).map { row in
                let value: Double? = row["value"]
                let channel: String = row["channel"]
                return MetricRecord(
                    trial: row["trial"], name: row["name"], value: value ?? .nan, step: row["step"],
                    channel: MetricChannel(rawValue: channel) ?? .stdout, time: Self.date(row["time"]) ?? Date(timeIntervalSince1970: 0),
                    reportIndex: row["report_index"], afterStop: row["after_stop"], duplicate: row["duplicate"])
            }
        }
    }

    /// Every diagnostic, oldest first.
    public func diagnostics() throws -> [DiagnosticRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM diagnostic ORDER BY id").map { row in
                let channel: String? = row["channel"]
                return DiagnosticRecord(trial: row["trial"], time: Self.date(row["time"]) ?? Date(timeIntervalSince1970: 0),
                                        channel: channel.flatMap(MetricChannel.init(rawValue:)),
                                        message: row["message"], line: row["line"])
            }
        }
    }

    /// What the sampler said about each proposal, by proposal index (empty for experiments
    /// recorded before suggestions were stored).
    public func suggestions() throws -> [SuggestionRecord] {
        try pool.read { db in
            guard try db.tableExists("suggestion") else { return [] }
            let decoder = JSONDecoder()
            return try Row.fetchAll(db, sql: "SELECT * FROM suggestion ORDER BY proposal").map { row in
                let diagnostics: String = row["diagnostics_json"]
                let state: String? = row["state_json"]
                return SuggestionRecord(
                    proposal: row["proposal"], trial: row["trial"], time: Self.date(row["time"]) ?? Date(timeIntervalSince1970: 0),
                    diagnostics: try decoder.decode([SamplerDiagnostic].self, from: Data(diagnostics.utf8)),
                    state: try state.map { try decoder.decode(SamplerState.self, from: Data($0.utf8)) })
            }
        }
    }

    /// Every early-termination stop decision, by trial.
    public func stopDecisions() throws -> [StopDecisionRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM stop_decision ORDER BY trial").map { row in
                StopDecisionRecord(trial: row["trial"], time: Self.date(row["time"]) ?? Date(timeIntervalSince1970: 0),
                                   reportCount: row["report_count"], reason: row["reason"])
            }
        }
    }

    // MARK: - Row mapping

    private static func fetchExperiment(_ db: Database) throws -> ExperimentRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM experiment WHERE id = 1") else { return nil }
        let goal: String = row["goal"]
        let status: String = row["status"]
        return ExperimentRecord(
            yaml: row["yaml"], configurationJSON: row["config_json"],
            objective: Objective(goal: PrimaryMetricGoal(rawValue: goal) ?? .maximize, primaryMetric: row["primary_metric"]),
            status: ExperimentRecord.Status(rawValue: status) ?? .running, reason: row["reason"],
            created: date(row["created"]) ?? Date(timeIntervalSince1970: 0),
            updated: date(row["updated"]) ?? Date(timeIntervalSince1970: 0), version: row["version"])
    }

    private static func trial(from row: Row) throws -> TrialRecord {
        let configurationJSON: String = row["configuration_json"]
        let configuration = try JSONDecoder().decode(Configuration.self, from: Data(configurationJSON.utf8))
        let status: String = row["status"]
        let handleJSON: String? = row["handle_json"]
        let handle = handleJSON.flatMap { try? JSONDecoder().decode(TrialHandle.self, from: Data($0.utf8)) }
        return TrialRecord(
            id: row["id"], proposal: row["proposal"], rerunOf: row["rerun_of"], configuration: configuration,
            status: TrialStatus(rawValue: status) ?? .failed, reason: row["reason"], exitCode: row["exit_code"],
            signal: row["signal"], pid: row["pid"], handle: handle, created: date(row["created"]) ?? Date(timeIntervalSince1970: 0),
            started: date(row["started"]), ended: date(row["ended"]), command: row["command"], folder: row["folder"])
    }

    private static func date(_ seconds: Double?) -> Date? {
        seconds.map(Date.init(timeIntervalSince1970:))
    }
}

/// Why an experiment folder could not be used.
public enum ExperimentStoreError: Error, Sendable, CustomStringConvertible {
    /// No `experiment.sqlite` (or an empty one) in the folder.
    case notAnExperiment(String)
    /// `--resume` with a YAML or objective other than the one the experiment was started with.
    case differentSweep(String)
    /// Another hdbench process is running this experiment.
    case busy(String)

    public var description: String {
        switch self {
        case .notAnExperiment(let path):
            return "\(path) holds no hdbench experiment (no \(ExperimentStore.fileName)); pass the folder `hdbench sweep` printed"
        case .differentSweep(let path):
            return "\(path) was started with a different sweep YAML or objective; resume with the original YAML, or pick a new --experiment-dir"
        case .busy(let path):
            return "another hdbench process is running the experiment in \(path); wait for it or stop it first"
        }
    }
}
