import Foundation
import Optimizer
import OptimizerSweep
import OptimizerBenchmarks

/// Shows a running sweep: a live panel redrawn in place on a terminal, plain greppable lines
/// (``SweepEventLine``) otherwise, nothing with `--quiet`.
///
/// Events are queued in order on an `AsyncStream` and consumed by one task that owns all the
/// display state, so the runner never waits on the terminal and no state is shared.
struct SweepDisplay: Sendable {
    enum Mode: Sendable {
        /// ANSI panel, redrawn at most 4×/s; finished trials scroll above it.
        case live
        /// One line per event.
        case plain
        /// Nothing (the final summary is printed by the caller).
        case quiet

        /// `live` when standard output is a terminal (and `TERM` is not `dumb`), else `plain`.
        static func forStandardOutput() -> Mode {
            guard isatty(STDOUT_FILENO) != 0 else { return .plain }
            if ProcessInfo.processInfo.environment["TERM"] == "dumb" { return .plain }
            return .live
        }
    }

    private enum Input: Sendable {
        case event(SweepEvent)
        case tick
    }

    private let continuation: AsyncStream<Input>.Continuation
    private let consumer: Task<Void, Never>
    private let ticker: Task<Void, Never>?

    init(mode: Mode, objective: Objective, totalTrials: Int, history: [TrialResult]) {
        let (stream, continuation) = AsyncStream<Input>.makeStream()
        self.continuation = continuation
        let progress = SweepProgress(objective: objective, totalTrials: totalTrials, history: history)
        consumer = Task {
            var state = State(mode: mode, progress: progress)
            for await input in stream { state.handle(input) }
            state.finish()
        }
        ticker = mode == .live ? Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                continuation.yield(.tick)
            }
        } : nil
    }

    /// Queues `event` (called by the sweep runner, in order).
    func send(_ event: SweepEvent) {
        continuation.yield(.event(event))
    }

    /// Shows everything queued and leaves the final panel on screen.
    func finish() async {
        ticker?.cancel()
        continuation.finish()
        await consumer.value
    }

    private struct State {
        let mode: Mode
        var progress: SweepProgress
        var log: [String] = []
        var panelLines = 0

        init(mode: Mode, progress: SweepProgress) {
            self.mode = mode
            self.progress = progress
        }

        mutating func handle(_ input: Input) {
            switch input {
            case .tick:
                redraw()
            case .event(let event):
                let update = progress.apply(event)
                switch mode {
                case .quiet:
                    break
                case .plain:
                    if let line = SweepEventLine.line(for: event, objective: progress.objective, isBest: update.isNewBest) {
                        write(line + "\n")
                    }
                case .live:
                    // Only what is worth keeping scrolls above the panel; reports and starts live in the panel.
                    switch event {
                    case .metric, .trialStarted: break
                    case .sweepStarted, .codeSnapshot, .diagnostic, .trialStopped, .trialFinished:
                        if let line = SweepEventLine.line(for: event, objective: progress.objective, isBest: update.isNewBest) {
                            log.append(line)
                        }
                    }
                }
            }
        }

        mutating func finish() {
            if mode == .live { redraw() }
        }

        /// Moves up over the previous panel, clears to the end of the screen, prints the
        /// queued log lines, then the panel.
        mutating func redraw() {
            let width = Self.terminalWidth()
            var text = panelLines > 0 ? "\u{1B}[\(panelLines)F\u{1B}[J" : ""
            for line in log { text += line + "\n" }
            log.removeAll(keepingCapacity: true)
            let panel = progress.panel(width: width - 1, now: Date())
            for line in panel { text += line + "\u{1B}[K\n" }
            panelLines = panel.count
            write(text)
        }

        static func terminalWidth() -> Int {
            var size = winsize()
            let status = withUnsafeMutablePointer(to: &size) { ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), $0) }
            if status == 0, size.ws_col > 0 { return Int(size.ws_col) }
            return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
        }

        func write(_ text: String) {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
