import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Experiment folders that are not what a read command expects: lost, empty, read-only or
/// damaged stores, through the real binary.
@Suite("Experiment stores: missing, read-only, damaged (real binary)", .serialized)
struct StoreHardeningTests {
    static let yaml = """
        type: sweep
        trial: {command: 'echo accuracy=0.${{search_space.v}}'}
        search_space: {v: {type: choice, values: [1, 2, 3, 4]}}
        sampling_algorithm: grid
        objective: {goal: maximize, primary_metric: accuracy}
        limits: {max_total_trials: 4, max_concurrent_trials: 2}

        """

    /// A finished 4-trial sweep in `<work>/exp`; returns both folders.
    static func recordedSweep(_ label: String = #function) throws -> (work: URL, experiment: URL) {
        let work = Fixtures.temporaryDirectory(label)
        try yaml.write(to: work.appendingPathComponent("job.yml"), atomically: true, encoding: .utf8)
        let experiment = work.appendingPathComponent("exp")
        let run = try HDBenchRun.run(["sweep", "job.yml", "--experiment-dir", experiment.path, "--quiet"], in: work)
        try #require(run.status == 0 && !run.signalled, "\(run)")
        return (work, experiment)
    }

    /// Runs SQL on a store with Python's sqlite3 (a separate SQLite client, as a user's repair
    /// attempt or a damaged disk would be); closing it checkpoints the write-ahead log.
    static func python(_ script: String, in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.currentDirectoryURL = directory
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 failed: \(script)")
    }

    /// Every read command, with arguments that write nothing into the experiment folder.
    static func readCommands(_ experiment: URL, report: URL) -> [[String]] {
        [["status", experiment.path], ["best", experiment.path], ["best", experiment.path, "--json"],
         ["export", experiment.path, "--format", "json"], ["export", experiment.path, "--format", "csv"],
         ["report", experiment.path, "-o", report.path], ["replay", experiment.path, "--policy", "none"]]
    }

