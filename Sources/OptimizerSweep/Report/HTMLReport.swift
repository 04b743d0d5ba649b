public import Foundation
import Optimizer

/// The self-contained HTML report of an experiment (HyperDriveSemantics.md §Seeing and choosing).
///
/// One file, no network access when viewed: CSS and JavaScript are inline, charts are SVG
/// drawn by the inline script from the data, which is embedded once as JSON in
/// `<script type="application/json" id="report-data">`. The summary (best trial, counts,
/// compute saved, settings, notices about missing data) is static HTML, readable without
/// JavaScript.
///
/// Every user-provided text (parameter names and values, metric name, commands, reasons,
/// paths) is escaped: with ``HTMLEscaping/text(_:)`` in HTML, with
/// ``HTMLEscaping/jsonString(_:)`` in the JSON payload, and the script inserts it into the
/// page only as text (`textContent`), never as markup.
///
/// Page contract (used by tests and scripts):
/// - `body[data-rendered="true"]` once the script has drawn everything;
/// - `#report-errors` exists only if a script error occurred;
/// - `.notice[data-notice=…]` says what is missing (`no-trials`, `none-finished`, `no-metric`,
///   `trials-without-metric`, `non-finite`, `single-trial`, `no-parameters`, `remark`);
/// - `#trial-table[data-trial-count]` (all trials), `[data-filtered-count]`, one `tr.trial-row`
///   per trial on the current page (50 per page);
/// - each chart `svg[data-chart=…][data-marks=N]` (`time`, `index`, `curves`, `parallel`,
///   `scatter-<parameter>` (the slice plots), `importance` (one `rect.imp-bar` per parameter),
///   `contour-<x>-<y>` (one `rect.cell` per non-empty cell, `data-points` trials drawn),
///   `length-scales` (one `rect.ls-bar` per encoded coordinate)), learning curves with `data-stops` (policy stop markers), one
///   `path.curve` per trial with reports, one `path.pc-line` per trial in parallel coordinates.
public enum HTMLReport {
    /// Trials per table page.
    public static let pageSize = 50

    /// The report page for `model`.
    public static func render(_ model: ReportModel, now: Date = Date()) -> String {
        var html = ""
        html.reserveCapacity(4096 + model.trials.count * 400)
        let title = "hdbench report — " + (model.directory as NSString).lastPathComponent
        html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(HTMLEscaping.text(title))</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n"
        html += "<header><h1>\(HTMLEscaping.text(title))</h1>"
        html += "<p class=\"sub\">\(HTMLEscaping.text(model.directory)) · generated \(HTMLEscaping.text(Self.iso8601(now))) by \(HTMLEscaping.text(model.generator))</p></header>\n"
        html += "<noscript><div class=\"notice\">The charts and the trial table need JavaScript; the summary below is complete without it.</div></noscript>\n"
        for notice in notices(model) {
            html += "<div class=\"notice\" data-notice=\"\(notice.kind)\">\(HTMLEscaping.text(notice.text))</div>\n"
        }
        html += summary(model)
        html += """
            <section><h2>Primary metric over time</h2><p class="hint">Each trial's value (its best report) against when it started, and the best so far.</p><div class="chart" id="chart-time"></div></section>
            <section><h2>Primary metric by trial</h2><p class="hint">Each trial's value against its trial number, and the best so far.</p><div class="chart" id="chart-index"></div></section>
            <section><h2>Learning curves</h2><p class="hint">The primary metric at each report; ✕ marks where the early-termination policy stopped a trial. The best trial is drawn thick.</p><div class="chart" id="chart-curves"></div></section>
            <section id="importance"><h2>Parameter importance</h2><p class="hint">fANOVA over a random forest (Hutter, Hoos &amp; Leyton-Brown 2014; Optuna's defaults): each parameter's share of the metric's variation explained by the parameter alone, averaged over the search space (log space for log-scaled parameters, every option of a choice equally), summing to 1. Completed trials only.</p><p class="hint" id="importance-info"></p><div class="chart" id="chart-importance"></div></section>
            <section><h2>Contours of the most important pairs</h2><p class="hint">The two most important parameters against each other, and the most important against the third: the space is cut into cells (20 equal-width bins per numeric axis, in log space for log-scaled parameters; one per option of a choice), each coloured by the best value of the trials in it (yellow is best); dots are trials.</p><div class="charts" id="chart-contour"></div></section>
            <section><h2>Parallel coordinates</h2><p class="hint">One line per trial through its parameter values, coloured by the primary metric (yellow is best); grey lines have no value.</p><div class="chart" id="chart-parallel"></div></section>
            <section><h2>Slice plots: the metric against each parameter</h2><p class="hint">Most important parameter first. Log axes for log-scaled parameters, one category per option of a choice (spread sideways a little so points do not hide each other).</p><div class="charts" id="chart-scatter"></div></section>
            \(sampler(model))

            <section><h2>Trials</h2>
            <div class="controls"><input id="table-filter" type="search" placeholder="Filter: text in any column (e.g. cancelled, lr=0.01)" size="50"> <select id="table-status"><option value="">all statuses</option></select> <span id="table-info"></span> <button id="table-prev" type="button">◀ previous</button> <button id="table-next" type="button">next ▶</button></div>
            <div id="trial-detail" class="detail" hidden></div>
            <div class="table-wrap"><table id="trial-table" data-trial-count="\(model.trials.count)"><thead></thead><tbody></tbody></table></div>
            </section>

            """
        html += "<div id=\"tooltip\" class=\"tooltip\" hidden></div>\n"
        html += "<script type=\"application/json\" id=\"report-data\">"
        html += payload(model)
        html += "</script>\n<script>\n\(script)\n</script>\n</body>\n</html>\n"
        return html
    }

