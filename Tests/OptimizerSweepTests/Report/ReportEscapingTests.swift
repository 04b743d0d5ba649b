import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Escaping of user text in the HTML and the embedded JSON, checked on the generated text.
extension ReportTests {
    @Suite struct EscapingTests {
        static let hostile = "</script><script>alert(1)</script> \"q\" 'a' & \u{2028}\u{2029} <!-- x"

        @Test func jsonStringIsSafeInsideScriptAndParsesBack() throws {
            let literal = HTMLEscaping.jsonString(Self.hostile)
            #expect(!literal.contains("<"))
            #expect(!literal.contains(">"))
            #expect(!literal.contains("\u{2028}") && !literal.contains("\u{2029}"))
            #expect(literal.contains("\\u003c/script\\u003e"))
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
            #expect(decoded == [Self.hostile])
        }

        @Test func htmlTextEscapesMarkupAndQuotes() {
            #expect(HTMLEscaping.text("<a href=\"x\">it's & more</a>") == "&lt;a href=&quot;x&quot;&gt;it&#39;s &amp; more&lt;/a&gt;")
        }

        @Test func jsonNumbersAreValidJSON() throws {
            let values: [Double] = [0, 1, -2, 0.1, 1e-7, 3.5e20, 123456789.123, .nan, .infinity, -.infinity]
            let texts = values.map { HTMLEscaping.jsonNumber($0) } + values.map { HTMLEscaping.jsonNumber($0, significantDigits: 7) }
            let parsed = try JSONSerialization.jsonObject(with: Data("[\(texts.joined(separator: ","))]".utf8)) as? [Any]
            #expect(parsed?.count == texts.count)
            #expect(HTMLEscaping.jsonNumber(.nan) == "null")
            #expect(HTMLEscaping.jsonNumber(0.1) == "0.1")
        }

        /// Hostile text in every user-provided field: the page holds exactly two `<script`
        /// openings (the payload and the code), and the payload parses back to the exact text.
        @Test func everyUserFieldIsEscaped() throws {
            let h = Self.hostile
            let trial = ReportModel.Trial(
                id: 0, status: .cancelled, value: 0.5, configuration: Configuration(names: [h], values: [.string(h)]),
                reason: h, started: Date(), ended: Date(), command: "python3 t.py --p " + shellQuoted(h), folder: "/tmp/" + h,
                curve: [0.5], stoppedAtReport: 1, stopReason: h)
            let model = ReportModel(directory: "/tmp/" + h, objective: Objective(goal: .maximize, primaryMetric: h),
                                    status: "completed", statusReason: h, commandTemplate: h, codeDirectory: h,
                                    environmentVariables: [("KEY", h)], settings: [(h, h)],
                                    parameters: [.init(name: h, scale: .categorical)], trials: [trial],
                                    diagnostics: [h], remarks: [h])
            let html = HTMLReport.render(model)
            #expect(DOM.count("<script", in: html) == 2)
            #expect(DOM.count("</script>", in: html) == 2)
            #expect(!html.contains("<!-- x"))
            #expect(!html.contains("\u{2028}"))
            // The payload between its tags is JSON holding the exact strings.
            let start = try #require(html.range(of: "<script type=\"application/json\" id=\"report-data\">"))
            let end = try #require(html[start.upperBound...].range(of: "</script>"))
            let payload = try #require(try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
            #expect(payload["metric"] as? String == h)
            let params = try #require(payload["params"] as? [[String: Any]])
            #expect(params.first?["name"] as? String == h)
            let row = try #require((payload["trials"] as? [[Any]])?.first)
            #expect((row[3] as? [String]) == [h])
            #expect(row[8] as? String == h)
            #expect(row[9] as? String == h)
        }
    }
}
