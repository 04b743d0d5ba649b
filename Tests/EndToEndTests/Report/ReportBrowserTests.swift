import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

/// Reports of real sweeps and of degenerate experiments, rendered by headless Chromium.
extension ReportTests {
    @Suite(.serialized) struct BrowserTests {
        /// Choice values that would mark the page if any of them ran as markup.
        static let hostileValues = [
            "<script>document.title='pwned'</script>",
            "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
            "say \"hi\" it's </script><!--",
        ]

        static let yaml = """
            type: sweep
            trial:
              command: python3 -u train.py --lr ${{search_space.lr}} --epochs 6 --sleep 0.02
              code: \(Fixtures.trials.path)
            search_space:
              lr: {type: loguniform, min_value: -7, max_value: -2.3}
              style: {type: choice, values: ['<script>document.title=''pwned''</script>', '<img src=x onerror="document.body.setAttribute(''data-pwned'',''1'')">', 'say "hi" it''s </script><!--']}
              layers: {type: choice, values: [1, 2, 3]}
            sampling_algorithm: {type: random, seed: 7}
            objective: {goal: maximize, primary_metric: accuracy}
            early_termination: {type: bandit, slack_amount: 0.02, evaluation_interval: 1, delay_evaluation: 2}
            limits: {max_total_trials: 10, max_concurrent_trials: 2}

            """

        /// Runs the sweep `yaml` (the one above by default) with real python3 trials into a fresh
        /// experiment folder.
        static func runSweep(_ yaml: String = yaml, label: String = "report-sweep") async throws -> ExperimentStore {
            let work = Fixtures.temporaryDirectory(label)
            let definition = try SweepDefinition(yaml: yaml, baseDirectory: work)
            let store = try ExperimentStore(directory: work.appendingPathComponent("exp"))
            let runner = SweepRunner(definition: definition, sampler: try makeSampler(definition.sampling, space: definition.searchSpace),
                                     store: store, options: SweepOptions(gracePeriod: 0.5),
                                     rendering: .standard(for: definition), earlyTermination: .forSpec(definition.earlyTermination))
            let summary = try await runner.run()
            #expect(summary.status == .completed)
            return store
        }

        @Test func realSweepReportRendersEveryTrialAndChart() async throws {
            #expect(Chromium.executable != nil, "\(Chromium.missing)")
            guard Chromium.executable != nil else { return }
            let store = try await Self.runSweep()
            let model = try ReportModel(store: store)
            let trials = model.trials
            #expect(trials.count == 10)
            #expect(model.parameters.map(\.scale) == [.log, .categorical, .categorical])
            let stops = try store.stopDecisions()
            #expect(!stops.isEmpty, "the bandit policy with slack 0.02 should stop some of the low-lr trials")

            let page = store.directory.appendingPathComponent("report.html")
            try Data(HTMLReport.render(model).utf8).write(to: page)
            let (dom, seconds) = try await Chromium.dumpDOM(page)
            let png = ReportArtifacts.folder.appendingPathComponent("report-real-sweep.png")
            try await Chromium.screenshot(page, to: png)
            print("report: \(page.path); screenshot: \(png.path); dump-dom \(String(format: "%.2f", seconds)) s")
            #expect(FileManager.default.fileExists(atPath: png.path))

            // Everything rendered, nothing failed.
            #expect(DOM.bodyTag(dom).contains("data-rendered=\"true\""))
            #expect(!dom.contains("id=\"report-errors\""), "script errors: \(dom)")
            // Every trial is in the table (one page of 50).
            #expect(DOM.attribute("data-trial-count", ofTagContaining: "id=\"trial-table\"", in: dom) == "10")
            #expect(DOM.attribute("data-filtered-count", ofTagContaining: "id=\"trial-table\"", in: dom) == "10")
            for trial in trials {
                #expect(dom.contains("<tr class=\"trial-row\(trial.id == model.best?.id ? " is-best" : "")\" data-trial=\"\(trial.id)\">"), "trial \(trial.id) row")
            }
            #expect(DOM.count("class=\"trial-row", in: dom) == 10)
            // Each chart has one mark per trial with a value / curve.
            let withValue = trials.filter { $0.value != nil }.count
            #expect(DOM.marks("time", in: dom) == withValue)
            #expect(DOM.marks("index", in: dom) == withValue)
            #expect(DOM.marks("curves", in: dom) == trials.filter { !$0.curve.isEmpty }.count)
            #expect(DOM.count("class=\"curve", in: dom) == trials.filter { !$0.curve.isEmpty }.count)
            #expect(DOM.attribute("data-stops", ofTagContaining: "data-chart=\"curves\"", in: dom) == String(stops.count))
            #expect(DOM.marks("parallel", in: dom) == trials.count)
            #expect(DOM.count("class=\"pc-line\"", in: dom) == trials.count)
            for name in ["lr", "style", "layers"] {
                #expect(DOM.marks("scatter-\(name)", in: dom) == withValue, "scatter of \(name)")
            }
            #expect(dom.contains("lr (log scale) · loguniform"))
            // Summary: best trial, reproduce line, savings, settings.
            let best = try #require(model.best)
            #expect(dom.contains("id=\"best-trial\">\(best.id)</b>"))
            #expect(dom.contains("id=\"best-reproduce\">cd "))
            #expect(dom.contains("\(stops.count) trial\(stops.count == 1 ? "" : "s") stopped early"))
            #expect(dom.contains("bandit (slack_amount 0.02, evaluation_interval 1, delay_evaluation 2)"))
            #expect(dom.contains("random (seed 7)"))
            #expect(dom.contains("max_total_trials 10, max_concurrent_trials 2"))

            // No injected markup ran; the values appear as escaped text.
            #expect(!DOM.bodyTag(dom).contains("data-pwned"))
            #expect(dom.contains("<title>hdbench report — exp</title>"))
            #expect(!dom.contains("<title>pwned"))
            let usedStyles = Set(trials.compactMap { $0.configuration["style"]?.plainText })
            #expect(!usedStyles.isEmpty)
            for value in usedStyles {
                let escaped = value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;")
                #expect(dom.contains(escaped), "escaped text of \(value)")
            }
            #expect(!dom.contains("<img src=\"x\""))
            #expect(!dom.contains("<img src=x"))
        }