    // MARK: - Static parts

    struct Notice {
        var kind: String
        var text: String
    }

    static func notices(_ model: ReportModel) -> [Notice] {
        var notices: [Notice] = []
        let metric = model.objective.primaryMetric
        let finished = model.trials.filter(\.status.isFinished)
        let withValue = model.trials.filter { $0.value != nil }
        if model.trials.isEmpty {
            notices.append(Notice(kind: "no-trials", text: "No trial has been recorded yet: the sweep has not started any trial, so there is nothing to chart."))
        } else if finished.isEmpty {
            notices.append(Notice(kind: "none-finished", text: "No trial has finished yet (\(model.trials.count) running or queued); values below are provisional."))
        }
        if !model.trials.isEmpty && withValue.isEmpty {
            notices.append(Notice(kind: "no-metric", text: "No trial logged the primary metric ‘\(metric)’ as a finite number, so there is no best trial and the metric charts are empty. Check that the script prints \(metric)=VALUE or logs it (stdout, HDBENCH_METRICS_FILE or MLflow)."))
        } else if withValue.count < model.trials.count {
            let missing = model.trials.count - withValue.count
            notices.append(Notice(kind: "trials-without-metric", text: "\(missing) of \(model.trials.count) trials have no finite ‘\(metric)’ value; they are listed in the table but not drawn in the metric charts."))
        }
        let nonFinite = model.trials.reduce(0) { $0 + $1.curve.filter { !$0.isFinite }.count }
        if nonFinite > 0 {
            notices.append(Notice(kind: "non-finite", text: "\(nonFinite) report\(nonFinite == 1 ? " was" : "s were") not a finite number (NaN or ±inf): shown as gaps in the learning curves; they never rank a trial."))
        }
        if model.trials.count == 1 {
            notices.append(Notice(kind: "single-trial", text: "Only one trial: the comparisons between trials (parallel coordinates, scatter plots) have a single line or point."))
        }
        if model.parameters.isEmpty && !model.trials.isEmpty {
            notices.append(Notice(kind: "no-parameters", text: "The trials have no parameters, so there are no parameter charts."))
        }
        for remark in model.remarks { notices.append(Notice(kind: "remark", text: remark)) }
        return notices
    }

