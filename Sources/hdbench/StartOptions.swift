import ArgumentParser
import Foundation
import Optimizer
import OptimizerSweep

/// The options `sweep` and `validate` share about what a sweep starts from: configurations to
/// run first, earlier experiments to learn from, and a value that ends it.
struct StartOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Run these configurations first, in order (JSON lines, one object per line naming every search_space parameter, e.g. {\"lr\": 0.01, \"layers\": 2}); they count in max_total_trials.", valueName: "FILE"))
    var enqueue: String?

    @Option(name: .customLong("warm-start"), help: ArgumentHelp("Give the sampler the completed trials of an earlier experiment folder (repeatable); they do not count in max_total_trials.", valueName: "DIR"))
    var warmStart: [String] = []

    // A string, so that a value that is not a number gets hdbench's one-line message and exit 2.
    @Option(help: ArgumentHelp("End the sweep when a trial's primary metric reaches VALUE (≥ when maximizing, ≤ when minimizing); overrides x-hdbench.target.", valueName: "VALUE"))
    var target: String?

    /// Whether `--enqueue` or `--warm-start` was given.
    var givesStart: Bool { enqueue != nil || !warmStart.isEmpty }

    /// `definition` with `--target` applied (not a finite number: one line, exit 2).
    func applyTarget(to definition: inout SweepDefinition) throws {
        guard let target else { return }
        guard let value = Double(target.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw usageError([ConfigurationProblem(path: "--target", message: "'\(target)' is not a finite number; give the primary metric's value that ends the sweep, e.g. --target 0.95")])
        }
        definition.target = value
    }

    /// `--enqueue` and `--warm-start`, read and checked against `definition` (problems: one line
    /// each, exit 2).
    func read(for definition: SweepDefinition) throws -> SweepStart {
        var start = SweepStart()
        var problems: [ConfigurationProblem] = []
        if let enqueue {
            do {
                start.enqueued = try SweepStart.readEnqueue(URL(fileURLWithPath: enqueue), displayPath: enqueue, space: definition.searchSpace,
                                                            maxTotalTrials: definition.limits.maxTotalTrials)
            } catch {
                problems += error.problems
            }
        }
        for folder in warmStart {
            do {
                start.warmStart.append(try SweepStart.readWarmStart(URL(fileURLWithPath: folder).standardizedFileURL, displayPath: folder,
                                                                    space: definition.searchSpace, objective: definition.objective))
            } catch {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw usageError(problems) }
        return start
    }
}

extension SweepStart {
    /// One line per part of the start that is not empty, for people.
    var summaryLines: [String] {
        (enqueued.isEmpty ? [] : ["enqueued: \(enqueued.count) configuration\(enqueued.count == 1 ? "" : "s") run first"])
            + warmStart.map(\.summary.line)
    }
}