        /// A real Bayesian sweep: the importance bar per parameter, the two contours with one cell
        /// per non-empty bin, the sampler's diagnostics by kind and one length-scale bar per
        /// encoded coordinate of the GP's last fit.
        @Test func bayesianSweepShowsImportanceContoursAndLengthScales() async throws {
            try #require(Chromium.executable != nil, "\(Chromium.missing)")
            let yaml = """
                type: sweep
                trial:
                  command: python3 -u train.py --lr ${{search_space.lr}} --epochs 3 --sleep 0.01
                  code: \(Fixtures.trials.path)
                search_space:
                  lr: {type: loguniform, min_value: -7, max_value: -2.3}
                  width: {type: uniform, min_value: 0, max_value: 1}
                  optimizer: {type: choice, values: [adam, sgd]}
                sampling_algorithm: {type: bayesian, seed: 3}
                objective: {goal: maximize, primary_metric: accuracy}
                limits: {max_total_trials: 13, max_concurrent_trials: 1}
                x-hdbench: {extensions: true}

                """
            let store = try await Self.runSweep(yaml, label: "report-bayesian")
            let model = try ReportModel(store: store)
            let dimension = SearchSpaceEncoding(try #require(model.searchSpace)).dimension
            #expect(model.lengthScales.count == dimension, "one length-scale per encoded coordinate")
            #expect(model.lengthScales.allSatisfy { $0.value.isFinite && $0.value > 0 })
            let page = store.directory.appendingPathComponent("report.html")
            try Data(HTMLReport.render(model).utf8).write(to: page)
            let (dom, _) = try await Chromium.dumpDOM(page)
            Self.expectValid(dom)
            #expect(DOM.marks("importance", in: dom) == 3)
            #expect(DOM.count("class=\"imp-bar\"", in: dom) == 3)
            let pairs = try ReportChartExpectations.contourPairs(model)
            #expect(pairs.count == 2)
            for (x, y) in pairs {
                #expect(DOM.marks("contour-\(x)-\(y)", in: dom) == ReportChartExpectations.contourCells(model, x, y), "contour \(x) × \(y)")
            }
            #expect(DOM.marks("length-scales", in: dom) == dimension)
            #expect(DOM.count("class=\"ls-bar\"", in: dom) == dimension)
            let kinds = Dictionary(grouping: try store.suggestions().flatMap(\.diagnostics), by: \.kind).mapValues(\.count)
            #expect(kinds[.initialDesign] == 10)
            let counts = SamplerDiagnostic.Kind.allCases.compactMap { kind in kinds[kind].map { "\($0) \(kind.rawValue)" } }.joined(separator: ", ")
            #expect(dom.contains("id=\"sampler-counts\">Suggestions: \(counts).</p>"))
            #expect(DOM.attribute("data-count", ofTagContaining: "id=\"sampler-fallbacks\"", in: dom) == String(kinds[.fallback] ?? 0))
            // Slice plots: every parameter against the metric, the most important first.
            let order = try model.parameterImportance().importances.map(\.parameter)
            let positions = order.map { dom.range(of: "data-chart=\"scatter-\($0)\"")!.lowerBound }
            #expect(positions == positions.sorted())
        }

        /// Fallbacks recorded by a sampler are listed with their trial and reason.
        @Test func samplerFallbacksAreListed() async throws {
            let trials = (0..<4).map { Self.trial($0, .completed) }
            let metrics = (0..<4).map { Self.metric($0, 0.5 + 0.1 * Double($0), 1) }
            let suggestions = (0..<4).map { id in
                SuggestionRecord(proposal: id, trial: id, diagnostics: id < 2
                    ? [SamplerDiagnostic(.initialDesign, "sobol draw")]
                    : [SamplerDiagnostic(.fallback, "the surrogate could not be fitted (<b>not markup</b>); drew a random configuration")], state: nil)
            }
            let (_, dom) = try await Self.render(trials: trials, metrics: metrics, suggestions: suggestions)
            Self.expectValid(dom)
            #expect(dom.contains("id=\"sampler-counts\">Suggestions: 2 initial_design, 2 fallback.</p>"))
            #expect(DOM.attribute("data-count", ofTagContaining: "id=\"sampler-fallbacks\"", in: dom) == "2")
            #expect(dom.contains("<li>trial 3: the surrogate could not be fitted (&lt;b&gt;not markup&lt;/b&gt;); drew a random configuration</li>"))
            // One parameter: an importance bar, no contour, a note instead; no length-scales (not a GP fit).
            #expect(DOM.marks("importance", in: dom) == 1)
            #expect(dom.contains("Contours need at least two parameters."))
            #expect(DOM.marks("length-scales", in: dom) == nil)
        }

        /// Too few completed trials for importance: the chart says why instead of failing.
        @Test func importanceNeedsTwoTrials() async throws {
            let (_, dom) = try await Self.render(trials: [Self.trial(0, .completed)], metrics: [Self.metric(0, 0.8, 1)])
            Self.expectValid(dom)
            #expect(dom.contains("No parameter importance: parameter importance needs at least 2 trials with a finite objective value; there is only 1."))
            #expect(DOM.marks("importance", in: dom) == nil)
        }

        /// An experiment with no trial at all: a valid page that says so.
        @Test func emptyExperiment() async throws {
            let (model, dom) = try await Self.render(trials: [], metrics: [])
            #expect(model.trials.isEmpty)
            Self.expectValid(dom)
            #expect(dom.contains("data-notice=\"no-trials\""))
            #expect(dom.contains("No trial has been recorded yet"))
            #expect(dom.contains("id=\"best-none\""))
            #expect(dom.contains("No trials yet."))
        }

        /// Trials that logged nothing (and one still running): no best, empty charts with a reason.
        @Test func trialsWithoutMetric() async throws {
            let trials = [Self.trial(0, .failed, reason: "exit code 1; stderr: boom"), Self.trial(1, .running)]
            let (_, dom) = try await Self.render(trials: trials, metrics: [])
            Self.expectValid(dom)
            #expect(dom.contains("data-notice=\"no-metric\""))
            #expect(dom.contains("No trial logged the primary metric ‘accuracy’"))
            #expect(dom.contains("No trial has a finite accuracy value yet."))
            #expect(dom.contains("so there are no learning curves"))
            #expect(DOM.count("class=\"trial-row", in: dom) == 2)
            #expect(dom.contains("exit code 1; stderr: boom"))
        }

        /// Only unfinished trials: the report says values are provisional.
        @Test func noTrialFinished() async throws {
            let trials = [Self.trial(0, .running)]
            let metrics = [Self.metric(0, 0.5, 1)]
            let (_, dom) = try await Self.render(trials: trials, metrics: metrics)
            Self.expectValid(dom)
            #expect(dom.contains("data-notice=\"none-finished\""))
            #expect(dom.contains("No trial has finished yet"))
        }

        /// NaN and infinite reports: gaps in the curves, never ranked, and a notice.
        @Test func nonFiniteValues() async throws {
            let trials = [Self.trial(0, .completed), Self.trial(1, .completed), Self.trial(2, .completed)]
            let metrics = [Self.metric(0, 0.5, 1), Self.metric(0, .nan, 2), Self.metric(0, 0.7, 3),
                           Self.metric(1, .nan, 1), Self.metric(1, .infinity, 2),
                           Self.metric(2, 0.6, 1), Self.metric(2, 0.65, 2)]
            let (model, dom) = try await Self.render(trials: trials, metrics: metrics)
            #expect(model.best?.id == 0)
            Self.expectValid(dom)
            #expect(dom.contains("data-notice=\"non-finite\""))
            #expect(dom.contains("3 reports were not a finite number"))
            #expect(dom.contains("data-notice=\"trials-without-metric\""))
            #expect(DOM.marks("time", in: dom) == 2)
            #expect(DOM.marks("curves", in: dom) == 3)
            #expect(DOM.marks("parallel", in: dom) == 3)
            #expect(DOM.count("class=\"trial-row", in: dom) == 3)
        }

        /// One trial: every chart has its single mark, and the report says comparisons are thin.
        @Test func singleTrial() async throws {
            let (_, dom) = try await Self.render(trials: [Self.trial(0, .completed)], metrics: [Self.metric(0, 0.8, 1), Self.metric(0, 0.9, 2)])
            Self.expectValid(dom)
            #expect(dom.contains("data-notice=\"single-trial\""))
            #expect(DOM.marks("time", in: dom) == 1)
            #expect(DOM.marks("index", in: dom) == 1)
            #expect(DOM.marks("curves", in: dom) == 1)
            #expect(DOM.marks("parallel", in: dom) == 1)
            #expect(DOM.marks("scatter-lr", in: dom) == 1)
            #expect(dom.contains("id=\"best-trial\">0</b>"))
        }

        // MARK: - Helpers

        static func expectValid(_ dom: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(DOM.bodyTag(dom).contains("data-rendered=\"true\""), "the script did not finish", sourceLocation: sourceLocation)
            #expect(!dom.contains("id=\"report-errors\""), "script errors in the page", sourceLocation: sourceLocation)
            #expect(dom.contains("<h2>Summary</h2>"), sourceLocation: sourceLocation)
        }

        static func trial(_ id: Int, _ status: TrialStatus, reason: String? = nil) -> TrialRecord {
            let start = Date(timeIntervalSince1970: 1_700_000_000 + Double(id))
            return TrialRecord(id: id, proposal: id, configuration: Configuration(names: ["lr"], values: [.double(0.001 * Double(id + 1))]),
                               status: status, reason: reason, created: start, started: start,
                               ended: status.isFinished ? start.addingTimeInterval(5) : nil,
                               command: "python3 train.py --lr \(0.001 * Double(id + 1))", folder: "/tmp/exp/trials/\(id)")
        }

        static func metric(_ trial: Int, _ value: Double, _ report: Int) -> MetricRecord {
            MetricRecord(trial: trial, name: "accuracy", value: value, step: nil, channel: .stdout,
                         time: Date(timeIntervalSince1970: 1_700_000_000 + Double(report)), reportIndex: report)
        }

        /// Writes a store with `trials` and `metrics` (no YAML: a sweep defined in Swift), renders
        /// its report and loads it in Chromium.
        static func render(trials: [TrialRecord], metrics: [MetricRecord], suggestions: [SuggestionRecord] = [],
                           label: String = #function) async throws -> (ReportModel, String) {
            try #require(Chromium.executable != nil, "\(Chromium.missing)")
            let directory = Fixtures.temporaryDirectory(label).appendingPathComponent("exp")
            let store = try ExperimentStore(directory: directory)
            try store.initialize(ExperimentRecord(yaml: "", configurationJSON: "{}", objective: Objective(goal: .maximize, primaryMetric: "accuracy")))
            for trial in trials { try store.save(trial) }
            try store.append(metrics: metrics)
            for suggestion in suggestions { try store.save(suggestion) }
            let model = try ReportModel(store: store)
            let page = directory.appendingPathComponent("report.html")
            try Data(HTMLReport.render(model).utf8).write(to: page)
            return (model, try await Chromium.dumpDOM(page).dom)
        }
    }
}
