import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench export DIR --format json|csv`: every trial with its parameters and results.
struct ExportCommand: AsyncParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export every trial as JSON or CSV.",
        discussion: """
            JSON: an array of objects with keys trial, status, parameters, value, history, reason, \
            started, ended (history: the primary metric's reports). CSV: one row per trial with a \
            column per parameter.
            """)

    @Argument(help: "The experiment folder.")
    var directory: String

    @Option(help: "json or csv.")
    var format: Format = .json

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
    var output: String?

    func run() async throws {
        let store = try openExperiment(directory)
        let results = try store.results()
        let text: String
        switch format {
        case .json: text = JSONValue.array(results.map { $0.exportJSON() }).prettyPrinted() + "\n"
        case .csv: text = TrialResult.csv(results)
        }
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } else {
            print(text, terminator: "")
        }
    }
}
