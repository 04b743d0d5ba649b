import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench replay DIR --policy …`: what an early-termination policy would have saved and lost
/// on a finished experiment's recorded curves (HyperDriveSemantics.md §Extensions beyond Azure).
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a finished sweep's recorded learning curves under an early-termination policy.",
        discussion: """
            Nothing is run: the recorded primary-metric reports are fed to the policy in the order \
            they were logged, and each stop cuts the trial's curve there. Prints the trials that \
            would have been stopped, the reports and trial-seconds saved, and the best value with \
            and without the policy (loss = how much worse). With --json, one object with keys \
            policy, stopped, reports_saved_percent, seconds_saved_percent, best_without, best_with, \
            loss, stops, reports_total, reports_saved, trial_seconds_total, seconds_saved, \
            best_trial_without, best_trial_with, incomplete_trials, notes, experiment, \
            primary_metric, goal, trials, max_concurrent_trials.
            Policies (HyperDriveSemantics.md, early termination): bandit (exactly one of --slack-factor, --slack-amount, ≥ 0), \
            median (median stopping), truncation (--truncation-percentage 1–99), none. \
            --evaluation-interval (default 1; 0 means 1) and --delay-evaluation (default 0) apply \
            to bandit, median and truncation.
            """)

    @Argument(help: "The experiment folder.")
    var directory: String

    @Option(help: "bandit, median, truncation or none (median_stopping and truncation_selection are accepted too).")
    var policy: String?

    @Option(parsing: .unconditional, help: "Bandit: slack as a ratio of the best value (≥ 0).")
    var slackFactor: String?

    @Option(parsing: .unconditional, help: "Bandit: slack as an absolute distance from the best value (≥ 0).")
    var slackAmount: String?

    @Option(parsing: .unconditional, help: "Truncation selection: the percentage of trials cut at each evaluation (integer 1–99).")
    var truncationPercentage: String?

    @Option(parsing: .unconditional, help: "Evaluate every I reports (default 1; 0 means 1).")
    var evaluationInterval: String?

    @Option(parsing: .unconditional, help: "No evaluation before D reports (default 0).")
    var delayEvaluation: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "Replay a sweep that is still running (its curves so far) instead of refusing.")
    var allowRunning = false

    func validate() throws {
        _ = try makeReplayPolicy()
    }

    func run() async throws {
        let policy = try makeReplayPolicy()
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        let store = try openExperiment(directory)
        if store.isSweepRunning() && !allowRunning {
            throw CLIError("the sweep in \(url.path) is still running; wait for it to finish, or pass --allow-running to replay the curves logged so far")
        }
        let stored = try store.storedReplay()
        let result = stored.result(for: policy)
        if json {
            print(stored.json(result, experiment: url).prettyPrinted())
        } else {
            print(ReplayTable.render(result, stored: stored, experiment: url))
        }
    }

    /// The policy the flags describe; one readable line naming the flag when they are wrong.
    func makeReplayPolicy() throws -> any EarlyTerminationPolicy {
        guard let name = policy?.lowercased() else {
            throw CLIError("--policy is missing; pass --policy bandit, median, truncation or none")
        }
        let interval = try Self.integer(evaluationInterval, flag: "--evaluation-interval", rule: "must be an integer ≥ 0 (0 means 1)") ?? 1
        guard interval >= 0 else { throw CLIError("--evaluation-interval: \(interval) must be ≥ 0 (0 means 1)") }
        let delay = try Self.integer(delayEvaluation, flag: "--delay-evaluation", rule: "must be an integer ≥ 0") ?? 0
        guard delay >= 0 else { throw CLIError("--delay-evaluation: \(delay) must be ≥ 0") }

        var notForThisPolicy: [String] = []
        func reject(_ value: String?, _ flag: String) { if value != nil { notForThisPolicy.append(flag) } }
        let chosen: any EarlyTerminationPolicy
        switch name {
        case "bandit":
            reject(truncationPercentage, "--truncation-percentage")
            try Self.requireAllowed(notForThisPolicy, policy: "bandit")
            let factor = try Self.slack(slackFactor, flag: "--slack-factor")
            let amount = try Self.slack(slackAmount, flag: "--slack-amount")
            switch (factor, amount) {
            case (let factor?, nil):
                chosen = BanditPolicy(slackFactor: factor, evaluationInterval: interval, delayEvaluation: delay)
            case (nil, let amount?):
                chosen = BanditPolicy(slackAmount: amount, evaluationInterval: interval, delayEvaluation: delay)
            case (nil, nil):
                throw CLIError("--policy bandit needs exactly one of --slack-factor and --slack-amount; add e.g. --slack-factor 0.1")
            case (.some, .some):
                throw CLIError("--policy bandit takes exactly one of --slack-factor and --slack-amount, not both; remove one")
            }
        case "median", "median_stopping":
            reject(slackFactor, "--slack-factor")
            reject(slackAmount, "--slack-amount")
            reject(truncationPercentage, "--truncation-percentage")
            try Self.requireAllowed(notForThisPolicy, policy: "median")
            chosen = MedianStoppingPolicy(evaluationInterval: interval, delayEvaluation: delay)
        case "truncation", "truncation_selection":
            reject(slackFactor, "--slack-factor")
            reject(slackAmount, "--slack-amount")
            try Self.requireAllowed(notForThisPolicy, policy: "truncation")
            guard let text = truncationPercentage else {
                throw CLIError("--policy truncation needs --truncation-percentage P, an integer from 1 to 99; add e.g. --truncation-percentage 20")
            }
            guard let percentage = Int(text), (1...99).contains(percentage) else {
                throw CLIError("--truncation-percentage: '\(text)' must be an integer from 1 to 99")
            }
            chosen = TruncationSelectionPolicy(truncationPercentage: percentage, evaluationInterval: interval, delayEvaluation: delay)
        case "none":
            reject(slackFactor, "--slack-factor")
            reject(slackAmount, "--slack-amount")
            reject(truncationPercentage, "--truncation-percentage")
            reject(evaluationInterval, "--evaluation-interval")
            reject(delayEvaluation, "--delay-evaluation")
            try Self.requireAllowed(notForThisPolicy, policy: "none")
            chosen = NoTerminationPolicy()
        default:
            throw CLIError("--policy: '\(policy ?? "")' is not a policy; use bandit, median, truncation or none")
        }
        return chosen
    }

    private static func requireAllowed(_ flags: [String], policy: String) throws {
        guard !flags.isEmpty else { return }
        let list = flags.joined(separator: ", ")
        throw CLIError("\(list) \(flags.count == 1 ? "does" : "do") not apply to --policy \(policy); remove \(flags.count == 1 ? "it" : "them")")
    }

    private static func integer(_ text: String?, flag: String, rule: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else { throw CLIError("\(flag): '\(text)' \(rule)") }
        return value
    }

    private static func slack(_ text: String?, flag: String) throws -> Double? {
        guard let text else { return nil }
        guard let value = Double(text), value.isFinite else { throw CLIError("\(flag): '\(text)' must be a finite number ≥ 0") }
        guard value >= 0 else { throw CLIError("\(flag): \(text) must be ≥ 0") }
        return value
    }
}

/// The human-readable replay report.
enum ReplayTable {
    static func render(_ result: ReplayResult, stored: StoredReplay, experiment: URL) -> String {
        let objective = stored.objective
        let input = stored.input
        var lines = [
            "replay of \(experiment.path)",
            "objective: \(objective.goal.rawValue) \(objective.primaryMetric); \(input.trials.count) trials, \(result.reportsTotal) reports"
                + (input.maxConcurrentTrials.map { ", max_concurrent_trials \($0)" } ?? ""),
            "policy: \(result.policy)",
            "",
        ]
        if result.stops.isEmpty {
            lines.append("would stop no trial")
        } else {
            lines.append("would stop \(result.stops.count) of \(input.trials.count) trials:")
            var rows = [["trial", "at report", "time (s)", "reports saved", "seconds saved", "reason"]]
            for stop in result.stops.sorted(by: { $0.trial < $1.trial }) {
                rows.append([String(stop.trial), String(stop.report), String(format: "%.1f", stop.time), String(stop.reportsSaved),
                             String(format: "%.1f", stop.secondsSaved), stop.reason])
            }
            lines += table(rows)
        }
        lines.append("")
        lines.append("reports saved: \(result.reportsSaved) of \(result.reportsTotal) (\(percent(result.reportsSavedPercent)))")
        lines.append("trial-seconds saved: \(String(format: "%.1f", result.secondsSaved)) of \(String(format: "%.1f", result.trialSecondsTotal)) (\(percent(result.secondsSavedPercent)))")
        lines.append("best without the policy: \(value(result.bestWithout, trial: result.bestTrialWithout))")
        lines.append("best with the policy:    \(value(result.bestWith, trial: result.bestTrialWith))")
        lines.append("loss: \(result.loss.map { "\($0)" } ?? "undefined (no finite value)")")
        if !result.incompleteTrials.isEmpty {
            lines.append("incomplete curves: trials \(result.incompleteTrials) were stopped by a policy in the recorded run; what they would have logged later is unknown, so savings and best_without count only what was recorded")
        }
        if !result.notes.isEmpty {
            lines.append("")
            lines.append("notes:")
            lines += result.notes.map { "- \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    private static func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }

    private static func value(_ value: Double?, trial: Int?) -> String {
        guard let value else { return "none (no finite value)" }
        return "\(value)" + (trial.map { " (trial \($0))" } ?? "")
    }

    /// Left-aligned columns; the last column is not padded.
    private static func table(_ rows: [[String]]) -> [String] {
        let columns = rows.first?.count ?? 0
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
