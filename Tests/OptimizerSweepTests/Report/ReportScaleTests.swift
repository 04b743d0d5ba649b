import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// A synthetic 10,000-trial experiment (20 reports each): the report stays usable.
extension ReportTests {
    @Suite(.serialized) struct ScaleTests {
        /// 10,000 trials × 20 reports of a noisy learning curve; every 3rd trial stopped at report 6.
        static func syntheticTrials(count: Int = 10_000, reports: Int = 20) -> (trials: [TrialRecord], metrics: [MetricRecord], stops: [StopDecisionRecord]) {
            var generator = SplitMix64(seed: 42)
            let t0 = Date(timeIntervalSince1970: 1_700_000_000)
            var trials: [TrialRecord] = []
            var metrics: [MetricRecord] = []
            var stops: [StopDecisionRecord] = []
            trials.reserveCapacity(count)
            metrics.reserveCapacity(count * reports)
            for id in 0..<count {
                let lr = exp(Double.random(in: -9 ... -1, using: &generator))
                let layers = Int.random(in: 1...4, using: &generator)
                let optimizer = ["adam", "sgd", "rmsprop"][Int.random(in: 0..<3, using: &generator)]
                let stopped = id % 3 == 2
                let n = stopped ? 6 : reports
                let start = t0.addingTimeInterval(Double(id) * 0.5)
                let quality = 1 - abs(log(lr) + 5) / 6 - Double(layers) * 0.02
                for k in 1...n {
                    let value = quality * (1 - exp(-Double(k) / 4)) + Double.random(in: -0.01...0.01, using: &generator)
                    metrics.append(MetricRecord(trial: id, name: "accuracy", value: value, step: k, channel: .metricsFile,
                                                time: start.addingTimeInterval(Double(k)), reportIndex: k))
                }
                if stopped { stops.append(StopDecisionRecord(trial: id, time: start.addingTimeInterval(6), reportCount: 6, reason: "bandit: below the slack")) }
                trials.append(TrialRecord(
                    id: id, proposal: id,
                    configuration: Configuration(names: ["lr", "layers", "optimizer"], values: [.double(lr), .int(layers), .string(optimizer)]),
                    status: stopped ? .cancelled : .completed, reason: stopped ? "stopped by early termination at report 6" : nil,
                    created: start, started: start, ended: start.addingTimeInterval(Double(n)),
                    command: "python3 train.py --lr \(lr) --layers \(layers) --optimizer \(optimizer)",
                    folder: "/tmp/synthetic/trials/\(id)"))
            }
            return (trials, metrics, stops)
        }

        static let yaml = """
            type: sweep
            trial:
              command: python3 train.py --lr ${{search_space.lr}} --layers ${{search_space.layers}} --optimizer ${{search_space.optimizer}}
              code: /nonexistent/moved
            search_space:
              lr: {type: loguniform, min_value: -9, max_value: -1}
              layers: {type: choice, values: [1, 2, 3, 4]}
              optimizer: {type: choice, values: [adam, sgd, rmsprop]}
            sampling_algorithm: random
            objective: {goal: maximize, primary_metric: accuracy}
            early_termination: {type: bandit, slack_factor: 0.1}
            limits: {max_total_trials: 10000, max_concurrent_trials: 8}

            """

        /// The same synthetic experiment as an in-memory model (what ``ReportModel/init(store:)``
        /// builds, without paying for 10,000 store transactions): run on every test run.
        @Test func tenThousandTrialsInMemory() async throws {
            try #require(Chromium.executable != nil, "\(Chromium.missing)")
            let (trials, metrics, stops) = Self.syntheticTrials()
            let curves = Dictionary(grouping: metrics, by: \.trial)
            let decisions = Dictionary(uniqueKeysWithValues: stops.map { ($0.trial, $0) })
            let space = try #require(ReportModel.searchSpace(fromYAML: Self.yaml))
            let model = ReportModel(
                directory: Fixtures.temporaryDirectory().appendingPathComponent("exp").path,
                objective: Objective(goal: .maximize, primaryMetric: "accuracy"), status: "completed",
                parameters: ReportModel.parameters(of: space),
                trials: trials.map { trial in
                    let curve = (curves[trial.id] ?? []).map(\.value)
                    return ReportModel.Trial(id: trial.id, status: trial.status, value: curve.max(), configuration: trial.configuration,
                                             reason: trial.reason, started: trial.started, ended: trial.ended, command: trial.command,
                                             folder: trial.folder, curve: curve, stoppedAtReport: decisions[trial.id]?.reportCount,
                                             stopReason: decisions[trial.id]?.reason)
                }, searchSpace: space)
            try FileManager.default.createDirectory(atPath: model.directory, withIntermediateDirectories: true)
            try await Self.check(model, stops: stops.count, label: "in-memory")
        }

