#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Optimizer

/// Reads a running trial's metrics from its three channels (HyperDriveSemantics.md §Logging
/// metrics) by tailing files in the trial folder: `stdout.log`, `metrics.jsonl` and
/// `mlruns/<exp>/<run>/metrics/<name>`.
///
/// Files are read incrementally from the last offset; a line is used only once its newline has
/// arrived (or when the trial has ended). Reading files the child writes directly, rather than
/// pipes, means nothing is lost if hdbench stops, and a burst of output never blocks the trial.
///
/// Cross-channel duplicates [decided]: the k-th value of metric `name` on one channel is a
/// duplicate when another channel already delivered its own k-th value of `name` with the same
/// value (NaN equals NaN). Duplicates are still stored (flagged) but do not count as another
/// report. So a script that prints `accuracy=…` *and* calls `mlflow.log_metric` for every epoch
/// has each epoch counted once, while genuinely different values on two channels all count, in
/// arrival order.
struct TrialOutputCollector: Sendable {
    /// A metric value read from a channel, or a problem worth telling the user about.
    enum Item: Sendable {
        case report(MetricReport, duplicate: Bool)
        case diagnostic(channel: MetricChannel, message: String, line: String?)
    }

    let folder: URL
    let primaryMetric: String
    private var stdoutTail: FileTail
    private var metricsFileTail: FileTail
    private var mlflowTails: [String: (name: String, tail: FileTail)] = [:]
    private var lastMLflowScan = Date.distantPast
    /// Per metric name: how many values each channel has delivered.
    private var ordinals: [String: [MetricChannel: Int]] = [:]
    /// Per metric name: the first value delivered for each ordinal, and by which channel.
    private var firstDelivered: [String: [Int: (value: Double, channel: MetricChannel)]] = [:]

    /// How often the MLflow store's folders are re-listed to find new metric files.
    static let mlflowScanInterval: TimeInterval = 0.25
    /// MLflow metric files followed per trial at most (each is opened on every poll).
    static let maximumMLflowFiles = 1000
    private var reportedTooManyMLflowFiles = false

    /// Reports already stored, per metric name and channel: the first that many reports of each
    /// are read (for the duplicate bookkeeping) but not returned again. Used when a controller
    /// re-attaches to a trial a crashed one was following.
    private let alreadyStored: [String: [MetricChannel: Int]]

    init(folder: URL, primaryMetric: String, alreadyStored: [String: [MetricChannel: Int]] = [:]) {
        self.folder = folder
        self.primaryMetric = primaryMetric
        self.alreadyStored = alreadyStored
        stdoutTail = FileTail(path: folder.appendingPathComponent("stdout.log").path)
        metricsFileTail = FileTail(path: folder.appendingPathComponent("metrics.jsonl").path)
    }

    /// Everything new since the last call. With `final`, unterminated last lines count too.
    mutating func poll(final: Bool = false, now: Date = Date()) -> [Item] {
        var items: [Item] = []
        for line in stdoutTail.readLines(final: final, overflow: { items.append(.diagnostic(channel: .stdout, message: $0, line: nil)) }) {
            switch MetricLineParser.parseStdoutLine(line) {
            case .metric(let name, let value, let step):
                items.append(contentsOf: accept(MetricReport(name: name, value: value, step: step, channel: .stdout, time: now), line: line))
            case .nonNumeric(let name, let text) where name == primaryMetric || ordinals[name] != nil:
                items.append(.diagnostic(channel: .stdout, message: "metric \(name): value \"\(text)\" is not a number; line ignored", line: line))
            case .nonNumeric, .ignored, .malformed:
                break
            }
        }
        for line in metricsFileTail.readLines(final: final, overflow: { items.append(.diagnostic(channel: .metricsFile, message: $0, line: nil)) }) {
            switch MetricLineParser.parseJSONLine(line) {
            case .metric(let name, let value, let step):
                items.append(contentsOf: accept(MetricReport(name: name, value: value, step: step, channel: .metricsFile, time: now), line: line))
            case .malformed(let reason):
                items.append(.diagnostic(channel: .metricsFile, message: "metrics file line ignored: \(reason)", line: line))
            case .nonNumeric, .ignored:
                break
            }
        }
        if final || now.timeIntervalSince(lastMLflowScan) >= Self.mlflowScanInterval {
            lastMLflowScan = now
            if let problem = discoverMLflowMetricFiles() { items.append(.diagnostic(channel: .mlflow, message: problem, line: nil)) }
        }
        for path in mlflowTails.keys.sorted() {
            guard var entry = mlflowTails[path] else { continue }
            let lines = entry.tail.readLines(final: final, overflow: { items.append(.diagnostic(channel: .mlflow, message: $0, line: nil)) })
            mlflowTails[path] = entry
            for line in lines {
                switch MetricLineParser.parseMLflowLine(line, name: entry.name) {
                case .metric(let name, let value, let step):
                    items.append(contentsOf: accept(MetricReport(name: name, value: value, step: step, channel: .mlflow, time: now), line: line))
                case .malformed(let reason):
                    items.append(.diagnostic(channel: .mlflow, message: "MLflow metric \(entry.name): line ignored: \(reason)", line: line))
                case .nonNumeric, .ignored:
                    break
                }
            }
        }
        return items
    }

