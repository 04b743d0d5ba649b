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
/// Tables: `experiment` (one row; with the code snapshot's record), `trial` (with its `origin`:
/// `sampler` or `enqueued`), `metric`, `diagnostic`, `stop_decision`, `suggestion`, `override`
/// (`--code`, `--input`), `enqueued` (the `--enqueue` queue), `warm_start_source` and
/// `warm_start_trial` (the `--warm-start` observations). Times are
/// Unix seconds (REAL). A NaN metric value is stored as NULL (SQLite has no NaN).
public struct ExperimentStore: Sendable {
    /// The experiment folder.
    public let directory: URL
    let access: Access

    /// How the database is reached: a read-write pool (the sweep), or a fresh read-only
    /// connection per read (every other command; see ``open(existing:)``).
    enum Access: Sendable {
        case readWrite(DatabasePool)
        case readOnly(URL)
    }

    /// The database file name inside the experiment folder.
    public static let fileName = "experiment.sqlite"

    /// Opens the store in `directory` for a sweep, creating the folder and database when needed.
    ///
    /// Refuses (``ExperimentStoreError/storeMissing(_:reason:)``) a folder that holds a
    /// `trials/` folder but no usable `experiment.sqlite` (missing or empty): a new sweep there
    /// would overwrite the earlier trials' logs. A damaged database is
    /// ``ExperimentStoreError/damaged(_:detail:lastGoodTrial:)``.
    public init(directory: URL) throws {
        try Self.refuseOrphanedTrials(in: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        let file = directory.appendingPathComponent(Self.fileName)
        if FileManager.default.fileExists(atPath: file.path) {
            try Self.checkHeader(of: file, directory: directory)
        }
        do {
            var configuration = GRDB.Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            let pool = try DatabasePool(path: file.path, configuration: configuration)
            try Self.migrator.migrate(pool)
            access = .readWrite(pool)
        } catch {
            throw Self.storeError(error, directory: directory, file: file)
        }
    }

    /// Opens an existing experiment **read-only**: nothing in the folder is created or written
    /// (no `-wal`/`-shm` files, no migration), so it works on a read-only folder and never
    /// disturbs a running sweep.
    ///
    /// Each read opens its own read-only SQLite connection: with `mode=ro` while the
    /// write-ahead log exists (a sweep is running, or was killed), else with `immutable=1` —
    /// with no log the database file is quiescent, and SQLite would otherwise create `-wal`
    /// and `-shm` files even for a read-only connection.
    ///
    /// - Throws: ``ExperimentStoreError/notAnExperiment(_:)`` when `directory` holds none;
    ///   ``ExperimentStoreError/storeMissing(_:reason:)`` when it holds trials but no usable
    ///   store; ``ExperimentStoreError/damaged(_:detail:lastGoodTrial:)`` when the database
    ///   cannot be read.
    public static func open(existing directory: URL) throws -> ExperimentStore {
        let file = directory.appendingPathComponent(fileName)
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? nil
        guard let size, size > 0 else {
            try refuseOrphanedTrials(in: directory)
            throw ExperimentStoreError.notAnExperiment(directory.path)
        }
        try checkHeader(of: file, directory: directory)
        let store = ExperimentStore(directory: directory, access: .readOnly(file))
        let experiment = try store.read { db -> ExperimentRecord? in
            guard try db.tableExists("experiment"), try db.tableExists("trial") else {
                throw ExperimentStoreError.damaged(directory.path, detail: "it has no experiment or trial table", lastGoodTrial: nil)
            }
            return try Self.fetchExperiment(db)
        }
        guard experiment != nil else {
            if hasTrialFolders(directory) {
                throw ExperimentStoreError.damaged(directory.path, detail: "it records no experiment, yet trials/ holds trial folders", lastGoodTrial: nil)
            }
            throw ExperimentStoreError.notAnExperiment(directory.path)
        }
        return store
    }

    private init(directory: URL, access: Access) {
        self.directory = directory
        self.access = access
    }

    /// Runs `body` on a connection; database errors become ``ExperimentStoreError``s.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            switch access {
            case .readWrite(let pool):
                return try pool.read(body)
            case .readOnly(let file):
                let queue = try Self.readOnlyQueue(file)
                return try queue.read(body)
            }
        } catch {
            throw Self.storeError(error, directory: directory, file: databaseFile)
        }
    }

    /// Runs `body` in a write transaction (the sweep runner only).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard case .readWrite(let pool) = access else {
            throw ExperimentStoreError.readOnly(directory.path)
        }
        do {
            return try pool.write(body)
        } catch {
            throw Self.storeError(error, directory: directory, file: databaseFile)
        }
    }

    var databaseFile: URL { directory.appendingPathComponent(Self.fileName) }

    private static func readOnlyQueue(_ file: URL) throws -> DatabaseQueue {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let logExists = FileManager.default.fileExists(atPath: file.path + "-wal")
        // A URI filename (SQLite is built with SQLITE_USE_URI on Debian); %, ? and # must be escaped.
        var path = ""
        for scalar in file.path.unicodeScalars {
            switch scalar {
            case "%": path += "%25"
            case "?": path += "%3f"
            case "#": path += "%23"
            default: path.unicodeScalars.append(scalar)
            }
        }
        return try DatabaseQueue(path: "file:\(path)?\(logExists ? "mode=ro" : "immutable=1")", configuration: configuration)
    }

    /// The SQLite header; anything else in `experiment.sqlite` is damage, said before SQLite
    /// says "file is not a database".
    private static func checkHeader(of file: URL, directory: URL) throws {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return }
        if header != Data("SQLite format 3\u{0}".utf8) {
            throw ExperimentStoreError.damaged(directory.path, detail: "it is not an SQLite database (its first bytes are not the SQLite header)", lastGoodTrial: nil)
        }
    }

    static func hasTrialFolders(_ directory: URL) -> Bool {
        let trials = directory.appendingPathComponent("trials")
        return !((try? FileManager.default.contentsOfDirectory(atPath: trials.path)) ?? []).isEmpty
    }

    /// A folder with trial folders but no usable store was an experiment whose store was lost.
    private static func refuseOrphanedTrials(in directory: URL) throws {
        let file = directory.appendingPathComponent(fileName)
        guard hasTrialFolders(directory) else { return }
        if !FileManager.default.fileExists(atPath: file.path) {
            throw ExperimentStoreError.storeMissing(directory.path, reason: "\(fileName) is missing")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        if size == 0 {
            throw ExperimentStoreError.storeMissing(directory.path, reason: "\(fileName) is empty")
        }
    }

    /// `error` as one readable ``ExperimentStoreError``: SQLite's corruption codes as
    /// ``ExperimentStoreError/damaged(_:detail:lastGoodTrial:)`` with the last trial that can
    /// still be read, when one can.
    static func storeError(_ error: any Error, directory: URL, file: URL) -> any Error {
        if error is ExperimentStoreError { return error }
        if let problem = error as? RowProblem {
            return ExperimentStoreError.damaged(directory.path, detail: problem.text, lastGoodTrial: lastGoodTrial(file))
        }
        guard let error = error as? DatabaseError else { return error }
        let detail = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_FORMAT:
            return ExperimentStoreError.damaged(directory.path, detail: detail, lastGoodTrial: lastGoodTrial(file))
        case .SQLITE_ERROR where detail.contains("no such table") || detail.contains("no such column") || detail.contains("malformed"):
            return ExperimentStoreError.damaged(directory.path, detail: detail, lastGoodTrial: lastGoodTrial(file))
        default:
            return ExperimentStoreError.unreadable(directory.path, detail: "SQLite error \(error.resultCode.rawValue): \(detail)")
        }
    }

    /// The highest trial id read before the database fails, by a read-only scan in id order.
    private static func lastGoodTrial(_ file: URL) -> Int? {
        guard let queue = try? readOnlyQueue(file) else { return nil }
        var last: Int?
        _ = try? queue.read { db in
            let cursor = try Int.fetchCursor(db, sql: "SELECT id FROM trial ORDER BY id")
            while let id = try cursor.next() { last = id }
        }
        return last
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
        // v4: where each trial's configuration came from (the sampler, or `--enqueue`), and the
        // queue and the warm start as recorded when the sweep started (so `--resume` runs the
        // rest of the queue and the sampler knows what it knew). A sweep ended by its target
        // says so in experiment.reason, as other ends do.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                ALTER TABLE trial ADD COLUMN origin TEXT NOT NULL DEFAULT 'sampler';
                CREATE TABLE enqueued (
                    position INTEGER PRIMARY KEY,
                    configuration_json TEXT NOT NULL
                );
                CREATE TABLE warm_start_source (
                    position INTEGER PRIMARY KEY,
                    path TEXT NOT NULL,
                    summary_json TEXT NOT NULL
                );
                CREATE TABLE warm_start_trial (
                    id INTEGER PRIMARY KEY,
                    source INTEGER NOT NULL REFERENCES warm_start_source(position),
                    configuration_json TEXT NOT NULL,
                    value REAL NOT NULL
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
        try write { db in
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
        try write { db in
            try db.execute(sql: "UPDATE experiment SET status = ?, reason = ?, updated = ?, config_json = COALESCE(?, config_json) WHERE id = 1",
                           arguments: [status.rawValue, reason, Date().timeIntervalSince1970, configurationJSON])
        }
    }

    /// Inserts or replaces a trial row.
    func save(_ trial: TrialRecord) throws {
        let parameters = ParameterJSON.object(trial.configuration).serialized()
        let configuration = String(decoding: try JSONEncoder().encode(trial.configuration), as: UTF8.self)
        let handle = try trial.handle.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        // An upsert, not INSERT OR REPLACE: REPLACE deletes the old row first, and with foreign
        // keys on SQLite then looks for rows referencing it in diagnostic, suggestion and
        // trial.rerun_of, which have no index on those columns: a scan of three growing tables
        // per save, three saves per trial, O(n²) over a sweep (a 10,000-trial sweep slowed from
        // ~90 to ~25 trials/s). Updating in place checks nothing that grows.
        try write { db in
            try db.execute(sql: """
                INSERT INTO trial (id, proposal, rerun_of, parameters_json, configuration_json, status, reason,
                    exit_code, signal, pid, created, started, ended, command, folder, handle_json, origin)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET proposal = excluded.proposal, rerun_of = excluded.rerun_of,
                    parameters_json = excluded.parameters_json, configuration_json = excluded.configuration_json,
                    status = excluded.status, reason = excluded.reason, exit_code = excluded.exit_code,
                    signal = excluded.signal, pid = excluded.pid, created = excluded.created, started = excluded.started,
                    ended = excluded.ended, command = excluded.command, folder = excluded.folder, handle_json = excluded.handle_json,
                    origin = excluded.origin
                """, arguments: [trial.id, trial.proposal, trial.rerunOf, parameters, configuration, trial.status.rawValue,
                                 trial.reason, trial.exitCode, trial.signal, trial.pid, trial.created.timeIntervalSince1970,
                                 trial.started?.timeIntervalSince1970, trial.ended?.timeIntervalSince1970, trial.command, trial.folder,
                                 handle, trial.origin.rawValue])
        }
    }

    /// Records what the sampler said about a proposal (replacing an earlier record of it).
    func save(_ suggestion: SuggestionRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let diagnostics = String(decoding: try encoder.encode(suggestion.diagnostics), as: UTF8.self)
        let state = try suggestion.state.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO suggestion (proposal, trial, time, diagnostics_json, state_json) VALUES (?, ?, ?, ?, ?)",
                           arguments: [suggestion.proposal, suggestion.trial, suggestion.time.timeIntervalSince1970, diagnostics, state])
        }
    }

    /// Appends metric values, diagnostics and stop decisions in one transaction.
    func append(metrics: [MetricRecord], diagnostics: [DiagnosticRecord] = [], stopDecisions: [StopDecisionRecord] = []) throws {
        if metrics.isEmpty && diagnostics.isEmpty && stopDecisions.isEmpty { return }
        try write { db in
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
        try read { db in try Self.fetchExperiment(db) }
    }

    /// Every readable trial, by id. A row that cannot be decoded (say, its configuration is not
    /// valid JSON) is left out; ``unreadableRows()`` names it.
    public func trials() throws -> [TrialRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM trial ORDER BY id").compactMap { try? Self.trial(from: $0) }
        }
    }

    /// Metric values in the order they were stored, optionally of one trial and/or one name.
    /// Rows that cannot be decoded are left out (``unreadableRows()`` names them).
    public func metrics(trial: Int? = nil, name: String? = nil) throws -> [MetricRecord] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let trial { conditions.append("trial = ?"); arguments += [trial] }
            if let name { conditions.append("name = ?"); arguments += [name] }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: "SELECT * FROM metric \(filter) ORDER BY id", arguments: arguments)
                .compactMap { try? Self.metric(from: $0) }
        }
    }

    /// Every readable diagnostic, oldest first.
    public func diagnostics() throws -> [DiagnosticRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM diagnostic ORDER BY id").compactMap { try? Self.diagnostic(from: $0) }
        }
    }

    /// What the sampler said about each proposal, by proposal index (empty for experiments
    /// recorded before suggestions were stored).
    public func suggestions() throws -> [SuggestionRecord] {
        try read { db in
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

    /// Every readable early-termination stop decision, by trial.
    public func stopDecisions() throws -> [StopDecisionRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM stop_decision ORDER BY trial").compactMap { try? Self.stopDecision(from: $0) }
        }
    }

    /// One line per stored row that the reading functions leave out because it cannot be
    /// decoded, naming its trial and what is wrong (`trial 3: configuration_json is not valid
    /// JSON`). Empty for a healthy store.
    public func unreadableRows() throws -> [String] {
        try read { db in
            var lines: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM trial ORDER BY id") {
                do { _ = try Self.trial(from: row) } catch {
                    let id: Int? = try? row.decode(forColumn: "id")
                    lines.append("trial \(id.map(String.init) ?? "with an unreadable id") is unreadable and left out: \(Self.describe(error))")
                }
            }
            // Other tables: SQL picks the rows whose column types differ from what the store
            // writes (a superset of the rows that fail to decode, at C speed), and only those
            // are decoded here to confirm.
            for (table, suspect, decode) in Self.typeChecks {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE \(suspect)") {
                    do { try decode(row) } catch {
                        let trial: Int? = try? row.decode(forColumn: "trial")
                        let owner = trial.map { "trial \($0)" } ?? "the sweep"
                        lines.append("a \(table) row of \(owner) is unreadable and left out: \(Self.describe(error))")
                    }
                }
            }
            return lines
        }
    }

    /// Per table: a SQL condition true for every row some column of which has a storage type
    /// the store never writes there, and the row's decoder.
    private static let typeChecks: [(table: String, suspect: String, decode: @Sendable (Row) throws -> Void)] = [
        ("metric", """
            typeof(trial) != 'integer' OR typeof(name) != 'text' OR typeof(value) NOT IN ('real', 'integer', 'null') \
            OR typeof(step) NOT IN ('integer', 'null') OR typeof(channel) != 'text' OR typeof(time) NOT IN ('real', 'integer') \
            OR typeof(report_index) NOT IN ('integer', 'null') OR typeof(after_stop) != 'integer' OR typeof(duplicate) != 'integer'
            """, { _ = try metric(from: $0) }),
        ("diagnostic", """
            typeof(trial) NOT IN ('integer', 'null') OR typeof(time) NOT IN ('real', 'integer') \
            OR typeof(channel) NOT IN ('text', 'null') OR typeof(message) != 'text' OR typeof(line) NOT IN ('text', 'null')
            """, { _ = try diagnostic(from: $0) }),
        ("stop_decision", """
            typeof(trial) != 'integer' OR typeof(time) NOT IN ('real', 'integer') OR typeof(report_count) != 'integer' \
            OR typeof(reason) != 'text'
            """, { _ = try stopDecision(from: $0) }),
    ]

    // MARK: - Row mapping (throwing: a damaged row is an error for that row, never a crash)

    private static func fetchExperiment(_ db: Database) throws -> ExperimentRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM experiment WHERE id = 1") else { return nil }
        do {
            let goal: String = try column(row, "goal")
            let status: String = try column(row, "status")
            return ExperimentRecord(
                yaml: try column(row, "yaml"), configurationJSON: try column(row, "config_json"),
                objective: Objective(goal: PrimaryMetricGoal(rawValue: goal) ?? .maximize, primaryMetric: try column(row, "primary_metric")),
                status: ExperimentRecord.Status(rawValue: status) ?? .running, reason: try column(row, "reason"),
                created: date(try column(row, "created")) ?? Date(timeIntervalSince1970: 0),
                updated: date(try column(row, "updated")) ?? Date(timeIntervalSince1970: 0),
                version: try column(row, "version"))
        } catch {
            throw RowProblem("the experiment row is unreadable: \(describe(error))")
        }
    }

    private static func trial(from row: Row) throws -> TrialRecord {
        let configurationJSON: String = try column(row, "configuration_json")
        let configuration: Optimizer.Configuration
        do {
            configuration = try JSONDecoder().decode(Optimizer.Configuration.self, from: Data(configurationJSON.utf8))
        } catch {
            throw RowProblem("configuration_json \(describe(error))")
        }
        let status: String = try column(row, "status")
        // Absent from stores written before the executor handle was recorded.
        let handleJSON: String? = row.hasColumn("handle_json") ? try column(row, "handle_json") : nil
        let handle = handleJSON.flatMap { try? JSONDecoder().decode(TrialHandle.self, from: Data($0.utf8)) }
        // Absent from stores written before v4: every trial then came from the sampler.
        let origin: String? = row.hasColumn("origin") ? try column(row, "origin") : nil
        return TrialRecord(
            id: try column(row, "id"), proposal: try column(row, "proposal"), rerunOf: try column(row, "rerun_of"),
            configuration: configuration, status: TrialStatus(rawValue: status) ?? .failed, reason: try column(row, "reason"),
            exitCode: try column(row, "exit_code"), signal: try column(row, "signal"), pid: try column(row, "pid"),
            handle: handle, created: date(try column(row, "created")) ?? Date(timeIntervalSince1970: 0),
            started: date(try column(row, "started")), ended: date(try column(row, "ended")),
            command: try column(row, "command"), folder: try column(row, "folder"),
            origin: origin.flatMap(TrialOrigin.init(rawValue:)) ?? .sampler)
    }

    private static func metric(from row: Row) throws -> MetricRecord {
        let value: Double? = try column(row, "value")
        let channel: String = try column(row, "channel")
        return MetricRecord(
            trial: try column(row, "trial"), name: try column(row, "name"), value: value ?? .nan,
            step: try column(row, "step"), channel: MetricChannel(rawValue: channel) ?? .stdout,
            time: date(try column(row, "time")) ?? Date(timeIntervalSince1970: 0),
            reportIndex: try column(row, "report_index"), afterStop: try column(row, "after_stop"),
            duplicate: try column(row, "duplicate"))
    }

    private static func diagnostic(from row: Row) throws -> DiagnosticRecord {
        let channel: String? = try column(row, "channel")
        return DiagnosticRecord(trial: try column(row, "trial"), time: date(try column(row, "time")) ?? Date(timeIntervalSince1970: 0),
                                channel: channel.flatMap(MetricChannel.init(rawValue:)),
                                message: try column(row, "message"), line: try column(row, "line"))
    }

    private static func stopDecision(from row: Row) throws -> StopDecisionRecord {
        StopDecisionRecord(trial: try column(row, "trial"), time: date(try column(row, "time")) ?? Date(timeIntervalSince1970: 0),
                           reportCount: try column(row, "report_count"), reason: try column(row, "reason"))
    }

    /// The value of `name` in `row`; a value of another type is a ``RowProblem`` naming the
    /// column and what it holds.
    private static func column<Value: DatabaseValueConvertible>(_ row: Row, _ name: String) throws -> Value {
        do {
            return try row.decode(Value.self, forColumn: name)
        } catch {
            let stored: DatabaseValue = row[name]
            var expected = String(describing: Value.self)
            if expected.hasPrefix("Optional<") { expected = String(expected.dropFirst(9).dropLast()) }
            throw RowProblem("column \(name) holds \(stored.description.prefix(80)), not a value of type \(expected)")
        }
    }

    private static func date(_ seconds: Double?) -> Date? {
        seconds.map(Date.init(timeIntervalSince1970:))
    }

    /// What is wrong with a row, in one line (no Swift type dumps).
    static func describe(_ error: any Error) -> String {
        switch error {
        case let problem as RowProblem:
            return problem.text
        case let error as DecodingError:
            func path(_ context: DecodingError.Context) -> String {
                let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                return keys.isEmpty ? "" : " at \(keys.hasPrefix(".") ? String(keys.dropFirst()) : keys)"
            }
            switch error {
            case .dataCorrupted(let context):
                return context.codingPath.isEmpty ? "is not valid JSON" : "has an invalid value\(path(context))"
            case .typeMismatch(let type, let context):
                return "has a value of the wrong type\(path(context)) (expected \(type))"
            case .valueNotFound(_, let context):
                return "lacks a value\(path(context))"
            case .keyNotFound(let key, let context):
                return "lacks the key '\(key.stringValue)'\(path(context))"
            @unknown default:
                return "cannot be decoded"
            }
        default:
            return String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
    }
}

