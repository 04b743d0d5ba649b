#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Foundation
import Synchronization

/// How each trial gets its own copy of the sweep's code snapshot (`--working-copy`).
///
/// Measured with a 100 MB code folder in README §Code snapshot and working copies.
public enum WorkingCopyMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Reflinks where the filesystem supports them (Btrfs, XFS: copy-on-write, free and fully
    /// isolated); elsewhere files under ``WorkingCopyMode/linkThreshold`` are copied and larger
    /// ones hard-linked to the snapshot. The default.
    case auto
    /// Every file copied (reflinked where the filesystem can): fully isolated, costs the code's
    /// size in time and disk per trial on filesystems without reflinks.
    case copy
    /// Every file hard-linked to the snapshot: nearly free, but a trial that writes *into* an
    /// existing file (rather than replacing it) changes the snapshot for later trials.
    case link

    /// Files at least this large are hard-linked by ``auto`` on filesystems without reflinks:
    /// 1 MiB. Code and configuration (which a trial might edit) are smaller; datasets and
    /// checkpoints shipped with the code are larger and read, not written in place.
    public static let linkThreshold: Int64 = 1 << 20
}

/// What was snapshotted for a sweep: recorded in the experiment store, so `--resume` and the
/// reproduce line use the same code.
public struct CodeSnapshotRecord: Sendable, Hashable, Codable {
    /// The code folder that was snapshotted (absolute).
    public var source: String
    /// When `trial.code` named one file: its name (the snapshot holds only it).
    public var file: String?
    /// The snapshot folder (`<experiment>/snapshot`).
    public var directory: String
    /// The ignore file honoured (`.amlignore` or `.gitignore`), if any.
    public var ignoreFile: String?
    /// Files in the snapshot.
    public var files: Int
    /// Their total size in bytes.
    public var bytes: Int64
    /// Files and folders left out (ignore rules, experiment folders).
    public var excluded: Int
    /// Seconds taken.
    public var seconds: Double
    /// When it was taken.
    public var created: Date

    public init(source: String, file: String?, directory: String, ignoreFile: String?, files: Int, bytes: Int64,
                excluded: Int, seconds: Double, created: Date = Date()) {
        self.source = source
        self.file = file
        self.directory = directory
        self.ignoreFile = ignoreFile
        self.files = files
        self.bytes = bytes
        self.excluded = excluded
        self.seconds = seconds
        self.created = created
    }

    /// `1,234 files, 100.2 MB from /src in 0.31 s (.amlignore: 12 excluded)`.
    public var summary: String {
        let megabytes = String(format: "%.1f MB", Double(bytes) / 1_000_000)
        let what = file.map { "\($0) (\(megabytes))" } ?? "\(files) file\(files == 1 ? "" : "s"), \(megabytes)"
        let ignore = ignoreFile.map { " (\($0): \(excluded) excluded)" } ?? (excluded > 0 ? " (\(excluded) excluded)" : "")
        return "\(what) from \(source) in \(String(format: "%.2f", seconds)) s\(ignore)"
    }
}

/// The sweep's code snapshot and the trials' working copies (HyperDriveSemantics.md §Running a
/// trial): Azure snapshots `code` once when the job is submitted and runs every trial in its
/// own copy, in which `./outputs` and `./logs` exist.
public enum CodeSnapshot {
    /// The snapshot folder's name inside the experiment folder.
    public static let folderName = "snapshot"
    /// The working copy's name inside a trial folder.
    public static let workingCopyName = "workdir"