        /// Fills a real store through its write API (10,000 transactions: ≈ 30 s here), builds the
        /// report from it and loads it in Chromium. Run with `HDBENCH_SCALE_TESTS=1`.
        @Test(.enabled(if: ProcessInfo.processInfo.environment["HDBENCH_SCALE_TESTS"] != nil))
        func tenThousandTrialsFromAStore() async throws {
            try #require(Chromium.executable != nil, "\(Chromium.missing)")
            let clock = ContinuousClock()
            let (trials, metrics, stops) = Self.syntheticTrials()
            let directory = Fixtures.temporaryDirectory().appendingPathComponent("exp")
            let store = try ExperimentStore(directory: directory)
            try store.initialize(ExperimentRecord(yaml: Self.yaml, configurationJSON: "{}", objective: Objective(goal: .maximize, primaryMetric: "accuracy")))
            let fill = try clock.measure {
                for trial in trials { try store.save(trial) }
                try store.append(metrics: metrics, stopDecisions: stops)
            }
            var model: ReportModel?
            let build = try clock.measure { model = try ReportModel(store: store) }
            let reportModel = try #require(model)
            print("10k store: fill \(fill), ReportModel(store:) \(build)")
            // The search space came from the stored YAML although its code folder does not exist.
            #expect(reportModel.parameters.map(\.scale) == [.log, .categorical, .categorical])
            #expect(reportModel.remarks.isEmpty)
            try await Self.check(reportModel, stops: stops.count, label: "store")
        }

        /// Renders `model`, loads it in Chromium, prints sizes and times, checks every mark.
        static func check(_ model: ReportModel, stops: Int, label: String) async throws {
            let clock = ContinuousClock()
            var html = ""
            let render = clock.measure { html = HTMLReport.render(model) }
            let page = URL(fileURLWithPath: model.directory).appendingPathComponent("report.html")
            try Data(html.utf8).write(to: page)
            let (dom, seconds) = try await Chromium.dumpDOM(page)
            let png = ReportArtifacts.folder.appendingPathComponent("report-10k-\(label).png")
            try await Chromium.screenshot(page, to: png)
            print("10k report (\(label)): \(html.utf8.count) bytes, rendered in \(render); chromium --dump-dom \(String(format: "%.2f", seconds)) s; DOM \(dom.utf8.count) bytes; screenshot \(png.path)")

            #expect(DOM.bodyTag(dom).contains("data-rendered=\"true\""))
            #expect(!dom.contains("id=\"report-errors\""))
            #expect(DOM.attribute("data-trial-count", ofTagContaining: "id=\"trial-table\"", in: dom) == "10000")
            #expect(DOM.count("class=\"trial-row", in: dom) == HTMLReport.pageSize)
            #expect(DOM.marks("time", in: dom) == 10_000)
            #expect(DOM.marks("curves", in: dom) == 10_000)
            #expect(DOM.attribute("data-stops", ofTagContaining: "data-chart=\"curves\"", in: dom) == String(stops))
            #expect(DOM.marks("parallel", in: dom) == 10_000)
            #expect(DOM.marks("scatter-lr", in: dom) == 10_000)
            #expect(dom.contains("lr (log scale) · loguniform"))
            // The importance chart (one bar per parameter; lr explains nearly everything) and the
            // two binned contours, each with one cell per non-empty bin and every trial as a dot.
            var fitted: ReportModel.ImportanceSummary?
            let importanceTime = try clock.measure { fitted = try model.parameterImportance(limit: HTMLReport.importanceTrialLimit) }
            let importance = try #require(fitted)
            print("10k report (\(label)): importance (part of the render) \(importanceTime): \(importance.importances.map { "\($0.parameter)=\(String(format: "%.3f", $0.importance))" }.joined(separator: " ")) from \(importance.trialCount) trials")
            #expect(importance.importances.first?.parameter == "lr")
            #expect(DOM.marks("importance", in: dom) == 3)
            #expect(DOM.count("class=\"imp-bar\"", in: dom) == 3)
            let pairs = try ReportChartExpectations.contourPairs(model, importance: importance)
            #expect(pairs.count == 2)
            var cells = 0
            for (x, y) in pairs {
                let expected = ReportChartExpectations.contourCells(model, x, y)
                cells += expected
                #expect(DOM.marks("contour-\(x)-\(y)", in: dom) == expected, "contour \(x) × \(y)")
                #expect(DOM.attribute("data-points", ofTagContaining: "data-chart=\"contour-\(x)-\(y)\"", in: dom) == "10000")
            }
            #expect(DOM.count("class=\"cell\"", in: dom) == cells)
            // Usable: the page must load well within a person's patience; 30 s is a generous
            // bound for a loaded 2-core machine (measured ≈ 4 s here).
            #expect(seconds < 30)
            // ≈ 370 bytes per trial with its 20-report curve; a bound that catches accidental bloat.
            #expect(html.utf8.count < 8_000_000)
        }
    }
}