/// A row-level decoding problem, already in words.
struct RowProblem: Error {
    let text: String
    init(_ text: String) { self.text = text }
}

/// Why an experiment folder could not be used.
public enum ExperimentStoreError: Error, Sendable, CustomStringConvertible {
    /// No `experiment.sqlite` (or an empty one) in the folder.
    case notAnExperiment(String)
    /// `--resume` with a YAML or objective other than the one the experiment was started with.
    case differentSweep(String)
    /// Another hdbench process is running this experiment.
    case busy(String)
    /// The folder holds trial folders but its `experiment.sqlite` is missing or empty (`reason`):
    /// starting a sweep there would overwrite the earlier trials' logs.
    case storeMissing(String, reason: String)
    /// `experiment.sqlite` cannot be read as an experiment store; `lastGoodTrial` is the highest
    /// trial id still readable, when any is.
    case damaged(String, detail: String, lastGoodTrial: Int?)
    /// SQLite refused a read or write for a reason other than damage (disk full, I/O error, …).
    case unreadable(String, detail: String)
    /// A write through a store opened read-only by ``ExperimentStore/open(existing:)``.
    case readOnly(String)

    /// The exit code the command line uses: 2 when the folder holds no experiment or its store
    /// is missing or damaged (bad input, as an invalid YAML), 1 otherwise.
    public var exitCode: Int32 {
        switch self {
        case .notAnExperiment, .storeMissing, .damaged: return 2
        default: return 1
        }
    }