    /// Relative path → bytes of every file under `folder`, except SQLite's shared-memory index
    /// (`-shm`), which readers update by design (it holds their read marks, not data).
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            let relative = String(url.path.dropFirst(folder.path.count))
            files[relative] = relative.hasSuffix("-shm") ? Data() : try Data(contentsOf: url)
        }
        return files
    }

    // MARK: - B. --resume without a usable store

    @Test("--resume on a folder whose experiment.sqlite is missing or empty is refused, and the old logs survive")
    func resumeWithoutStoreIsRefused() throws {
        for damage in ["missing", "empty"] {
            let (work, experiment) = try Self.recordedSweep("resume\(damage)")
            let store = experiment.appendingPathComponent("experiment.sqlite")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + suffix) }
            if damage == "empty" { _ = FileManager.default.createFile(atPath: store.path, contents: Data()) }
            let log = experiment.appendingPathComponent("trials/0/stdout.log")
            let before = try Data(contentsOf: log)
            let trialsBefore = try FileManager.default.contentsOfDirectory(atPath: experiment.appendingPathComponent("trials").path).sorted()
            for arguments in [["sweep", "job.yml", "--experiment-dir", experiment.path, "--resume"],
                              ["sweep", "job.yml", "--experiment-dir", experiment.path]] {
                let run = try HDBenchRun.run(arguments, in: work)
                #expect(run.status == 2 && !run.signalled, "\(damage): \(run)")
                #expect(run.stderrLines.count == 1, "\(damage): \(run)")
                #expect(run.stderr.contains(experiment.path) && run.stderr.contains("experiment.sqlite is \(damage)"), "\(run)")
                #expect(try Data(contentsOf: log) == before, "\(damage): trial 0's log was overwritten")
                #expect(try FileManager.default.contentsOfDirectory(atPath: experiment.appendingPathComponent("trials").path).sorted() == trialsBefore)
            }
        }
    }

    // MARK: - C. Read-only experiments

    @Test("read commands create no file and change no byte of the store (with and without a write-ahead log)")
    func readCommandsNeverWrite() throws {
        let (work, experiment) = try Self.recordedSweep()
        // As the sweep left it (hdbench exits with the log in place), then checkpointed by
        // another SQLite client (no -wal, no -shm: the case where SQLite would create them).
        for state in ["after the sweep", "checkpointed"] {
            if state == "checkpointed" {
                try Self.python("import sqlite3; c = sqlite3.connect('exp/experiment.sqlite'); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()", in: work)
                #expect(!FileManager.default.fileExists(atPath: experiment.appendingPathComponent("experiment.sqlite-wal").path))
            }
            let before = try Self.snapshot(experiment)
            for arguments in Self.readCommands(experiment, report: work.appendingPathComponent("r.html")) {
                let run = try HDBenchRun.run(arguments, in: work)
                #expect(run.status == 0, "\(state): \(arguments): \(run)")
                let after = try Self.snapshot(experiment)
                #expect(after.keys.sorted() == before.keys.sorted(), "\(state): \(arguments) changed the files: \(before.keys.sorted()) → \(after.keys.sorted())")
                #expect(after == before, "\(state): \(arguments) changed the store's bytes")
            }
        }
    }

    @Test("every read command works on a read-only mount (root ignores chmod, so a tmpfs is remounted read-only)")
    func readCommandsWorkOnAReadOnlyMount() throws {
        let (work, experiment) = try Self.recordedSweep()
        let checkpointed = work.appendingPathComponent("checkpointed")
        try FileManager.default.copyItem(at: experiment, to: checkpointed)
        try Self.python("import sqlite3; c = sqlite3.connect('checkpointed/experiment.sqlite'); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()", in: work)

        let mountPoint = work.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        guard Self.shell("mount -t tmpfs -o size=16m hdbench-ro-test '\(mountPoint.path)'") == 0 else {
            print("skipped readCommandsWorkOnAReadOnlyMount: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
            return
        }
        defer { _ = Self.shell("umount '\(mountPoint.path)'") }
        for name in ["exp", "checkpointed"] {
            try FileManager.default.copyItem(at: work.appendingPathComponent(name), to: mountPoint.appendingPathComponent(name))
        }
        try #require(Self.shell("mount -o remount,ro '\(mountPoint.path)'") == 0, "cannot remount the tmpfs read-only")
        try #require(!FileManager.default.createFile(atPath: mountPoint.appendingPathComponent("probe").path, contents: Data()),
                     "the mount is still writable")
        for name in ["exp", "checkpointed"] {
            let folder = mountPoint.appendingPathComponent(name)
            for arguments in Self.readCommands(folder, report: work.appendingPathComponent("r.html")) {
                let run = try HDBenchRun.run(arguments, in: work)
                #expect(run.status == 0, "\(name) on a read-only mount: \(arguments): \(run)")
            }
            let status = try HDBenchRun.run(["status", folder.path], in: work)
            #expect(status.stdout.contains("trials: 4 completed"), "\(status)")
            // The default report location is in the read-only folder: one line saying so and what to do.
            let report = try HDBenchRun.run(["report", folder.path], in: work)
            #expect(report.status != 0 && report.stderrLines.count == 1 && report.stderr.contains("-o FILE"), "\(report)")
        }
    }

    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>/dev/null"]
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    // MARK: - D. Damaged stores

    @Test("trial rows with a garbage configuration and a metric row of the wrong type are skipped with a warning naming the trial; every command still works")
    func badRowsAreSkipped() throws {
        let (work, experiment) = try Self.recordedSweep()
        try Self.python("""
            import sqlite3
            c = sqlite3.connect('exp/experiment.sqlite')
            c.execute("UPDATE trial SET configuration_json = 'garbage{' WHERE id = 1")
            c.execute("UPDATE trial SET configuration_json = '{\\"names\\":[\\"v\\"],\\"values\\":[\\"x\\"]}' WHERE id = 2")
            c.execute("UPDATE metric SET value = 'abc' WHERE trial = 0")
            c.commit(); c.close()
            """, in: work)
        for arguments in Self.readCommands(experiment, report: work.appendingPathComponent("r.html")) {
            let run = try HDBenchRun.run(arguments, in: work)
            #expect(run.status == 0, "\(arguments): \(run)")
            let warnings = run.stderrLines
            #expect(warnings.count == 3, "\(arguments): \(run)")
            #expect(warnings.contains { $0.contains("trial 1 is unreadable") && $0.contains("not valid JSON") }, "\(run)")
            #expect(warnings.contains { $0.contains("trial 2 is unreadable") && $0.contains("values[0]") }, "\(run)")
            #expect(warnings.contains { $0.contains("a metric row of trial 0 is unreadable") && $0.contains("column value holds \"abc\"") }, "\(run)")
            #expect(!run.stderr.contains("DecodingError") && !run.stderr.contains("Context("), "\(run)")
        }
        let status = try HDBenchRun.run(["status", experiment.path], in: work)
        #expect(status.stdout.contains("trials: 2 completed"), "\(status)")
        let best = try HDBenchRun.run(["best", experiment.path, "--json"], in: work)
        #expect(best.stdout.contains("\"trial\": 3"), "\(best)")
        // Resuming over an unreadable row could overwrite it: refused.
        let resume = try HDBenchRun.run(["sweep", "job.yml", "--experiment-dir", experiment.path, "--resume"], in: work)
        #expect(resume.status == 2 && resume.stderr.contains("trial 1 is unreadable"), "\(resume)")
    }

    @Test("a damaged database is one readable line with exit code 2 for every command", arguments: ["schema", "page", "not a database"])
    func damagedDatabase(damage: String) throws {
        let (work, experiment) = try Self.recordedSweep("damaged\(damage)")
        switch damage {
        case "schema":
            try Self.python("""
                import sqlite3
                c = sqlite3.connect('exp/experiment.sqlite')
                c.execute('PRAGMA writable_schema = ON')
                c.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE trial(' WHERE name = 'trial'")
                c.commit(); c.close()
                """, in: work)
        case "page":
            // Checkpoint, then overwrite the last page (a leaf of the newest rows) with garbage.
            try Self.python("""
                import sqlite3, os
                c = sqlite3.connect('exp/experiment.sqlite'); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()
                size = os.path.getsize('exp/experiment.sqlite')
                with open('exp/experiment.sqlite', 'r+b') as f:
                    f.seek(size - 4096); f.write(bytes([0xA5]) * 4096)
                """, in: work)
        default:
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: experiment.appendingPathComponent("experiment.sqlite").path + suffix) }
            try "hello, I am not a database\n".write(to: experiment.appendingPathComponent("experiment.sqlite"), atomically: true, encoding: .utf8)
        }
        var commands = Self.readCommands(experiment, report: work.appendingPathComponent("r.html"))
        commands.append(["sweep", "job.yml", "--experiment-dir", experiment.path, "--resume"])
        var refused = 0
        defer { #expect(refused >= 1, "\(damage): no command noticed the damage") }
        for arguments in commands {
            let run = try HDBenchRun.run(arguments, in: work)
            if run.status != 0 { refused += 1 }
            if damage == "page", run.status == 0 {
                // The garbage page may hold rows this command does not read.
                continue
            }
            #expect(run.status == 2 && !run.signalled, "\(damage): \(arguments): \(run)")
            #expect(run.stderrLines.count == 1, "\(damage): \(arguments): \(run)")
            #expect(run.stderr.contains("experiment.sqlite is damaged: "), "\(damage): \(arguments): \(run)")
            #expect(!run.stderr.contains("SQLite error") && !run.stderr.contains("DatabaseError"), "\(run)")
        }
    }

    @Test("a damaged page in the middle of the trials names the last good trial")
    func damagedPageNamesTheLastGoodTrial() throws {
        let directory = Fixtures.temporaryDirectory()
        do {
            let store = try ExperimentStore(directory: directory)
            try store.initialize(ExperimentRecord(yaml: "", configurationJSON: "{}", objective: Objective(goal: .maximize, primaryMetric: "a")))
            // Long commands: about one trial per 4 KiB page.
            for id in 0..<40 {
                try store.save(TrialRecord(id: id, proposal: id, configuration: Configuration(names: ["v"], values: [.int(id)]),
                                           status: .completed, created: Date(), command: String(repeating: "x", count: 3000),
                                           folder: directory.appendingPathComponent("trials/\(id)").path))
            }
        }
        // The pool is closed: the log is checkpointed into the file. Damage the last page.
        let file = directory.appendingPathComponent("experiment.sqlite")
        #expect(!FileManager.default.fileExists(atPath: file.path + "-wal"))
        let handle = try FileHandle(forUpdating: file)
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size - 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 4096))
        try handle.close()
        let run = try HDBenchRun.run(["status", directory.path], in: directory)
        #expect(run.status == 2 && run.stderrLines.count == 1, "\(run)")
        let match = try #require(run.stderr.firstMatch(of: /last good trial (\d+)/), "\(run)")
        let last = try #require(Int(match.1))
        #expect((30..<39).contains(last), "\(run)")
    }
}
