import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench report DIR [-o FILE]`: the experiment as one self-contained HTML file.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of an experiment (works while the sweep runs).",
        discussion: """
            One file with no external resources (inline SVG, CSS and JavaScript): summary with the \
            best trial and the command that reproduces it, counts by status, compute saved by early \
            termination and the sweep settings; the primary metric of every trial against start \
            time and trial number with the best so far; learning curves with policy stops marked; \
            parallel coordinates; each parameter against the metric (log axes for log-scaled \
            parameters); a sortable, filterable trial table. Default output: DIR/report.html.
            """)

    @Argument(help: "The experiment folder.")
    var directory: String

    @Option(name: .shortAndLong, help: "Write the report here (default DIR/report.html).")
    var output: String?

    func run() async throws {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        let store = try openExperiment(directory)
        let model = try ReportModel(store: store)
        let html = HTMLReport.render(model)
        let destination = output.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? folder.appendingPathComponent("report.html")
        do {
            try Data(html.utf8).write(to: destination, options: .atomic)
        } catch {
            throw CLIError("cannot write \(destination.path): \(error.localizedDescription)\(output == nil ? "; pass -o FILE to write the report elsewhere" : "")")
        }
        print("report: \(destination.path) (\(model.trials.count) trial\(model.trials.count == 1 ? "" : "s"), \(ByteCountFormatter.string(fromByteCount: Int64(html.utf8.count), countStyle: .file)))")
    }
}