    private mutating func accept(_ report: MetricReport, line: String) -> [Item] {
        let ordinal = ordinals[report.name, default: [:]][report.channel, default: 0]
        ordinals[report.name, default: [:]][report.channel] = ordinal + 1
        var duplicate = false
        if let first = firstDelivered[report.name]?[ordinal] {
            duplicate = first.channel != report.channel && Self.same(first.value, report.value)
        } else {
            firstDelivered[report.name, default: [:]][ordinal] = (report.value, report.channel)
        }
        if ordinal < alreadyStored[report.name]?[report.channel] ?? 0 { return [] }
        var items: [Item] = [.report(report, duplicate: duplicate)]
        if !report.value.isFinite && !duplicate {
            items.append(.diagnostic(channel: report.channel,
                                     message: "metric \(report.name) logged a non-finite value (\(report.value)); it never ranks the trial",
                                     line: line))
        }
        return items
    }

    private static func same(_ a: Double, _ b: Double) -> Bool {
        a == b || (a.isNaN && b.isNaN)
    }

    /// Finds `mlruns/<experiment>/<run>/metrics/**` files not yet tailed (symbolic links are
    /// not followed); returns a problem when there are more than ``maximumMLflowFiles``.
    private mutating func discoverMLflowMetricFiles() -> String? {
        let fileManager = FileManager.default
        let root = folder.appendingPathComponent("mlruns")
        guard let experiments = try? fileManager.contentsOfDirectory(atPath: root.path) else { return nil }
        for experiment in experiments.sorted() where !experiment.hasPrefix(".") {
            let experimentURL = root.appendingPathComponent(experiment)
            guard let runs = try? fileManager.contentsOfDirectory(atPath: experimentURL.path) else { continue }
            for run in runs.sorted() where !run.hasPrefix(".") {
                let metricsURL = experimentURL.appendingPathComponent(run).appendingPathComponent("metrics")
                guard let enumerator = fileManager.enumerator(atPath: metricsURL.path) else { continue }
                while let relative = enumerator.nextObject() as? String {
                    let path = metricsURL.appendingPathComponent(relative).path
                    guard mlflowTails[path] == nil else { continue }
                    var status = stat()
                    guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
                    guard mlflowTails.count < Self.maximumMLflowFiles else {
                        if reportedTooManyMLflowFiles { return nil }
                        reportedTooManyMLflowFiles = true
                        return "more than \(Self.maximumMLflowFiles) MLflow metric files; the others are not read"
                    }
                    mlflowTails[path] = (relative, FileTail(path: path))
                }
            }
        }
        return nil
    }
}