    public var description: String {
        switch self {
        case .notAnExperiment(let path):
            return "\(path) holds no hdbench experiment (no \(ExperimentStore.fileName)); pass the folder `hdbench sweep` printed"
        case .differentSweep(let path):
            return "\(path) was started with a different sweep YAML or objective; resume with the original YAML, or pick a new --experiment-dir"
        case .busy(let path):
            return "another hdbench process is running the experiment in \(path); wait for it or stop it first"
        case .storeMissing(let path, let reason):
            return "\(path) holds trials/ from an earlier sweep but \(reason), so it cannot be resumed and a new sweep there would overwrite those trials' logs; restore \(ExperimentStore.fileName) from a backup, or pick a new --experiment-dir"
        case .damaged(let path, let detail, let lastGoodTrial):
            let last = lastGoodTrial.map { ", last good trial \($0)" } ?? ""
            return "\(path)/\(ExperimentStore.fileName) is damaged: \(Self.oneLine(detail))\(last); restore it from a backup, or try `sqlite3 \(ExperimentStore.fileName) .recover` on a copy (the trial folders under trials/ are untouched)"
        case .unreadable(let path, let detail):
            return "cannot use \(path)/\(ExperimentStore.fileName): \(Self.oneLine(detail))"
        case .readOnly(let path):
            return "the experiment store in \(path) was opened read-only; open it with ExperimentStore(directory:) to write"
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
