import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench best DIR [--json]`: the best trial's parameters, metric, folder and command.
struct BestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "best",
        abstract: "Show the best trial: parameters, metric value, folder and the command that reproduces it.",
        discussion: """
            Prints `best: trial ID, METRIC = VALUE (GOAL), STATUS`, then its parameters, folder, the \
            command as run, the folder it ran in, and `reproduce:` — one shell line that runs it \
            again (cd to the code folder, AZUREML_SWEEP_<name> and environment_variables set, \
            /bin/sh -c COMMAND). With --json, an object with keys trial, metric, value, goal, \
            parameters, command, folder, status.
            """)

    @Argument(help: "The experiment folder.")
    var directory: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let store = try openExperiment(directory)
        guard let experiment = try store.experiment() else { throw ExperimentStoreError.notAnExperiment(directory) }
        let objective = experiment.objective
        guard let best = try store.best(), let value = best.value else {
            throw CLIError("no trial has logged \(objective.primaryMetric) yet")
        }
        if json {
            print(best.bestJSON(objective: objective).prettyPrinted())
            return
        }
        let resolved = experiment.resolvedConfiguration
        let description = BestTrialDescription(
            trial: best.trial.id, status: best.trial.status, objective: objective, value: value,
            configuration: best.trial.configuration, folder: best.trial.folder, command: best.trial.command,
            codeDirectory: resolved?.codeDirectory,
            environmentVariables: resolved?.environmentVariables.map { ($0.name, $0.value) } ?? [])
        print(description.lines.joined(separator: "\n"))
    }
}
