// Notation: a(x) is the acquisition (maximised) over the unit cube [0, 1]^d; C is an m×d block
// of quasi-random candidates; r is the number of L-BFGS-B restarts.

/// Options of the multistart acquisition maximiser.
public struct AcquisitionMaximizerOptions: Sendable, Equatable {
    /// Candidates scored in one batched pass before any gradient step (as Optuna's GP sampler
    /// and BoTorch's `raw_samples`).
    public var candidateCount = 2048
    /// L-BFGS-B runs started from the best candidates.
    public var restartCount = 10
    /// Candidates are scored in chunks of this many columns to bound the n×m work matrices.
    public var chunkSize = 256
    /// Options for each L-BFGS-B run (on −a(x)).
    public var optimizer = LBFGSBOptions(maxIterations: 100, maxEvaluations: 200)

    public init() {}
}

/// The best point found and how it was found.
public struct AcquisitionMaximum: Sendable {
    /// The maximiser, in the unit cube.
    public var point: [Double]
    /// a(point).
    public var value: Double
    /// The best candidate's value before the gradient runs.
    public var bestCandidateValue: Double
    /// One result per L-BFGS-B run (objective −a).
    public var runs: [LBFGSBResult]
    /// Batched posterior calls made by the gradient phase (each serves every live run).
    public var batchedRounds: Int
}

/// Maximises an acquisition over the unit cube: scores a large batch of candidates in one
/// BLAS-3 pass, then runs L-BFGS-B from the best few, advancing all runs together so that
/// each round costs one batched posterior call.
public enum AcquisitionMaximizer {
    /// - Parameters:
    ///   - acquisition: the function to maximise.
    ///   - posterior: any ``Posterior`` (the GP, or a mock in tests).
    ///   - candidates: m×d points in the unit cube (the caller draws them, e.g. scrambled
    ///     Sobol from its seed, so the result is deterministic for a given seed).
    ///   - extraStarts: k×d points that always start an L-BFGS-B run, in addition to the best
    ///     candidates — e.g. the incumbent, so the acquisition is refined around the best
    ///     observation (as Optuna's GP sampler does).
    /// - Complexity: ⌈m/chunk⌉ posterior calls for scoring; then one posterior-with-gradient
    ///   call per round for at most `restartCount` points.
    public static func maximize(_ acquisition: ExpectedImprovement, posterior: some Posterior,
                                candidates: Matrix, extraStarts: Matrix? = nil,
                                options: AcquisitionMaximizerOptions = .init()) -> AcquisitionMaximum {
        let d = posterior.dimension
        precondition(candidates.columns == d && candidates.rows > 0,
                     "AcquisitionMaximizer: candidates are \(candidates.rows)×\(candidates.columns), d = \(d)")
        var scores: [Double] = []
        scores.reserveCapacity(candidates.rows)
        var start = 0
        while start < candidates.rows {
            let end = min(start + options.chunkSize, candidates.rows)
            scores += acquisition.evaluate(posterior, at: candidates.rows(start..<end))
            start = end
        }
        // NaN scores sort last: a candidate whose acquisition is undefined never starts a run.
        let order = scores.indices.sorted { a, b in
            let sa = scores[a].isNaN ? -.infinity : scores[a], sb = scores[b].isNaN ? -.infinity : scores[b]
            return sa != sb ? sa > sb : a < b
        }
        let lower = [Double](repeating: 0, count: d), upper = [Double](repeating: 1, count: d)
        var starts = order.prefix(options.restartCount).map { candidates.row($0) }
        if let extraStarts {
            precondition(extraStarts.columns == d, "AcquisitionMaximizer: extra starts are \(extraStarts.rows)×\(extraStarts.columns), d = \(d)")
            starts += (0..<extraStarts.rows).map { extraStarts.row($0) }
        }
        var machines = starts.map { LBFGSB(start: $0, lower: lower, upper: upper, options: options.optimizer) }
        var rounds = 0
        while true {
            let live = machines.indices.filter { machines[$0].pendingPoint != nil }
            if live.isEmpty { break }
            var batch = Matrix(rows: live.count, columns: d)
            for (k, i) in live.enumerated() {
                let p = machines[i].pendingPoint!
                for j in 0..<d { batch[k, j] = p[j] }
            }
            let (values, gradients) = acquisition.evaluateWithGradient(posterior, at: batch)
            rounds += 1
            for (k, i) in live.enumerated() {
                machines[i].step(value: -values[k], gradient: (0..<d).map { -gradients[k, $0] })
            }
        }
        let runs = machines.compactMap(\.result)
        var bestPoint = candidates.row(order[0])
        var bestValue = scores[order[0]]
        for r in runs where r.value.isFinite && -r.value > bestValue {
            bestValue = -r.value
            bestPoint = r.x
        }
        return AcquisitionMaximum(point: bestPoint, value: bestValue, bestCandidateValue: scores[order[0]],
                                  runs: runs, batchedRounds: rounds)
    }
}
