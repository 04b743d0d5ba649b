import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

extension ExperimentTests {
    @Suite struct TrialOutputCollectorTests {
        private func append(_ text: String, to url: URL) throws {
            if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
            try handle.close()
        }

        private func reports(_ items: [TrialOutputCollector.Item]) -> [(String, Double, MetricChannel, Bool)] {
            items.compactMap {
                if case .report(let r, let duplicate) = $0 { return (r.name, r.value, r.channel, duplicate) }
                return nil
            }
        }

        private func diagnostics(_ items: [TrialOutputCollector.Item]) -> [String] {
            items.compactMap {
                if case .diagnostic(_, let message, _) = $0 { return message }
                return nil
            }
        }

        @Test func jsonLinesChannelReadsOnlyCompleteLines() throws {
            let folder = Fixtures.temporaryDirectory()
            let file = folder.appendingPathComponent("metrics.jsonl")
            var collector = TrialOutputCollector(folder: folder, primaryMetric: "accuracy")
            #expect(collector.poll().isEmpty)
            try append(#"{"name": "accuracy", "value": 0.5, "step": 1}"# + "\n" + #"{"name": "accuracy", "va"#, to: file)
            let first = collector.poll()
            #expect(reports(first).map(\.1) == [0.5])
            try append(#"lue": 0.75, "step": 2}"# + "\nnot json\n", to: file)
            let second = collector.poll()
            #expect(reports(second).map(\.1) == [0.75])
            #expect(diagnostics(second) == ["metrics file line ignored: not valid JSON"])
            try append(#"{"name": "loss", "value": 1.5}"#, to: file)  // no newline: only read when final
            #expect(collector.poll().isEmpty)
            #expect(reports(collector.poll(final: true)).map(\.0) == ["loss"])
        }

        @Test func stdoutNonNumericIsDiagnosticOnlyForKnownMetrics() throws {
            let folder = Fixtures.temporaryDirectory()
            let stdout = folder.appendingPathComponent("stdout.log")
            var collector = TrialOutputCollector(folder: folder, primaryMetric: "accuracy")
            try append("Note: starting\nloss=0.5\naccuracy=high\nloss=low\nNote: done\naccuracy=nan\n", to: stdout)
            let items = collector.poll()
            #expect(reports(items).map(\.0) == ["loss", "accuracy"])
            let messages = diagnostics(items)
            #expect(messages.count == 3, "\(messages)")
            #expect(messages[0].contains("accuracy") && messages[0].contains("\"high\""))
            #expect(messages[1].contains("loss") && messages[1].contains("\"low\""))
            #expect(messages[2].contains("non-finite"))
        }

        @Test func crossChannelDuplicatesAreFlaggedNotCounted() throws {
            let folder = Fixtures.temporaryDirectory()
            var collector = TrialOutputCollector(folder: folder, primaryMetric: "accuracy")
            try append("accuracy=0.5\naccuracy=0.6\n", to: folder.appendingPathComponent("stdout.log"))
            let metricsDir = folder.appendingPathComponent("mlruns/0/abc/metrics/val")
            try FileManager.default.createDirectory(at: metricsDir, withIntermediateDirectories: true)
            // MLflow repeats both stdout values and adds a third; the JSON channel logs a different one.
            try append("1 0.5 0\n2 0.6 1\n3 0.7 2\n", to: folder.appendingPathComponent("mlruns/0/abc/metrics/accuracy"))
            try append("1 3 0\n", to: metricsDir.appendingPathComponent("loss"))
            try append(#"{"name": "accuracy", "value": 0.55}"# + "\n", to: folder.appendingPathComponent("metrics.jsonl"))
            let got = reports(collector.poll(final: true))
            let expected: [(String, Double, MetricChannel, Bool)] = [
                ("accuracy", 0.5, .stdout, false), ("accuracy", 0.6, .stdout, false),
                ("accuracy", 0.55, .metricsFile, false),
                ("accuracy", 0.5, .mlflow, true), ("accuracy", 0.6, .mlflow, true), ("accuracy", 0.7, .mlflow, false),
                ("val/loss", 3, .mlflow, false),
            ]
            #expect(got.count == expected.count)
            for (g, e) in zip(got, expected) {
                #expect(g.0 == e.0 && g.1 == e.1 && g.2 == e.2 && g.3 == e.3, "\(g) vs \(e)")
            }
        }
    }
}
