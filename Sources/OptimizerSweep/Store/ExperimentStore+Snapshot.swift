import Foundation
internal import GRDB

extension ExperimentStore {
    /// The sweep's code snapshot (``CodeSnapshot``), `nil` before one is taken (and for
    /// experiments recorded before snapshots existed).
    public func codeSnapshot() throws -> CodeSnapshotRecord? {
        try read { db in
            // Read-only opens do not migrate: a store from before snapshots has no such column.
            guard try db.columns(in: "experiment").contains(where: { $0.name == "code_snapshot_json" }),
                  let text = try String.fetchOne(db, sql: "SELECT code_snapshot_json FROM experiment WHERE id = 1") else { return nil }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .secondsSince1970
            return try decoder.decode(CodeSnapshotRecord.self, from: Data(text.utf8))
        }
    }

    /// Records the sweep's code snapshot.
    func setCodeSnapshot(_ record: CodeSnapshotRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .secondsSince1970
        let text = String(decoding: try encoder.encode(record), as: UTF8.self)
        try write { db in
            try db.execute(sql: "UPDATE experiment SET code_snapshot_json = ? WHERE id = 1", arguments: [text])
        }
    }

    /// The command-line overrides the experiment was started with (empty when none).
    public func overrides() throws -> SweepOverrides {
        try read { db in
            var result = SweepOverrides()
            guard try db.tableExists("override") else { return result }
            for row in try Row.fetchAll(db, sql: "SELECT kind, name, value FROM override ORDER BY position") {
                let kind: String = row["kind"]
                if kind == "code" {
                    result.code = row["value"]
                } else {
                    result.inputs.append(SweepOverrides.Input(name: row["name"], value: row["value"]))
                }
            }
            return result
        }
    }

    /// Replaces the recorded overrides.
    func setOverrides(_ overrides: SweepOverrides) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM override")
            var position = 0
            if let code = overrides.code {
                try db.execute(sql: "INSERT INTO override (kind, name, value, position) VALUES ('code', '', ?, ?)",
                               arguments: [code, position])
                position += 1
            }
            for input in overrides.inputs {
                try db.execute(sql: "INSERT INTO override (kind, name, value, position) VALUES ('input', ?, ?, ?)",
                               arguments: [input.name, input.value, position])
                position += 1
            }
        }
    }
}
