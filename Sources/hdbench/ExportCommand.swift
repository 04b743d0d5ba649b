import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench export DIR --format json|csv|optuna-journal`: every trial with its parameters and
/// results.
struct ExportCommand: AsyncParsableCommand {
    enum Format: String, CaseIterable { case json, csv, optunaJournal = "optuna-journal" }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export every trial as JSON, CSV or an Optuna journal.",
        discussion: """
            JSON: an array of objects with keys trial, status, parameters, value, history, reason, \
            started, ended (history: the primary metric's reports). CSV: one row per trial with a \
            column per parameter. optuna-journal: a file Optuna's \
            JournalStorage(JournalFileBackend(FILE)) loads as one study (needs -o; see the README \
            for how states and distributions map).
            """)

    @Argument(help: "The experiment folder.")
    var directory: String

    // A plain string, checked in `run`, so an unknown format exits with 2 like other bad input.
    @Option(help: "json, csv or optuna-journal.")
    var format: String = Format.json.rawValue

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
    var output: String?

    func run() async throws {
        guard let format = Format(rawValue: format) else {
            throw CLIError("--format: '\(format)' is not a format; use json, csv or optuna-journal", exitCode: 2)
        }
        if format == .optunaJournal, output == nil {
            throw CLIError("--format optuna-journal needs -o FILE (Optuna reads the journal from a file)", exitCode: 2)
        }
        let store = try openExperiment(directory)
        let text: String
        switch format {
        case .json: text = JSONValue.array(try store.results().map { $0.exportJSON() }).prettyPrinted() + "\n"
        case .csv: text = TrialResult.csv(try store.results())
        case .optunaJournal: text = try OptunaJournal(store: store).text
        }
        if let output {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                // Foundation wraps the POSIX error; its text ("No such file or directory") is the reason.
                let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey]
                let code = (underlying as? POSIXError)?.code.rawValue
                    ?? (underlying as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? Int32($0.code) : nil }
                let reason = code.map { String(cString: strerror($0)) } ?? error.localizedDescription
                throw CLIError("-o \(output): cannot write the file (\(Self.oneLine(reason)))", exitCode: 2)
            }
        } else {
            print(text, terminator: "")
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