    static func summary(_ model: ReportModel) -> String {
        let e = HTMLEscaping.text
        var html = "<section id=\"summary\"><h2>Summary</h2><div class=\"grid\">\n"
        // Best trial.
        html += "<div class=\"card\" id=\"best\"><h3>Best trial</h3>"
        if let best = BestTrialDescription(model: model) {
            html += "<p class=\"big\"><span class=\"metric-name\">\(e(best.objective.primaryMetric))</span> = <b id=\"best-value\">\(e("\(best.value)"))</b> "
            html += "<span class=\"muted\">(\(e(best.objective.goal.rawValue)); trial <b id=\"best-trial\">\(best.trial)</b>, \(e(best.status.rawValue)))</span></p>"
            html += "<table class=\"kv\">"
            for (name, value) in zip(best.configuration.names, best.configuration.values) {
                html += "<tr><th>\(e(name))</th><td>\(e(value.plainText))</td></tr>"
            }
            html += "</table>"
            if let command = best.command { html += "<p><span class=\"label\">command as run</span><code class=\"block\">\(e(command))</code></p>" }
            if let code = best.codeDirectory { html += "<p><span class=\"label\">run in</span><code class=\"block\">\(e(code))</code></p>" }
            if let reproduce = best.reproduce { html += "<p><span class=\"label\">reproduce</span><code class=\"block\" id=\"best-reproduce\">\(e(reproduce))</code></p>" }
            html += "<p><span class=\"label\">trial folder</span><code class=\"block\">\(e(best.folder))</code></p>"
        } else {
            html += "<p class=\"muted\" id=\"best-none\">No best trial: no trial logged a finite ‘\(e(model.objective.primaryMetric))’.</p>"
        }
        html += "</div>\n"
        // Experiment.
        html += "<div class=\"card\"><h3>Experiment</h3><table class=\"kv\">"
        html += "<tr><th>objective</th><td>\(e(model.objective.goal.rawValue)) <span class=\"metric-name\">\(e(model.objective.primaryMetric))</span></td></tr>"
        html += "<tr><th>status</th><td>\(e(model.status))\(model.statusReason.map { " — " + e($0) } ?? "")</td></tr>"
        let counts = model.countsByStatus
        let countText = TrialStatus.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", ")
        html += "<tr><th>trials</th><td id=\"counts\">\(model.trials.count) (\(e(countText.isEmpty ? "none" : countText)))</td></tr>"
        html += "<tr><th>early termination saved</th><td id=\"savings\">\(e(model.savings.summary))</td></tr>"
        for setting in model.settings { html += "<tr><th>\(e(setting.name))</th><td>\(e(setting.value))</td></tr>" }
        if let template = model.commandTemplate { html += "<tr><th>command</th><td><code>\(e(template))</code></td></tr>" }
        if let code = model.codeDirectory { html += "<tr><th>code</th><td><code>\(e(code))</code></td></tr>" }
        for variable in model.environmentVariables { html += "<tr><th>env \(e(variable.name))</th><td><code>\(e(variable.value))</code></td></tr>" }
        html += "<tr><th>started</th><td>\(e(iso8601(model.created)))</td></tr>"
        html += "</table>"
        if !model.diagnostics.isEmpty {
            let shown = model.diagnostics.prefix(200)
            html += "<details><summary>\(model.diagnostics.count) diagnostic\(model.diagnostics.count == 1 ? "" : "s") (unparsable lines, non-finite values, failures)</summary><ul class=\"diagnostics\">"
            for diagnostic in shown { html += "<li>\(e(diagnostic))</li>" }
            if model.diagnostics.count > shown.count { html += "<li>… \(model.diagnostics.count - shown.count) more (see `hdbench status`)</li>" }
            html += "</ul></details>"
        }
        html += "</div>\n</div></section>\n"
        return html
    }

    // MARK: - Data

    /// The JSON payload: `{metric, goal, t0, best, params:[{name,scale,type,cats?}],
    /// importance:{items:[[name, importance, alone]], trials, leftOut} or {error},
    /// lengthScales:[[coordinate, ℓ]], lengthScaleTrial, trials:[[id,
    /// status, value, [parameter values], start, duration, stopAt, [curve], reason, stopReason,
    /// command, folder, reportsAfterStop]]}`; times in seconds from the first start, curve values
    /// with 7 significant digits, non-finite numbers as `null`.
    static func payload(_ model: ReportModel) -> String {
        let q = HTMLEscaping.jsonString
        let t0 = model.trials.compactMap(\.started).min() ?? model.created
        var json = "{\"metric\":\(q(model.objective.primaryMetric)),\"goal\":\(q(model.objective.goal.rawValue))"
        json += ",\"best\":\(model.best.map { String($0.id) } ?? "null")"
        json += ",\"pageSize\":\(pageSize)"
        json += ",\"params\":["
        json += model.parameters.map { parameter in
            var item = "{\"name\":\(q(parameter.name)),\"scale\":\(q(parameter.scale.rawValue)),\"type\":\(parameter.expressionType.map(q) ?? "null")"
            if case .choice(let options)? = model.searchSpace?[parameter.name] {
                let literals = options.compactMap { option -> String? in
                    if case .literal(let value) = option.normalized { return q(value.plainText) }
                    return nil
                }
                if literals.count == options.count { item += ",\"cats\":[\(literals.joined(separator: ","))]" }
            }
            return item + "}"
        }.joined(separator: ",")
        json += "],\"importance\":\(importancePayload(model))"
        json += ",\"lengthScales\":[\(model.lengthScales.map { "[\(q($0.coordinate)),\(HTMLEscaping.jsonNumber($0.value))]" }.joined(separator: ","))]"
        json += ",\"lengthScaleTrial\":\(model.lengthScales.first.map { String($0.trial) } ?? "null")"
        json += ",\"trials\":["
        var first = true
        for trial in model.trials {
            if !first { json += "," }
            first = false
            json += "[\(trial.id),\(q(trial.status.rawValue)),\(HTMLEscaping.jsonNumber(trial.value)),["
            json += model.parameters.map { parameter in
                guard let value = trial.configuration[parameter.name] else { return "null" }
                switch value {
                case .int(let i): return String(i)
                case .double(let x): return x.isFinite ? HTMLEscaping.jsonNumber(x) : q(value.plainText)
                case .string, .mapping: return q(value.plainText)
                }
            }.joined(separator: ",")
            json += "],"
            json += trial.started.map { HTMLEscaping.jsonNumber(($0.timeIntervalSince(t0) * 1000).rounded() / 1000) } ?? "null"
            json += ","
            json += trial.duration(now: trial.ended ?? trial.started ?? t0).map { HTMLEscaping.jsonNumber(($0 * 1000).rounded() / 1000) } ?? "null"
            json += ",\(trial.stoppedAtReport.map(String.init) ?? "null"),["
            json += trial.curve.map { HTMLEscaping.jsonNumber($0, significantDigits: 7) }.joined(separator: ",")
            json += "],\(trial.reason.map(q) ?? "null"),\(trial.stopReason.map(q) ?? "null"),\(trial.command.map(q) ?? "null"),\(q(trial.folder)),\(trial.reportsAfterStop)]"
        }
        json += "]}"
        return json
    }

    static func iso8601(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle()
        style.timeZone = TimeZone(identifier: "UTC") ?? .current
        return date.formatted(style)
    }
}

