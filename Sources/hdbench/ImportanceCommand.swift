import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep

/// `hdbench importance DIR [--json]`: which parameters explain the primary metric (fANOVA).
struct ImportanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "importance",
        abstract: "Rank the parameters by how much of the primary metric's variation they explain (fANOVA).",
        discussion: """
            Fits a random forest (64 trees, Optuna's FanovaImportanceEvaluator defaults) to the \
            completed trials' parameters and primary-metric values and decomposes it by functional \
            ANOVA (Hutter, Hoos & Leyton-Brown 2014): a parameter's importance is the share of the \
            variance its main effect explains, averaged over the search space's prior (log space for \
            log-scaled expressions, uniform over a choice's options), normalised to sum to 1. Only \
            completed trials with a finite value count, as in Optuna; --include-stopped adds trials \
            stopped by the early-termination policy with their best value before the stop. The same \
            seed gives the same numbers. With --json, an array of {"parameter", "importance"} objects, \
            most important first.
            """)

    @Argument(help: "The experiment folder.")
    var directory: String

    @Flag(help: "Print JSON: an array of objects with keys parameter and importance.")
    var json = false

    @Flag(help: "Also learn from trials the early-termination policy stopped (their best value before the stop).")
    var includeStopped = false

    @Option(help: "The random forest's seed.")
    var seed: UInt64 = 0

    func run() async throws {
        let store = try openExperiment(directory)
        let model = try ReportModel(store: store)
        let summary: ReportModel.ImportanceSummary
        do {
            summary = try model.parameterImportance(includeStopped: includeStopped, seed: seed)
        } catch {
            throw CLIError("cannot rank parameters: \(error)\(model.trials.isEmpty ? "" : " (\(model.trials.count) trial\(model.trials.count == 1 ? "" : "s") recorded; only completed ones with a value count\(includeStopped ? ", plus stopped ones" : "; --include-stopped adds those stopped early"))")")
        }
        if json {
            print(JSONValue.array(summary.importances.map {
                .object([("parameter", .string($0.parameter)), ("importance", .number($0.importance))])
            }).prettyPrinted())
            return
        }
        print("parameter importance (fANOVA, 64 trees, seed \(seed)) from \(summary.trialCount) trial\(summary.trialCount == 1 ? "" : "s")"
              + (summary.leftOut.isEmpty ? "" : "; left out: \(summary.leftOut)"))
        let width = max(9, summary.importances.map(\.parameter.count).max() ?? 0)
        print("parameter".padding(toLength: width, withPad: " ", startingAt: 0) + "  importance  alone (mean ± sd over trees)")
        for item in summary.importances {
            let bar = String(repeating: "█", count: Int((item.importance * 30).rounded()))
            print(item.parameter.padding(toLength: width, withPad: " ", startingAt: 0)
                  + "  " + String(format: "%10.4f", item.importance)
                  + "  " + String(format: "%.4f ± %.4f", item.varianceFraction, item.standardDeviation) + (bar.isEmpty ? "" : "  " + bar))
        }
        let alone = summary.importances.reduce(0) { $0 + $1.varianceFraction }
        print("main effects explain \(String(format: "%.0f", alone * 100))% of the forest's variance; the rest is interactions between parameters")
    }
}
