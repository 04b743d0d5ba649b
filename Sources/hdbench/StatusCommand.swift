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
        lines.append("")
        let header = ["trial", "status", objective.primaryMetric, "reports", "time", "parameters", "reason"]
        var rows: [[String]] = [header]
        let now = Date()
        for result in results {
            let trial = result.trial
            let time = trial.started.map { String(format: "%.1f s", (trial.ended ?? now).timeIntervalSince($0)) } ?? ""
            let parameters = zip(trial.configuration.names, trial.configuration.values)
                .map { "\($0)=\($1.plainText)" }.joined(separator: " ")
            rows.append([String(trial.id), trial.status.rawValue, result.value.map { "\($0)" } ?? "-",
                         String(result.reportCount), time, parameters, trial.reason ?? ""])
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
}
