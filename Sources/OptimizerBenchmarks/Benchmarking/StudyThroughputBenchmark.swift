import Foundation
package import Optimizer

/// `hdbench bench speed --ask-tell N`: a library user's ``Study`` with the random sampler,
/// ask and tell in a loop for N trials (a 4-parameter space, the value a cheap function of the
/// configuration), timed per window of trials so that a cost growing with n shows as a falling
/// rate.
package struct StudyThroughputBenchmark: Sendable {
    /// Ask/tell pairs in all.
    package var trials: Int
    /// Pairs per timed window.
    package var window: Int
    package var seed: UInt64 = 0

    package init(trials: Int, window: Int) {
        precondition(trials >= 1 && window >= 1, "StudyThroughputBenchmark: trials \(trials), window \(window)")
        self.trials = trials
        self.window = window
    }

    /// One window's figures: trials `start..<start + trials`, their wall seconds and ask/tell
    /// pairs per second.
    package struct Window: Sendable, Codable {
        package var start, trials: Int
        package var seconds, pairsPerSecond: Double
    }

    package struct Result: Sendable, Codable {
        package var trials: Int
        package var windows: [Window]
        /// The slowest window's rate over the first's.
        package var slowestOverFirst: Double
        /// The process's peak resident bytes at the end (`VmHWM`).
        package var peakRSSBytes: Int?
    }

    /// The space: two continuous parameters, an integer and a choice.
    package static func space() throws -> SearchSpace {
        try SearchSpace(["x": .uniform(-5, 5), "lr": .logUniform(-9, -1), "layers": .quniform(1, 8, q: 1),
                         "activation": .choice(["relu", "tanh", "gelu"])])
    }

    package func run() throws -> Result {
        var study = try Study(space: Self.space(), goal: .minimize, sampler: .random(seed: seed))
        let clock = ContinuousClock()
        var windows: [Window] = []
        var done = 0
        while done < trials {
            let count = min(window, trials - done)
            let began = clock.now
            for _ in 0..<count {
                let trial = try study.ask()
                let x = trial.double("x") ?? 0
                study.tell(trial, value: x * x + (trial.double("layers") ?? 0))
            }
            let seconds = BayesianOptimizer.seconds(clock.now - began)
            windows.append(Window(start: done, trials: count, seconds: seconds, pairsPerSecond: Double(count) / max(seconds, 1e-9)))
            done += count
        }
        let first = windows[0].pairsPerSecond
        return Result(trials: trials, windows: windows,
                      slowestOverFirst: (windows.map(\.pairsPerSecond).min() ?? first) / first,
                      peakRSSBytes: SpeedBenchmark.peakRSSBytes())
    }
}
