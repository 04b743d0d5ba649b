import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// `hdbench validate JOB.yml [--enqueue FILE] [--warm-start DIR …] [--target VALUE]`: checks a
/// sweep job, and what it would start from, without running it.
///
/// Prints `ok` and then any warnings (`warning: …`, one per line: among them whether v1-style
/// argument appending applies and each remote asset without an override) on standard output
/// and exits 0; or prints every problem, one per line as `path: message`, on standard error
/// and exits with code 2 (invalid configuration, or a bad `--code`/`--input`). Exit code 1
/// means the file could not be read.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a sweep job YAML and print every problem (exit code 2 when invalid)."
    )

    @Argument(help: "The sweep job YAML (Azure ML v2, type: sweep).")
    var job: String

    @OptionGroup var options: JobOptions

    @OptionGroup var startOptions: StartOptions

    func run() throws {
        var definition = try options.load(job)
        try startOptions.applyTarget(to: &definition)
        let start = try startOptions.read(for: definition)
        print("ok")
        for line in start.summaryLines { print(line) }
        for warning in definition.warnings { print("warning: \(warning)") }
        for note in Self.quotingNotes(definition.trial.command) { print("note: \(note)") }
        for asset in definition.unresolvedAssets {
            let what = asset.location.hasPrefix("${{parent.") ? "another pipeline job's output (hdbench runs only this node)" : "a remote asset hdbench cannot fetch"
            print("warning: \(asset.path): '\(asset.location)' is \(what); pass \(asset.argument) with a local copy")
        }
    }

    /// What hdbench does with each placeholder written inside quotes.
    static func quotingNotes(_ command: String) -> [String] {
        shellQuotingContexts(in: command).compactMap { placeholder, context in
            guard placeholder.namespace != nil else { return nil }
            switch context {
            case .doubleQuoted:
                return "trial.command: \(placeholder.text) is inside \"…\"; its value is written with a backslash before each $ ` \" \\ so it stays one literal string"
            case .singleQuoted:
                return "trial.command: \(placeholder.text) is inside '…'; each ' in its value is written as '\\'' so it stays one literal string"
            case .unquoted, .unescapable:
                return nil
            }
        }
    }
}

/// Reads and validates the sweep job at `path`, printing problems to standard error and
/// exiting with code 2 (invalid) or 1 (unreadable) instead of throwing.
func loadSweepDefinition(path: String, extensions: Bool, node: String? = nil) throws -> SweepDefinition {
    let url = URL(fileURLWithPath: path)
    guard FileManager.default.isReadableFile(atPath: url.path) else {
        printToStandardError("error: cannot read \(path)")
        throw ExitCode(1)
    }
    do {
        return try SweepDefinition(contentsOf: url, extensions: extensions, node: node)
    } catch {
        for problem in error.problems { printToStandardError(problem.description) }
        throw ExitCode(2)
    }
}

func printToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
