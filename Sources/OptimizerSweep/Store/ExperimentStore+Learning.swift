import Foundation
internal import GRDB
public import Optimizer

/// One `--warm-start` folder as recorded: where it was, what was made of its trials, and the
/// observations the sampler was given (in this sweep's search space).
public struct WarmStartRecord: Sendable, Hashable {
    /// The source experiment folder, as given.
    public var path: String
    /// Trials offered, used, dropped and skipped.
    public var summary: WarmStartSummary
    /// The trials used, in this sweep's space.
    public var trials: [WarmStartTrial]

    public init(path: String, summary: WarmStartSummary, trials: [WarmStartTrial]) {
        self.path = path
        self.summary = summary
        self.trials = trials
    }
}

extension ExperimentStore {
    /// Records what the sweep starts from, once: the `--enqueue` queue and the `--warm-start`
    /// sources with their observations. A resumed sweep reads them back (``enqueued()``,
    /// ``warmStart()``) instead of the files and folders, which may have changed since.
    func recordStart(enqueued: [Optimizer.Configuration], warmStart: [WarmStartRecord]) throws {
        guard !enqueued.isEmpty || !warmStart.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let queue = try enqueued.map(json)
        let sources = try warmStart.map { (try json($0.summary), try $0.trials.map { (try json($0.configuration), $0.value) }) }
        try write { db in
            for (position, configuration) in queue.enumerated() {
                try db.execute(sql: "INSERT INTO enqueued (position, configuration_json) VALUES (?, ?)", arguments: [position, configuration])
            }
            for (position, (record, (summary, trials))) in zip(warmStart, sources).enumerated() {
                try db.execute(sql: "INSERT INTO warm_start_source (position, path, summary_json) VALUES (?, ?, ?)",
                               arguments: [position, record.path, summary])
                for (configuration, value) in trials {
                    try db.execute(sql: "INSERT INTO warm_start_trial (source, configuration_json, value) VALUES (?, ?, ?)",
                                   arguments: [position, configuration, value])
                }
            }
        }
    }

    /// The `--enqueue` queue recorded when the sweep started, in order (empty when none, or for
    /// a store written before v4).
    public func enqueued() throws -> [Optimizer.Configuration] {
        try read { db in
            guard try db.tableExists("enqueued") else { return [] }
            return try String.fetchAll(db, sql: "SELECT configuration_json FROM enqueued ORDER BY position").map {
                try JSONDecoder().decode(Optimizer.Configuration.self, from: Data($0.utf8))
            }
        }
    }

    /// The `--warm-start` sources recorded when the sweep started, in the order given, each with
    /// the observations the sampler was given.
    public func warmStart() throws -> [WarmStartRecord] {
        try read { db in
            guard try db.tableExists("warm_start_source") else { return [] }
            let decoder = JSONDecoder()
            // One query for every source's trials (grouped here), so that a read of the warm
            // start always reads the whole table.
            var trials: [Int: [WarmStartTrial]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT source, configuration_json, value FROM warm_start_trial ORDER BY id") {
                let configuration: String = row["configuration_json"]
                trials[row["source"], default: []].append(
                    WarmStartTrial(configuration: try decoder.decode(Optimizer.Configuration.self, from: Data(configuration.utf8)), value: row["value"]))
            }
            var records: [WarmStartRecord] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM warm_start_source ORDER BY position") {
                let summary: String = row["summary_json"]
                records.append(WarmStartRecord(path: row["path"], summary: try decoder.decode(WarmStartSummary.self, from: Data(summary.utf8)),
                                               trials: trials[row["position"]] ?? []))
            }
            return records
        }
    }
}
