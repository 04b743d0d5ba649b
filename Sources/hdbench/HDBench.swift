import ArgumentParser
import Optimizer

@main
struct HDBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hdbench",
        abstract: "Hyperparameter sweeps on this machine, with Azure ML HyperDrive semantics.",
        version: Optimizer.version,
        subcommands: [
            BenchCommand.self, SweepCommand.self, StatusCommand.self, BestCommand.self, ExportCommand.self, ReplayCommand.self,
        ]
    )
}

/// `hdbench bench …`: speed and quality benchmarks.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: suggestion speed and sampler quality.",
        subcommands: [BenchSpeedCommand.self, BenchQualityCommand.self, BenchCompareCommand.self, BenchPoliciesCommand.self]
    )
}
