import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench status DIR`: a table of an experiment's trials (works while the sweep runs).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show an experiment's trials as a table.")

    @Argument(help: "The experiment folder.")
    var directory: String

    func run() async throws {
        let store = try openExperiment(directory)
        print(try StatusTable.render(store: store))
    }
}

enum StatusTable {
    static func render(store: ExperimentStore) throws -> String {
        guard let experiment = try store.experiment() else { throw ExperimentStoreError.notAnExperiment(store.directory.path) }
        let results = try store.results()
        let objective = experiment.objective
        var status = experiment.status.rawValue
        if experiment.status == .running && !store.isSweepRunning() {
            status = "interrupted (no hdbench process is running it; `hdbench sweep … --resume` continues it)"
        }
        var lines = ["experiment: \(store.directory.path)",
                     "status: \(status)" + (experiment.reason.map { " — \($0)" } ?? ""),
                     "objective: \(objective.goal.rawValue) \(objective.primaryMetric)"]
        let counts = results.reduce(into: [TrialStatus: Int]()) { $0[$1.trial.status, default: 0] += 1 }
        lines.append("trials: " + TrialStatus.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", "))
        lines += samplerLines(try store.suggestions())
        let enqueued = try store.enqueued()
        if !enqueued.isEmpty {
            let ran = Set(results.filter { $0.trial.origin == .enqueued }.map(\.trial.proposal)).count
            lines.append("enqueued: \(enqueued.count) configuration\(enqueued.count == 1 ? "" : "s"), \(ran) run")
        }
        lines += try store.warmStart().map(\.summary.line)
        lines.append("")
        // Where trials ran, when not all on this machine's processes (a cluster's job ids and nodes).
        let showsJobs = results.contains { ($0.trial.handle?.executor ?? "local") != "local" }
        var header = ["trial", "status", objective.primaryMetric, "reports", "time", "parameters", "reason"]
        if showsJobs { header.insert("job", at: 5) }
        var rows: [[String]] = [header]
        let now = Date()
        for result in results {
            let trial = result.trial
            let time = trial.started.map { String(format: "%.1f s", (trial.ended ?? now).timeIntervalSince($0)) } ?? ""
            let parameters = zip(trial.configuration.names, trial.configuration.values)
                .map { "\($0)=\($1.plainText)" }.joined(separator: " ")
            var row = [String(trial.id), trial.status.rawValue, result.value.map { "\($0)" } ?? "-",
                       String(result.reportCount), time, parameters, trial.reason ?? ""]
            if showsJobs { row.insert(trial.handle.map(\.description) ?? "", at: 5) }
            rows.append(row)
        }
        let widths = (0..<header.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            lines.append(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        if let best = TrialResult.best(of: results, goal: objective.goal), let value = best.value {
            lines.append("")
            lines.append("best: trial \(best.trial.id), \(objective.primaryMetric) = \(value)")
        }
        return lines.joined(separator: "\n")
    }

    /// What the sampler said: how each suggestion was made, every fallback (up to 10) and the
    /// latest model summary.
    static func samplerLines(_ suggestions: [SuggestionRecord]) -> [String] {
        guard !suggestions.isEmpty else { return [] }
        var counts: [SamplerDiagnostic.Kind: Int] = [:]
        for suggestion in suggestions {
            for kind in Set(suggestion.diagnostics.map(\.kind)) { counts[kind, default: 0] += 1 }
        }
        let summary = SamplerDiagnostic.Kind.allCases.compactMap { kind in
            counts[kind].map { "\($0) \(kind.rawValue.replacingOccurrences(of: "_", with: " "))" }
        }
        var lines = ["sampler: \(suggestions.count) suggestions" + (summary.isEmpty ? "" : " (" + summary.joined(separator: ", ") + ")")]
        let fallbacks = suggestions.flatMap { s in s.diagnostics.filter { $0.kind == .fallback }.map { (s.trial, $0.message) } }
        for (trial, message) in fallbacks.prefix(10) { lines.append("  fallback at trial \(trial): \(message)") }
        if fallbacks.count > 10 { lines.append("  … \(fallbacks.count - 10) more fallbacks") }
        if let last = suggestions.last(where: { $0.diagnostics.contains { $0.kind == .model } }),
           let model = last.diagnostics.first(where: { $0.kind == .model }) {
            lines.append("  model at trial \(last.trial): \(model.message)")
        }
        return lines
    }
}