extension HTMLReport {
    /// Trials beyond this many are subsampled (seeded, evenly) before the report's importance
    /// forest is fitted, so a 10,000-trial report renders in seconds; `hdbench importance`
    /// uses every trial.
    public static let importanceTrialLimit = 2_000

    /// `{"items":[[name, importance, alone], …],"trials":N,"leftOut":"…"}` or `{"error":"…"}`.
    static func importancePayload(_ model: ReportModel) -> String {
        let q = HTMLEscaping.jsonString
        do {
            let summary = try model.parameterImportance(limit: importanceTrialLimit)
            let items = summary.importances.map {
                "[\(q($0.parameter)),\(HTMLEscaping.jsonNumber($0.importance, significantDigits: 6)),\(HTMLEscaping.jsonNumber($0.varianceFraction, significantDigits: 6))]"
            }
            return "{\"items\":[\(items.joined(separator: ","))],\"trials\":\(summary.trialCount),\"leftOut\":\(q(summary.leftOut))}"
        } catch {
            return "{\"error\":\(q("No parameter importance: \(error)."))}"
        }
    }

    /// The sampler section: diagnostics by kind, every fallback (up to 200) and, for Bayesian
    /// sweeps, where the length-scale chart goes.
    static func sampler(_ model: ReportModel) -> String {
        let e = HTMLEscaping.text
        var html = "<section id=\"sampler\"><h2>Sampler</h2>"
        let notes = model.samplerDiagnostics
        if notes.isEmpty {
            html += "<p class=\"muted\" id=\"sampler-none\">The sampler recorded no diagnostics (random, Sobol and grid sampling record none; Bayesian sampling records how each suggestion was chosen).</p>"
        } else {
            let counts = Dictionary(grouping: notes, by: \.diagnostic.kind).mapValues(\.count)
            let text = SamplerDiagnostic.Kind.allCases.compactMap { kind in counts[kind].map { "\($0) \(kind.rawValue)" } }.joined(separator: ", ")
            html += "<p id=\"sampler-counts\">Suggestions: \(e(text)).</p>"
            let fallbacks = notes.filter { $0.diagnostic.kind == .fallback }
            if fallbacks.isEmpty {
                html += "<p class=\"muted\" id=\"sampler-fallbacks\" data-count=\"0\">No fallback: every suggestion came from the intended method.</p>"
            } else {
                html += "<details open id=\"sampler-fallbacks\" data-count=\"\(fallbacks.count)\"><summary>\(fallbacks.count) fallback\(fallbacks.count == 1 ? "" : "s") (the intended method could not be used and a simpler one stood in)</summary><ul class=\"diagnostics\">"
                for note in fallbacks.prefix(200) { html += "<li>trial \(note.trial): \(e(note.diagnostic.message))</li>" }
                if fallbacks.count > 200 { html += "<li>… \(fallbacks.count - 200) more (see `hdbench status`)</li>" }
                html += "</ul></details>"
            }
        }
        if !model.lengthScales.isEmpty {
            html += "<h3>Fitted length-scales</h3><p class=\"hint\">The Gaussian process's length-scale per encoded coordinate (unit-cube units, log axis) at its last fit: a short length-scale means the metric changes quickly along that parameter, a long one (≳ 1) that the model found it nearly irrelevant.</p>"
        }
        html += "<div class=\"chart\" id=\"chart-length-scales\"></div></section>\n"
        return html
    }
}
