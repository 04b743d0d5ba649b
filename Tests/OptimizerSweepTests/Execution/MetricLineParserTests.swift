import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

extension ExperimentTests {
    @Suite struct MetricLineParserTests {
        @Test(arguments: [
            ("accuracy=0.93", "accuracy", 0.93),
            ("accuracy: 0.93", "accuracy", 0.93),
            ("  val/loss = -1e-3\r", "val/loss", -0.001),
            ("acc:.5", "acc", 0.5),
            ("epoch_3.acc=7", "epoch_3.acc", 7),
            ("loss=+2.5E+2", "loss", 250),
        ])
        func stdoutMetric(line: String, name: String, value: Double) {
            #expect(MetricLineParser.parseStdoutLine(line) == .metric(name: name, value: value, step: nil))
        }

        @Test func stdoutNonFinite() {
            guard case .metric(_, let nan, _) = MetricLineParser.parseStdoutLine("accuracy=NaN") else { Issue.record("no metric"); return }
            #expect(nan.isNaN)
            #expect(MetricLineParser.parseStdoutLine("loss: -inf") == .metric(name: "loss", value: -.infinity, step: nil))
            #expect(MetricLineParser.parseStdoutLine("loss=Infinity") == .metric(name: "loss", value: .infinity, step: nil))
        }

        @Test(arguments: ["Epoch 1/10", "", "   ", "=3", "3acc=1", "hello world: 3", "-x=1"])
        func stdoutIgnored(line: String) {
            #expect(MetricLineParser.parseStdoutLine(line) == .ignored)
        }

        @Test func stdoutNonNumeric() {
            #expect(MetricLineParser.parseStdoutLine("accuracy=high") == .nonNumeric(name: "accuracy", text: "high"))
            #expect(MetricLineParser.parseStdoutLine("accuracy=0x1p3") == .nonNumeric(name: "accuracy", text: "0x1p3"))
            #expect(MetricLineParser.parseStdoutLine("loss=0.5, acc=0.9") == .nonNumeric(name: "loss", text: "0.5, acc=0.9"))
            #expect(MetricLineParser.parseStdoutLine("acc=93%") == .nonNumeric(name: "acc", text: "93%"))
            #expect(MetricLineParser.parseStdoutLine("time: 12:30:01") == .nonNumeric(name: "time", text: "12:30:01"))
        }

        @Test func jsonLines() {
            #expect(MetricLineParser.parseJSONLine(#"{"name": "accuracy", "value": 0.93, "step": 3}"#)
                    == .metric(name: "accuracy", value: 0.93, step: 3))
            #expect(MetricLineParser.parseJSONLine(#"{"value": 1, "name": "a"}"#) == .metric(name: "a", value: 1, step: nil))
            #expect(MetricLineParser.parseJSONLine(#"{"name": "a", "value": "0.25", "step": 2.0}"#) == .metric(name: "a", value: 0.25, step: 2))
            #expect(MetricLineParser.parseJSONLine(#"{"name": "a", "value": -Infinity}"#) == .metric(name: "a", value: -.infinity, step: nil))
            guard case .metric(_, let nan, _) = MetricLineParser.parseJSONLine(#"{"name": "NaN-ish", "value": NaN}"#) else {
                Issue.record("bare NaN not read"); return
            }
            #expect(nan.isNaN)
            #expect(MetricLineParser.parseJSONLine("") == .ignored)
        }

        @Test(arguments: [
            (#"{"name": "a"}"#, "missing \"value\""),
            (#"{"value": 1}"#, "missing \"name\""),
            (#"{"name": "a", "value": "high"}"#, "\"value\""),
            (#"{"name": "a", "value": true}"#, "\"value\""),
            (#"[1, 2]"#, "not a JSON object"),
            (#"accuracy=0.9"#, "not valid JSON"),
            (#"{"name": "", "value": 1}"#, "empty \"name\""),
        ])
        func jsonMalformed(line: String, reasonContains: String) {
            guard case .malformed(let reason) = MetricLineParser.parseJSONLine(line) else {
                Issue.record("\(line) was not malformed"); return
            }
            #expect(reason.contains(reasonContains), "\(reason)")
        }

        @Test func mlflowLines() {
            #expect(MetricLineParser.parseMLflowLine("1796040858484 0.5 0", name: "acc") == .metric(name: "acc", value: 0.5, step: 0))
            #expect(MetricLineParser.parseMLflowLine("1796040858488 1e+301 4\n", name: "b") == .metric(name: "b", value: 1e301, step: 4))
            guard case .metric(_, let nan, _) = MetricLineParser.parseMLflowLine("1 nan 0", name: "c") else { Issue.record("nan"); return }
            #expect(nan.isNaN)
            #expect(MetricLineParser.parseMLflowLine("garbage", name: "c") == .malformed(reason: "expected \"timestamp value step\""))
            #expect(MetricLineParser.parseMLflowLine("", name: "c") == .ignored)
        }
    }
}
