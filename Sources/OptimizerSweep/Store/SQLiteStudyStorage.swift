public import Foundation
internal import GRDB
public import Optimizer

/// A ``StudyStorage`` in an SQLite file, so a ``Study`` continues across launches of an app:
///
/// ```swift
/// let storage = try SQLiteStudyStorage(file: URL(fileURLWithPath: "tuning.sqlite"), study: "lr-search")
/// var study = try Study(space: space, goal: .maximize, sampler: .bayesian(seed: 7), storage: storage)
/// let trial = try study.ask()      // recorded before it is handed out
/// study.tell(trial, value: score)  // recorded as it happens
/// ```
///
/// The file is the experiment store's sibling, not the experiment store: a sweep's
/// `experiment.sqlite` records processes, logs and metric lines, a study records its
/// ask/tell steps (``StudyEvent``). One file holds any number of studies, by name, in one table
/// `study_event (id, study, time, event_json)`; each step is one committed transaction (WAL,
/// `synchronous = NORMAL`, as the experiment store), so a crash loses nothing that was recorded.
/// Keep it next to an experiment (`<experiment>/study.sqlite`) or anywhere else.
///
/// The `Optimizer` library has no SQLite: this type lives in `OptimizerSweep`, which links GRDB.
public final class SQLiteStudyStorage: StudyStorage, Sendable {
    /// The database file.
    public let file: URL
    /// The study's name in the file.
    public let study: String
    private let pool: DatabasePool

    /// Opens (creating when needed) `file` and the study named `study` in it.
    public init(file: URL, study: String = "default") throws {
        self.file = file
        self.study = study
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try DatabasePool(path: file.path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("study-v1") { db in
            try db.execute(sql: """
                CREATE TABLE study_event (
                    id INTEGER PRIMARY KEY,
                    study TEXT NOT NULL,
                    time REAL NOT NULL,
                    event_json TEXT NOT NULL
                );
                CREATE INDEX study_event_by_study ON study_event(study, id);
                """)
        }
        try migrator.migrate(pool)
    }

    public func events() throws -> [StudyEvent] {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let rows = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT event_json FROM study_event WHERE study = ? ORDER BY id", arguments: [study])
        }
        return try rows.map { try decoder.decode(StudyEvent.self, from: Data($0.utf8)) }
    }

    public func append(_ event: StudyEvent) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = String(decoding: try encoder.encode(event), as: UTF8.self)
        try pool.write { db in
            try db.execute(sql: "INSERT INTO study_event (study, time, event_json) VALUES (?, ?, ?)",
                           arguments: [study, Date().timeIntervalSince1970, json])
        }
    }
}
