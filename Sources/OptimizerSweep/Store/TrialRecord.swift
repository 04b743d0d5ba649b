public import Foundation
public import Optimizer

/// One trial as stored: what ran, where, and how it ended.
public struct TrialRecord: Sendable, Hashable, Codable {
    /// The trial's id: 0, 1, 2, … in the order trials were created in this experiment.
    public var id: Int
    /// The sampler's trial index this configuration was proposed under. Equal to ``id`` except
    /// for re-runs of interrupted trials, which keep the original's proposal.
    public var proposal: Int
    /// For a re-run after `--resume`: the interrupted trial whose parameters it runs again.
    public var rerunOf: Int?
    /// The hyperparameters.
    public var configuration: Configuration
    /// Where the trial is in its life.
    public var status: TrialStatus
    /// Why the trial ended as it did (exit code meaning, timeout, policy decision, spawn error).
    public var reason: String?
    /// The shell's exit status when it exited normally.
    public var exitCode: Int32?
    /// The signal that ended the shell, when one did.
    public var signal: Int32?
    /// The process (and process group) id while it ran (local trials).
    public var pid: Int32?
    /// How the executor that ran the trial finds it again (``TrialExecutor``).
    public var handle: TrialHandle?
    /// When the trial was proposed.
    public var created: Date
    /// When its process started; `nil` if it never did.
    public var started: Date?
    /// When it ended (for an interrupted trial: its last recorded activity).
    public var ended: Date?
    /// The command exactly as run under `/bin/sh -c`, placeholders substituted.
    public var command: String?
    /// Absolute path of the trial folder (`<experiment>/trials/<id>`).
    public var folder: String
    /// Proposed by the sampler, or enqueued (`--enqueue`); a re-run keeps its original's.
    public var origin: TrialOrigin

    public init(
        id: Int, proposal: Int, rerunOf: Int? = nil, configuration: Configuration,
        status: TrialStatus = .queued, reason: String? = nil, exitCode: Int32? = nil, signal: Int32? = nil,
        pid: Int32? = nil, handle: TrialHandle? = nil, created: Date = Date(), started: Date? = nil, ended: Date? = nil,
        command: String? = nil, folder: String, origin: TrialOrigin = .sampler
    ) {
        self.id = id
        self.proposal = proposal
        self.rerunOf = rerunOf
        self.configuration = configuration
        self.status = status
        self.reason = reason
        self.exitCode = exitCode
        self.signal = signal
        self.pid = pid
        self.handle = handle
        self.created = created
        self.started = started
        self.ended = ended
        self.command = command
        self.folder = folder
        self.origin = origin
    }
}

/// One stored metric value of one trial.
public struct MetricRecord: Sendable, Hashable, Codable {
    /// The trial concerned.
    public var trial: Int
    /// The metric's name as logged.
    public var name: String
    /// May be non-finite (stored as SQL NULL when NaN).
    public var value: Double
    /// The step the script gave, if any.
    public var step: Int?
    /// How the value arrived.
    public var channel: MetricChannel
    /// When hdbench read (or decided) it.
    public var time: Date
    /// 1-based position among this trial's reports of `name` (the interval number n for the
    /// primary metric); `nil` for a cross-channel duplicate, which does not count.
    public var reportIndex: Int?
    /// Logged after an early-termination decision stopped the trial: kept for the record, but
    /// not used for ranking or by policies.
    public var afterStop: Bool
    /// Same value as another channel's report at the same position (see ``TrialOutputCollector``).
    public var duplicate: Bool

    public init(trial: Int, name: String, value: Double, step: Int?, channel: MetricChannel, time: Date,
                reportIndex: Int?, afterStop: Bool = false, duplicate: Bool = false) {
        self.trial = trial
        self.name = name
        self.value = value
        self.step = step
        self.channel = channel
        self.time = time
        self.reportIndex = reportIndex
        self.afterStop = afterStop
        self.duplicate = duplicate
    }
}

/// Something the user should know about: an unparsable metric line, a non-finite value, a
/// trial that could not start, leftover processes that had to be killed.
public struct DiagnosticRecord: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The trial concerned; `nil` for the sweep as a whole.
    public var trial: Int?
    /// When hdbench read (or decided) it.
    public var time: Date
    /// How the value arrived.
    public var channel: MetricChannel?
    /// What happened, naming the trial's problem and its consequence.
    public var message: String
    /// The offending line, when there is one.
    public var line: String?

    public init(trial: Int?, time: Date = Date(), channel: MetricChannel? = nil, message: String, line: String? = nil) {
        self.trial = trial
        self.time = time
        self.channel = channel
        self.message = message
        self.line = line
    }

    public var description: String {
        let subject = trial.map { "trial \($0)" } ?? "sweep"
        let via = channel.map { " [\($0.rawValue)]" } ?? ""
        let text = line.map { ": \($0.count > 200 ? String($0.prefix(200)) + "…" : $0)" } ?? ""
        return "\(subject)\(via): \(message)\(text)"
    }
}

/// An early-termination decision that stopped a trial.
public struct StopDecisionRecord: Sendable, Hashable, Codable {
    /// The trial concerned.
    public var trial: Int
    /// When hdbench read (or decided) it.
    public var time: Date
    /// The number of primary-metric reports (n) the decision was made at.
    public var reportCount: Int
    /// The policy's human-readable justification.
    public var reason: String

    public init(trial: Int, time: Date = Date(), reportCount: Int, reason: String) {
        self.trial = trial
        self.time = time
        self.reportCount = reportCount
        self.reason = reason
    }
}

/// What the sampler said when it proposed a configuration: its diagnostics and the state it
/// carried on with (``Suggestion``), stored per proposal so `--resume` continues from it.
public struct SuggestionRecord: Sendable, Hashable, Codable {
    /// The sampler's trial index.
    public var proposal: Int
    /// The trial that first ran it.
    public var trial: Int
    /// When it was made.
    public var time: Date
    public var diagnostics: [SamplerDiagnostic]
    public var state: SamplerState?

    public init(proposal: Int, trial: Int, time: Date = Date(), diagnostics: [SamplerDiagnostic], state: SamplerState?) {
        self.proposal = proposal
        self.trial = trial
        self.time = time
        self.diagnostics = diagnostics
        self.state = state
    }
}
