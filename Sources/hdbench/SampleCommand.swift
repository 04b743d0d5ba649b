import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench sample JOB.yml --count N`: prints the configurations the job's sampler would
/// propose, one JSON object per line (parameters in the order written, values typed as they
/// are rendered into commands). Grid prints the grid in order, at most its size; random with a
/// finite space stops when the space is used up. Problems go to standard error with exit code
/// 2, as for `validate`.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Print configurations the sweep's sampler proposes, as JSON lines."
    )

    @Argument(help: "The sweep job YAML (Azure ML v2, type: sweep).")
    var job: String

    @Option(name: .shortAndLong, help: "Number of configurations to print.")
    var count: Int = 10

    @Option(help: "Seed (overrides sampling_algorithm.seed; 0 when neither is given).")
    var seed: UInt64?

    @Flag(help: "Turn on hdbench's extensions beyond Azure (same as x-hdbench: {extensions: true}).")
    var extensions = false

    @Option(name: .customLong("node"), help: ArgumentHelp("For a pipeline job (type: pipeline): the sweep node to sample.", valueName: "name"))
    var node: String?

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be ≥ 0") }
    }

    func run() throws {
        let definition = try loadSweepDefinition(path: job, extensions: extensions, node: node)
        for warning in definition.warnings { printToStandardError("warning: \(warning)") }
        var sampler: any Sampler
        do {
            sampler = try definition.makeSweepSampler(seed: seed)
        } catch {
            for problem in error.problems { printToStandardError(problem.description) }
            throw ExitCode(2)
        }
        var history = SamplerHistory(goal: definition.objective.goal)
        for trial in 0..<count {
            let next: Configuration?
            do {
                next = try sampler.suggest(history: history, trialIndex: trial)
            } catch let error as ConfigurationError {
                for problem in error.problems { printToStandardError(problem.description) }
                throw ExitCode(2)
            } catch {
                printToStandardError("error: \(error)")
                throw ExitCode(1)
            }
            guard let configuration = next else { break }
            if let index = configuration.values.firstIndex(where: { !$0.isFiniteNumber }) {
                // Validation rejects expressions whose draws overflow; never print Infinity or NaN as JSON.
                printToStandardError("search_space.\(configuration.names[index]): configuration \(trial) drew \(configuration.values[index].plainText), not a finite number; use smaller parameters for this expression")
                throw ExitCode(2)
            }
            print(configuration.jsonText)
            history.observations.append(SamplerObservation(trial: trial, configuration: configuration, value: nil, isPending: true))
        }
    }
}
