import ArgumentParser
import Foundation
import Optimizer

/// `hdbench best DIR [--json]`: the best trial's parameters, metric, folder and command.
struct BestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best",
        abstract: "Show the best trial: parameters, metric value, folder and the command that reproduces it.",
        discussion: "With --json, an object with keys trial, metric, value, goal, parameters, command, folder, status.")

    @Argument(help: "The experiment folder.")
    var directory: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let store = try ExperimentStore.open(existing: URL(fileURLWithPath: directory).standardizedFileURL)
        guard let experiment = try store.experiment() else { throw ExperimentStoreError.notAnExperiment(directory) }
        let objective = experiment.objective
        guard let best = try store.best(), let value = best.value else {
            throw CLIError("no trial has logged \(objective.primaryMetric) yet")
        }
        if json {
            print(best.bestJSON(objective: objective).prettyPrinted())
            return
        }
        print("trial \(best.trial.id) (\(best.trial.status.rawValue)): \(objective.primaryMetric) = \(value) (\(objective.goal.rawValue))")
        print("parameters: \(Format.parameters(best.trial.configuration))")
        print("folder: \(best.trial.folder)")
        if let command = best.trial.command { print("command: \(command)") }
        if let code = experiment.resolvedConfiguration?.codeDirectory { print("run in: \(code)") }
    }
}
