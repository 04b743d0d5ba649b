import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep

/// The options `sweep` and `validate` share: how the YAML is read and what replaces its remote
/// assets.
struct JobOptions: ParsableArguments {
    @Option(name: .customLong("code"), help: ArgumentHelp("Use this local folder as trial.code (e.g. for code: azureml:…).", valueName: "dir"))
    var code: String?

    @Option(name: .customLong("input"), help: ArgumentHelp("Replace an input's value or path (repeatable), e.g. --input iris_csv=./iris.csv.", valueName: "name=value"))
    var inputs: [String] = []

    @Option(name: .customLong("node"), help: ArgumentHelp("For a pipeline job (type: pipeline): the sweep node to run as a sweep.", valueName: "name"))
    var node: String?

    @Flag(help: "Allow hdbench's extensions beyond Azure (Bayesian over every distribution, Bayesian with early termination).")
    var extensions = false

    @Flag(name: .customLong("append-arguments"), help: "v1 style: a command that names no search_space parameter gets every parameter appended as --name value (same as x-hdbench: {append_arguments: true}).")
    var appendArguments = false

    /// The overrides given, parsed.
    func overrides() throws -> SweepOverrides {
        var result = SweepOverrides(code: code)
        for argument in inputs {
            do {
                result.inputs.append(try SweepOverrides.parseInput(argument))
            } catch {
                throw usageError(error.problems)
            }
        }
        return result
    }

    /// Reads the job (problems: printed, exit 2; unreadable: exit 1) and applies the overrides
    /// (problems: printed, exit 2).
    func load(_ path: String) throws -> SweepDefinition {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            printToStandardError("error: cannot read \(path)")
            throw ExitCode(1)
        }
        let definition: SweepDefinition
        do {
            definition = try SweepDefinition(contentsOf: url, extensions: extensions, appendArguments: appendArguments, node: node)
        } catch {
            for problem in error.problems { printToStandardError(problem.description) }
            throw ExitCode(2)
        }
        return try apply(try overrides(), to: definition)
    }

    /// `definition` with `overrides` applied; problems are printed and exit with code 2.
    func apply(_ overrides: SweepOverrides, to definition: SweepDefinition) throws -> SweepDefinition {
        do {
            return try definition.applying(overrides, workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        } catch {
            throw usageError(error.problems)
        }
    }
}

/// Prints each problem as `error: …` and returns exit code 2 (a usage or configuration error).
func usageError(_ problems: [ConfigurationProblem]) -> ExitCode {
    for problem in problems { printToStandardError("error: \(problem.description)") }
    return ExitCode(2)
}

/// `--working-copy` (``WorkingCopyMode``).
enum WorkingCopyArgument: String, ExpressibleByArgument, CaseIterable {
    case auto, copy, link

    var mode: WorkingCopyMode {
        switch self {
        case .auto: return .auto
        case .copy: return .copy
        case .link: return .link
        }
    }
}