/// Incremental reader of a file another process appends to — a process the controller does not
/// trust, so nothing it does to the file can block or spin the loop that reads it.
///
/// - Opened with `O_NOFOLLOW | O_NONBLOCK` on every poll: a symbolic link is not followed (a
///   link to `/etc/passwd` is not read), and a FIFO does not block the open.
/// - Only a regular file is read; anything else (FIFO, device, socket, directory) is reported
///   once and ignored while it stays so.
/// - At most ``maximumBytesPerPoll`` bytes per poll (a link or file as endless as `/dev/zero`
///   cannot keep the loop busy); the rest is read on later polls.
/// - Followed like `tail -F`: when the path names a new file (another inode) or the file shrank
///   (truncated), reading restarts at its beginning, with a diagnostic; lines already read stay
///   recorded.
struct FileTail: Sendable {
    let path: String
    private var offset: off_t = 0
    private var pending: [UInt8] = []
    private var discardingOverlongLine = false
    /// The file being read: (device, inode).
    private var identity: (device: UInt64, inode: UInt64)?
    /// The last refusal reported (reported again only when it changes).
    private var refusal: String?

    /// A line longer than this is dropped with a diagnostic (a script printing without newlines).
    static let maximumLineLength = 1 << 20
    /// Bytes read in one poll at most.
    static let maximumBytesPerPoll = 4 << 20
    /// Bytes read by the final poll (the trial has ended) at most.
    static let maximumBytesFinal = 256 << 20

    init(path: String) {
        self.path = path
    }

    private var name: String { (path as NSString).lastPathComponent }

    /// Complete lines appended since the last call (without their newline); with `final`, the
    /// unterminated remainder too. `problem` receives one readable sentence per thing the user
    /// should know (an over-long line, a file that is not a regular file, a replaced file).
    mutating func readLines(final: Bool, overflow problem: (String) -> Void) -> [String] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ELOOP { refuse("\(name) is a symbolic link; it is not followed and its contents are ignored", problem) }
            return []
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return [] }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            refuse("\(name) is not a regular file (\(Self.kind(status.st_mode))); it is ignored", problem)
            return []
        }
        refusal = nil
        let current = (device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        if let known = identity, known != current {
            problem("\(name) was replaced by another file; reading the new one from its start")
            restart()
        } else if status.st_size < offset {
            problem("\(name) was truncated (\(status.st_size) bytes, \(offset) already read); reading it again from its start")
            restart()
        }
        identity = current
        var lines: [String] = []
        if status.st_size <= offset && !final { return [] }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var budget = final ? Self.maximumBytesFinal : Self.maximumBytesPerPoll
        while budget > 0 {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, min($0.count, budget), offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            offset += off_t(count)
            budget -= count
            // Split the chunk at newlines (memchr), appending whole runs, not byte by byte.
            var start = 0
            while start < count {
                let newline: Int? = buffer.withUnsafeBufferPointer { bytes in
                    memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\n")), count - start)
                        .map { $0.assumingMemoryBound(to: UInt8.self) - UnsafeMutablePointer(mutating: bytes.baseAddress!) }
                }
                let end = newline ?? count
                if !discardingOverlongLine {
                    pending.append(contentsOf: buffer[start..<end])
                    if pending.count > Self.maximumLineLength {
                        problem("a line of \(name) longer than \(Self.maximumLineLength) bytes was ignored")
                        pending.removeAll()
                        discardingOverlongLine = true
                    }
                }
                if newline != nil {
                    if !discardingOverlongLine { lines.append(String(decoding: pending, as: UTF8.self)) }
                    pending.removeAll(keepingCapacity: true)
                    discardingOverlongLine = false
                }
                start = end + 1
            }
        }
        if final && budget == 0 && hasUnreadBytes {
            problem("\(name) holds more than \(Self.maximumBytesFinal >> 20) MiB not yet read when the trial ended; the rest is ignored")
        }
        if final {
            if !pending.isEmpty && !discardingOverlongLine { lines.append(String(decoding: pending, as: UTF8.self)) }
            pending.removeAll()
            discardingOverlongLine = false
        }
        return lines
    }

    /// Whether bytes remain beyond what was read (a poll stopped at its byte budget).
    private var hasUnreadBytes: Bool {
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return false }
        return status.st_size > offset
    }

    private mutating func restart() {
        offset = 0
        pending.removeAll()
        discardingOverlongLine = false
    }

    private mutating func refuse(_ message: String, _ problem: (String) -> Void) {
        if refusal != message { problem(message) }
        refusal = message
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a directory"
        default: return "mode \(String(mode, radix: 8))"
        }
    }
}
