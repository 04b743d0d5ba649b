import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

@main
enum Entry {
    static func main() async {
        restartWithMatchingBLASKernelsIfNeeded()
        // HDBench.main() with one change: a missing or damaged experiment store exits with
        // code 2 (like an invalid YAML), where ArgumentParser would use 1 for any error.
        do {
            var command = try await HDBench.asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ExperimentStoreError where error.exitCode != 1 {
            printToStandardError("Error: \(error)")
            HDBench.exit(withError: ExitCode(error.exitCode))
        } catch let error as CLIError where error.exitCode != 1 {
            printToStandardError("Error: \(error)")
            HDBench.exit(withError: ExitCode(error.exitCode))
        } catch {
            HDBench.exit(withError: error)
        }
    }

    /// When OpenBLAS fell back to kernels older than the CPU (VMs that mask CPUID), restart this
    /// process once with `OPENBLAS_CORETYPE` set: the variable is read only at library load.
    /// An explicit `OPENBLAS_CORETYPE` is always respected.
    static func restartWithMatchingBLASKernelsIfNeeded() {
        guard getenv("OPENBLAS_CORETYPE") == nil, let core = BLAS.recommendedCoreType() else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", argv)
        // execv returns only on failure: carry on with the slower kernels.
        unsetenv("OPENBLAS_CORETYPE")
    }
}

struct HDBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hdbench",
        abstract: "Hyperparameter sweeps on this machine, with Azure ML HyperDrive semantics.",
        version: OptimizerLibrary.version,
        subcommands: [
            SweepCommand.self,
            ValidateCommand.self,
            SampleCommand.self,
            StatusCommand.self,
            BestCommand.self,
            ExportCommand.self,
            ReportCommand.self,
            ImportanceCommand.self,
            ReplayCommand.self,
            BenchCommand.self,
        ]
    )
}

/// `hdbench bench …`: speed and quality benchmarks.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: suggestion speed, sampler quality, policies on learning curves, warm start.",
        subcommands: [BenchSpeedCommand.self, BenchQualityCommand.self, BenchCompareCommand.self, BenchPoliciesCommand.self,
                      BenchWarmStartCommand.self]
    )
}
