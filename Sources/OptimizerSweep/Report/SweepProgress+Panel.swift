package import Foundation
import Optimizer

extension SweepProgress {
    /// The live view's lines, each at most `width` columns (so redrawing in place never wraps):
    ///
    /// ```
    /// [██████████░░░░░░░░░░░░░░]  12/50 trials  24%   elapsed 1m 02s   ETA ~3m 10s
    /// 4 running · 7 completed · 3 cancelled · 1 failed
    /// best: trial 5  accuracy=0.9312  lr=0.01 layers=2
    /// early termination: 3 trials stopped early, ~45 reports (~38 s, 21%) not run
    /// running:
    ///   trial 9   accuracy=0.812 (report 4)  12.3 s  lr=0.02 layers=3
    /// ```
    ///
    /// At most `maxRunning` running trials are listed (the most recently started), then `…`.
    package func panel(width: Int, now: Date, maxRunning: Int = 8) -> [String] {
        let width = max(width, 20)
        var lines: [String] = []
        let total = max(totalTrials, finished + running.count)
        let fraction = total > 0 ? Double(finished) / Double(total) : 0
        let barWidth = max(10, min(40, width - 60))
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + "]"
        var head = "\(bar) \(finished)/\(total) trials \(String(format: "%3.0f%%", fraction * 100))"
        head += "   elapsed \(ComputeSavings.duration(now.timeIntervalSince(started)))"
        if finished >= total && running.isEmpty {
            head += "   done"
        } else if let eta = estimatedSecondsRemaining(now: now) {
            head += "   ETA ~\(ComputeSavings.duration(eta))"
        } else {
            head += "   ETA …"
        }
        lines.append(head)
        var counts = ["\(running.count) running"]
        for status in TrialStatus.allCases where status != .running {
            if let n = finishedByStatus[status], n > 0 { counts.append("\(n) \(status.rawValue)") }
        }
        lines.append(counts.joined(separator: " · "))
        if let best {
            lines.append("best: trial \(best.id)  \(objective.primaryMetric)=\(best.value)  \(Self.parameters(best.configuration))")
        } else {
            lines.append("best: none yet (no \(objective.primaryMetric) reported)")
        }
        if stoppedByPolicy > 0 {
            lines.append("early termination: \(savings.summary)")
        }
        if !running.isEmpty {
            lines.append("running:")
            let shown = running.values.sorted { $0.id > $1.id }.prefix(maxRunning).sorted { $0.id < $1.id }
            for trial in shown {
                let value = trial.latestValue.map { "\(objective.primaryMetric)=\(Self.short($0)) (report \(trial.reportCount))" }
                    ?? "no \(objective.primaryMetric) yet"
                lines.append("  trial \(trial.id)  \(value)  \(ComputeSavings.duration(now.timeIntervalSince(trial.started)))  \(Self.parameters(trial.configuration))")
            }
            if running.count > shown.count { lines.append("  … and \(running.count - shown.count) more") }
        }
        return lines.map { Self.truncated($0, to: width) }
    }

    static func parameters(_ configuration: Configuration) -> String {
        zip(configuration.names, configuration.values).map { "\($0)=\($1.plainText)" }.joined(separator: " ")
    }

    static func short(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let text = String(format: "%.6g", value)
        return text.count < "\(value)".count ? text : "\(value)"
    }

    /// `text` cut to `width` characters (an ellipsis marks the cut); control characters from
    /// user text become spaces so they cannot move the cursor.
    static func truncated(_ text: String, to width: Int) -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : $0 }))
        guard clean.count > width else { return clean }
        return String(clean.prefix(width - 1)) + "…"
    }
}