    /// Snapshots `source` (a folder, or with `file` the one file `source/file`) into
    /// `<experiment>/snapshot`, honouring the folder's root `.amlignore`, else `.gitignore`.
    /// Leaves out the experiment folder itself and any other hdbench experiment folder (one
    /// holding `experiment.sqlite`) found inside the code folder.
    ///
    /// Files are copied (reflinked where the filesystem can), never linked: editing the code
    /// folder during the sweep cannot change the snapshot. Written beside and renamed into place,
    /// so a crash never leaves half a snapshot.
    public static func take(source: URL, file: String?, experiment: URL) throws -> CodeSnapshotRecord {
        let start = Date()
        let destination = experiment.appendingPathComponent(folderName)
        let partial = experiment.appendingPathComponent(folderName + ".partial")
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        let sourceItem = file.map { source.appendingPathComponent($0) } ?? source
        guard fileManager.fileExists(atPath: sourceItem.path, isDirectory: &isDirectory), isDirectory.boolValue == (file == nil) else {
            throw FileTreeCopier.Failure(description: "code \(file == nil ? "folder" : "file") \(sourceItem.path) does not exist")
        }
        try fileManager.createDirectory(at: experiment, withIntermediateDirectories: true)
        try? fileManager.removeItem(at: partial)
        let rules = file == nil ? IgnoreRules.load(folder: source) : .none
        let experimentPath = experiment.standardizedFileURL.resolvingSymlinksInPath().path
        let sourcePath = source.standardizedFileURL.resolvingSymlinksInPath().path
        let copier = FileTreeCopier(method: { _ in .clone }, exclude: { relative, isDirectory in
            if isDirectory {
                let absolute = sourcePath + "/" + relative
                if absolute == experimentPath || fileManager.fileExists(atPath: absolute + "/" + ExperimentStore.fileName) {
                    return true
                }
            }
            return rules.isExcluded(relative, isDirectory: isDirectory)
        })
        let tally: FileTreeCopier.Tally
        if let file {
            try fileManager.createDirectory(at: partial, withIntermediateDirectories: true)
            tally = try copier.copyFile(from: source.appendingPathComponent(file), to: partial.appendingPathComponent(file))
        } else {
            tally = try copier.copyTree(from: source, to: partial)
        }
        try? fileManager.removeItem(at: destination)
        try fileManager.moveItem(at: partial, to: destination)
        return CodeSnapshotRecord(source: source.path, file: file, directory: destination.path, ignoreFile: rules.fileName,
                                  files: tally.files, bytes: tally.bytes, excluded: tally.excluded,
                                  seconds: Date().timeIntervalSince(start), created: start)
    }

    /// Makes a trial's working copy of `snapshot` at `destination` (which must not exist), with
    /// `outputs/` and `logs/` in it, as on Azure.
    @discardableResult
    public static func makeWorkingCopy(of snapshot: URL, at destination: URL, mode: WorkingCopyMode) throws -> WorkingCopyTally {
        let copier = FileTreeCopier(method: { size in
            switch mode {
            case .copy: return .clone
            case .link: return .hardLink
            case .auto: return size >= WorkingCopyMode.linkThreshold && !reflinks(snapshot) ? .hardLink : .clone
            }
        })
        let tally = try copier.copyTree(from: snapshot, to: destination)
        for name in ["outputs", "logs"] {
            try FileManager.default.createDirectory(at: destination.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        return WorkingCopyTally(files: tally.files, bytes: tally.bytes, reflinked: tally.reflinked, copied: tally.copied,
                                linked: tally.linked)
    }

    /// Whether the filesystem holding `folder` makes reflinks (checked once per folder by
    /// cloning a scratch file).
    static func reflinks(_ folder: URL) -> Bool {
        reflinkSupport.withLock { cache in
            if let known = cache[folder.path] { return known }
            let probe = folder.deletingLastPathComponent().appendingPathComponent(".hdbench-reflink-probe-\(getpid())")
            defer {
                try? FileManager.default.removeItem(at: probe)
                try? FileManager.default.removeItem(at: probe.appendingPathExtension("clone"))
            }
            var supported = false
            if FileManager.default.createFile(atPath: probe.path, contents: Data("x".utf8)) {
                let copier = FileTreeCopier(method: { _ in .clone })
                supported = ((try? copier.copyFile(from: probe, to: probe.appendingPathExtension("clone")))?.reflinked ?? 0) == 1
            }
            cache[folder.path] = supported
            return supported
        }
    }
}

private let reflinkSupport = Mutex<[String: Bool]>([:])

/// What making one working copy did.
public struct WorkingCopyTally: Sendable, Hashable {
    /// Files in the copy.
    public var files: Int
    /// Their total size.
    public var bytes: Int64
    /// Files reflinked (copy-on-write clones).
    public var reflinked: Int
    /// Files copied byte by byte.
    public var copied: Int
    /// Files hard-linked to the snapshot.
    public var linked: Int
}
