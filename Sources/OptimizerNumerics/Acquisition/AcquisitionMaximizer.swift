// Notation: a(x) is the acquisition (maximised) over the unit cube [0, 1]^d; C is an m×d block
// of quasi-random candidates; r is the number of L-BFGS-B restarts. In a mixed space the
// coordinates split into free ones F (continuous: optimised by L-BFGS-B) and discrete ones
// (read only through rounding, binning or argmax); snap(x) = encode(decode(x)) moves a point
// onto the configuration that would actually run.

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
    /// Mixed spaces: the best this many distinct points enter the discrete local search.
    public var discreteSearchWidth = 3
    /// Mixed spaces: at most this many rounds of discrete moves, each followed by a
    /// continuous L-BFGS-B polish of the points that moved.
    public var discreteSearchRounds = 4
    /// Screening (`nil`: off, the default): when the posterior can bound its variance
    /// (``VarianceBoundingPosterior``), candidates are first scored with the exact mean and a
    /// variance conditioned on this many observations only — an upper bound on the
    /// acquisition, as EI grows with σ — and the exact acquisition is then computed in order of
    /// that bound, `screeningChunk` candidates at a time, until the next bound falls below the
    /// `restartCount`-th best exact value. The starts chosen are those of a full pass; only
    /// the cost changes. The large-history path turns it on (<doc:DecisionLog#Large-histories>).
    public var screeningRows: Int?
    /// Candidates scored exactly per screening round.
    public var screeningChunk = 64
    /// The box [lower, upper] ⊆ [0, 1]^d the L-BFGS-B runs stay in (`nil`: the unit cube). The
    /// Bayesian sampler's trust region sets it; the caller then draws the
    /// candidates and extra starts inside it too. Discrete moves and snapping are not bounded.
    public var searchBox: SearchBox?

    public init() {}
}

/// An axis-aligned box inside the unit cube: lowerⱼ ≤ xⱼ ≤ upperⱼ for each coordinate j.
public struct SearchBox: Sendable, Hashable {
    /// d lower bounds, each in [0, 1].
    public var lower: [Double]
    /// d upper bounds, each in [lowerⱼ, 1].
    public var upper: [Double]

    /// - Precondition: `lower` and `upper` have the same length and 0 ≤ lowerⱼ ≤ upperⱼ ≤ 1.
    public init(lower: [Double], upper: [Double]) {
        precondition(lower.count == upper.count, "SearchBox: \(lower.count) lower and \(upper.count) upper bounds")
        precondition(zip(lower, upper).allSatisfy { 0 <= $0 && $0 <= $1 && $1 <= 1 },
                     "SearchBox: bounds must satisfy 0 ≤ lower ≤ upper ≤ 1")
        self.lower = lower
        self.upper = upper
    }

    /// Whether `point` lies in the box (bounds included).
    public func contains(_ point: [Double]) -> Bool {
        point.count == lower.count && point.indices.allSatisfy { lower[$0] <= point[$0] && point[$0] <= upper[$0] }
    }
}

/// The discrete structure of an encoded space (the `Optimizer` module builds it from a search space encoding), which makes the
/// maximiser search over points that can actually run instead of a continuous relaxation.
public struct DiscreteCoordinates: Sendable {
    /// `isDiscrete[j]` is true when coordinate j is only read through rounding, binning or
    /// argmax (count d).
    public var isDiscrete: [Bool]
    /// Blocks of coordinates read as an argmax (one-hot choices): a move sets one of them to 1
    /// and the rest of the block to 0.
    public var oneHotBlocks: [Range<Int>]
    /// Moves a point of the cube onto the nearest point that decodes and re-encodes to itself.
    public var snap: @Sendable ([Double]) -> [Double]
    /// Values tried for each discrete coordinate outside the one-hot blocks, in addition to
    /// the current value ± `localSteps`: the whole range on a grid of 1/16, so every value of
    /// an integer or ordinal choice with up to 16 values is reachable in one move.
    public var probes: [Double] = (0...16).map { Double($0) / 16 }
    /// Offsets from the current value tried for each such coordinate (the neighbouring
    /// integers of wide ranges).
    public var localSteps: [Double] = [-0.03, -0.01, 0.01, 0.03]

    /// - Parameters:
    ///   - isDiscrete: per coordinate, whether it is discrete.
    ///   - oneHotBlocks: the argmax-decoded blocks (their coordinates must be discrete).
    ///   - snap: the projection onto runnable points (must be idempotent).
    public init(isDiscrete: [Bool], oneHotBlocks: [Range<Int>] = [], snap: @escaping @Sendable ([Double]) -> [Double]) {
        self.isDiscrete = isDiscrete
        self.oneHotBlocks = oneHotBlocks
        self.snap = snap
    }

    /// The distinct snapped points that differ from `point` in one discrete parameter
    /// (`point` itself excluded), in a fixed order: every option of each one-hot block, then
    /// the probes of each other discrete coordinate.
    package func neighbours(of point: [Double]) -> [[Double]] {
        var seen: Set<[Double]> = [point]
        var out: [[Double]] = []
        func add(_ q: [Double]) {
            var s = snap(q)
            // snap is exact on discrete coordinates but may move continuous ones by a few ulps
            // (an affine or CDF map and its inverse); keep the point's own values there, so a
            // move that changes nothing is recognised as `point` itself.
            for j in s.indices where !isDiscrete[j] && abs(s[j] - point[j]) <= 1e-12 { s[j] = point[j] }
            if seen.insert(s).inserted { out.append(s) }
        }
        var inBlock = [Bool](repeating: false, count: isDiscrete.count)
        for block in oneHotBlocks {
            for i in block {
                inBlock[i] = true
                var q = point
                for j in block { q[j] = j == i ? 1 : 0 }
                add(q)
            }
        }
        for j in isDiscrete.indices where isDiscrete[j] && !inBlock[j] {
            for t in probes + localSteps.map({ point[j] + $0 }) {
                var q = point
                q[j] = min(max(t, 0), 1)
                add(q)
            }
        }
        return out
    }
}

/// A point of the cube with its acquisition value.
public struct AcquisitionPoint: Sendable, Equatable {
    /// The point, in the unit cube (snapped in mixed spaces).
    public var point: [Double]
    /// a(point).
    public var value: Double

    public init(point: [Double], value: Double) {
        self.point = point
        self.value = value
    }
}

/// The best point found and how it was found.
public struct AcquisitionMaximum: Sendable {
    /// The maximiser, in the unit cube.
    public var point: [Double]
    /// a(point).
    public var value: Double
    /// The best candidate's value before the gradient runs.
    public var bestCandidateValue: Double
    /// One result per L-BFGS-B run of the first pass (objective −a; in mixed spaces `x` is the
    /// whole point with the discrete coordinates held fixed, before snapping).
    public var runs: [LBFGSBResult]
    /// Every end point of the search with a finite value, best first, distinct, never empty,
    /// `point` first: what a caller falls back on when the best point cannot be used (e.g. its
    /// configuration already ran).
    public var finalists: [AcquisitionPoint]
    /// Batched posterior calls made by the gradient phase (each serves every live run).
    public var batchedRounds: Int
    /// Discrete moves that improved a point (mixed spaces only).
    public var discreteMoves: Int
    /// Candidates whose acquisition was computed exactly (all of them without screening).
    public var exactlyScored: Int
}

extension AcquisitionMaximum {
    /// A point chosen without a search (e.g. a random restart point), with value a(point) or
    /// −∞ when it was not scored: the only finalist, no runs.
    public init(chosen point: [Double], value: Double) {
        self.init(point: point, value: value, bestCandidateValue: value, runs: [],
                  finalists: [AcquisitionPoint(point: point, value: value)], batchedRounds: 0, discreteMoves: 0, exactlyScored: 0)
    }
}

/// Maximises an acquisition over the unit cube: scores a large batch of candidates in one
/// BLAS-3 pass, then runs L-BFGS-B from the best few, advancing all runs together so that
/// each round costs one batched posterior call.
///
/// In a mixed space (``DiscreteCoordinates`` given) every candidate is snapped before it is
/// scored, L-BFGS-B moves only the continuous coordinates, and a local search then tries every
/// single-parameter change of the discrete coordinates of the best few points, alternating with
/// continuous polishing — the scheme of Optuna's GP sampler and of BoTorch's
/// `optimize_acqf_mixed_alternating`, rather than optimising a continuous relaxation whose
/// maximum decodes to some other configuration (Garrido-Merchán & Hernández-Lobato 2020,
/// "Dealing with categorical and integer-valued variables in Bayesian optimization with
/// Gaussian processes", show the relaxation's mismatch costs regret).
public enum AcquisitionMaximizer {
    /// - Parameters:
    ///   - acquisition: the function to maximise.
    ///   - posterior: any ``Posterior`` (the GP, or a mock in tests).
    ///   - candidates: m×d points in the unit cube (the caller draws them, e.g. scrambled
    ///     Sobol from its seed, so the result is deterministic for a given seed).
    ///   - extraStarts: k×d points that always start an L-BFGS-B run, in addition to the best
    ///     candidates — e.g. the incumbent, so the acquisition is refined around the best
    ///     observation (as Optuna's GP sampler does).
    ///   - discrete: the space's discrete structure, `nil` for a continuous space.
    /// - Complexity: ⌈m/chunk⌉ posterior calls for scoring; then one posterior-with-gradient
    ///   call per round for at most `restartCount` points; in mixed spaces, per search round,
    ///   one scoring pass over at most width × (discrete coordinates) × 21 neighbours.
    public static func maximize(_ acquisition: ExpectedImprovement, posterior: some Posterior,
                                candidates: Matrix, extraStarts: Matrix? = nil,
                                discrete: DiscreteCoordinates? = nil,
                                options: AcquisitionMaximizerOptions = .init()) -> AcquisitionMaximum {
        let d = posterior.dimension
        precondition(candidates.columns == d && candidates.rows > 0,
                     "AcquisitionMaximizer: candidates are \(candidates.rows)×\(candidates.columns), d = \(d)")
        if let discrete {
            precondition(discrete.isDiscrete.count == d, "AcquisitionMaximizer: \(discrete.isDiscrete.count) discrete flags, d = \(d)")
        }
        let snap: ([Double]) -> [Double] = discrete?.snap ?? { $0 }
        var pool = candidates
        if discrete != nil {
            for i in 0..<pool.rows {
                let s = snap(pool.row(i))
                for j in 0..<d { pool[i, j] = s[j] }
            }
        }
        let scores: [Double]
        let order: [Int]
        if let rows = options.screeningRows, let bounding = posterior as? any VarianceBoundingPosterior {
            (scores, order) = screen(acquisition, posterior: bounding, points: pool, rows: rows, keep: max(options.restartCount, 1),
                                     chunkSize: options.screeningChunk, boundChunk: max(options.chunkSize, 1))
        } else {
            scores = score(acquisition, posterior: posterior, points: pool, chunkSize: options.chunkSize)
            order = Self.bestFirst(scores, among: Array(scores.indices))
        }
        var starts = order.prefix(options.restartCount).map { pool.row($0) }
        if let extraStarts {
            precondition(extraStarts.columns == d, "AcquisitionMaximizer: extra starts are \(extraStarts.rows)×\(extraStarts.columns), d = \(d)")
            starts += (0..<extraStarts.rows).map { snap(extraStarts.row($0)) }
        }
        let free = discrete.map { flags in flags.isDiscrete.indices.filter { !flags.isDiscrete[$0] } } ?? Array(0..<d)
        var rounds = 0
        let runs = polish(starts, free: free, acquisition: acquisition, posterior: posterior,
                          options: options.optimizer, box: options.searchBox, rounds: &rounds)

        let bestCandidate = AcquisitionPoint(point: pool.row(order[0]), value: scores[order[0]])
        var finalists = distinctBestFirst([bestCandidate] + ends(of: runs, discrete: discrete, acquisition: acquisition,
                                                                 posterior: posterior, chunkSize: options.chunkSize))
        var moves = 0
        if let discrete {
            localSearch(&finalists, discrete: discrete, free: free, acquisition: acquisition, posterior: posterior,
                        options: options, rounds: &rounds, moves: &moves)
        }
        // Every value non-finite: the best candidate still stands (the sampler decides).
        if finalists.isEmpty { finalists = [bestCandidate] }
        let best = finalists[0]
        return AcquisitionMaximum(point: best.point, value: best.value, bestCandidateValue: scores[order[0]],
                                  runs: runs, finalists: finalists, batchedRounds: rounds, discreteMoves: moves,
                                  exactlyScored: order.count)
    }

    /// `indices` ordered by `scores`, best first; NaN scores sort last (a candidate whose
    /// acquisition is undefined never starts a run), ties by index.
    static func bestFirst(_ scores: [Double], among indices: [Int]) -> [Int] {
        indices.sorted { a, b in
            let sa = scores[a].isNaN ? -.infinity : scores[a], sb = scores[b].isNaN ? -.infinity : scores[b]
            return sa != sb ? sa > sb : a < b
        }
    }

    /// Exact scores for as few rows as the bound allows (``AcquisitionMaximizerOptions/screeningRows``):
    /// the returned order holds the exactly scored rows, best first, and its first `keep` are
    /// those a full pass would pick (up to ties and rounding of the bound). Unscored rows hold
    /// their bound in `scores`.
    static func screen(_ acquisition: ExpectedImprovement, posterior: any VarianceBoundingPosterior, points: Matrix,
                       rows: Int, keep: Int, chunkSize: Int, boundChunk: Int) -> (scores: [Double], order: [Int]) {
        let m = points.rows
        // The bound in chunks of `boundChunk` columns, like ``score(_:posterior:points:chunkSize:)``,
        // so its n×m kernel block stays small.
        var scores: [Double] = []
        scores.reserveCapacity(m)
        var start = 0
        while start < m {
            let end = min(start + boundChunk, m)
            let bound = posterior.predictWithVarianceBound(points.rows(start..<end), rows: rows)
            scores += (0..<(end - start)).map { acquisition.value(mean: bound.mean[$0], variance: bound.variance[$0]) }
            start = end
        }
        // A NaN bound cannot prune: it is scored exactly first.
        let byBound = (0..<m).sorted { a, b in
            let sa = scores[a].isNaN ? Double.infinity : scores[a], sb = scores[b].isNaN ? Double.infinity : scores[b]
            return sa != sb ? sa > sb : a < b
        }
        var scored: [Int] = []
        var next = 0
        while next < m {
            if scored.count >= keep {
                let kth = bestFirst(scores, among: scored)[keep - 1]
                let threshold = scores[kth].isNaN ? -Double.infinity : scores[kth]
                let candidateBound = scores[byBound[next]]
                if !candidateBound.isNaN && candidateBound < threshold { break }
            }
            let chunk = Array(byBound[next..<min(next + max(chunkSize, 1), m)])
            let exact = acquisition.evaluate(posterior, at: Matrix(rowVectors: chunk.map { points.row($0) }))
            for (i, value) in zip(chunk, exact) { scores[i] = value }
            scored += chunk
            next += chunk.count
        }
        return (scores, bestFirst(scores, among: scored))
    }

    /// a at every row of `points`, in chunks.
    static func score(_ acquisition: ExpectedImprovement, posterior: some Posterior, points: Matrix, chunkSize: Int) -> [Double] {
        var scores: [Double] = []
        scores.reserveCapacity(points.rows)
        var start = 0
        while start < points.rows {
            let end = min(start + chunkSize, points.rows)
            scores += acquisition.evaluate(posterior, at: points.rows(start..<end))
            start = end
        }
        return scores
    }

    /// The runs' end points with their acquisition values. In a mixed space the ends are
    /// snapped — which also resets inactive nested coordinates — and so scored again.
    static func ends(of runs: [LBFGSBResult], discrete: DiscreteCoordinates?, acquisition: ExpectedImprovement,
                     posterior: some Posterior, chunkSize: Int) -> [AcquisitionPoint] {
        guard let discrete else { return runs.map { AcquisitionPoint(point: $0.x, value: -$0.value) } }
        let points = runs.map { discrete.snap($0.x) }
        let values = score(acquisition, posterior: posterior, points: Matrix(rowVectors: points), chunkSize: chunkSize)
        return zip(points, values).map { AcquisitionPoint(point: $0, value: $1) }
    }

    /// L-BFGS-B on −a over the coordinates `free` (the others held at each start's values),
    /// inside `box` (`nil`: the unit cube),
    /// all runs advanced together with one batched posterior call per round. One result per
    /// start, in start order, each with the whole point.
    static func polish(_ starts: [[Double]], free: [Int], acquisition: ExpectedImprovement, posterior: some Posterior,
                       options: LBFGSBOptions, box: SearchBox? = nil, rounds: inout Int) -> [LBFGSBResult] {
        guard !free.isEmpty, !starts.isEmpty else { return [] }
        let d = posterior.dimension
        let lower = box.map { b in free.map { b.lower[$0] } } ?? [Double](repeating: 0, count: free.count)
        let upper = box.map { b in free.map { b.upper[$0] } } ?? [Double](repeating: 1, count: free.count)
        var machines = starts.map { s in LBFGSB(start: free.map { s[$0] }, lower: lower, upper: upper, options: options) }
        func whole(_ k: Int, _ reduced: [Double]) -> [Double] {
            var p = starts[k]
            for (i, j) in free.enumerated() { p[j] = reduced[i] }
            return p
        }
        while true {
            let live = machines.indices.filter { machines[$0].pendingPoint != nil }
            if live.isEmpty { break }
            let batch = Matrix(rowVectors: live.map { whole($0, machines[$0].pendingPoint!) })
            let (values, gradients) = acquisition.evaluateWithGradient(posterior, at: batch)
            rounds += 1
            for (k, i) in live.enumerated() {
                machines[i].step(value: -values[k], gradient: free.map { -gradients[k, $0] })
            }
        }
        // No machine has a pending point, so every one has finished with a result.
        return machines.indices.map { k in
            var r = machines[k].result!
            r.x = whole(k, r.x)
            var g = [Double](repeating: 0, count: d)
            for (i, j) in free.enumerated() { g[j] = r.gradient[i] }
            r.gradient = g
            return r
        }
    }

    /// Finite points only, best first (ties in input order), each point once.
    static func distinctBestFirst(_ points: [AcquisitionPoint]) -> [AcquisitionPoint] {
        var seen = Set<[Double]>()
        return points.enumerated()
            .filter { $0.element.value.isFinite }
            .sorted { $0.element.value != $1.element.value ? $0.element.value > $1.element.value : $0.offset < $1.offset }
            .map(\.element)
            .filter { seen.insert($0.point).inserted }
    }

    /// Moves the best `discreteSearchWidth` finalists to their best single-parameter discrete
    /// neighbour while that improves a, polishing the continuous coordinates after each move.
    static func localSearch(_ finalists: inout [AcquisitionPoint], discrete: DiscreteCoordinates, free: [Int],
                            acquisition: ExpectedImprovement, posterior: some Posterior,
                            options: AcquisitionMaximizerOptions, rounds: inout Int, moves: inout Int) {
        var current = Array(finalists.prefix(options.discreteSearchWidth))
        var active = Array(current.indices)
        for _ in 0..<options.discreteSearchRounds where !active.isEmpty {
            var owner: [Int] = [], points: [[Double]] = []
            for k in active {
                for q in discrete.neighbours(of: current[k].point) {
                    owner.append(k)
                    points.append(q)
                }
            }
            guard !points.isEmpty else { break }
            let values = score(acquisition, posterior: posterior, points: Matrix(rowVectors: points), chunkSize: options.chunkSize)
            var moved: [Int] = []
            var bestMove: [Int: Int] = [:]
            for (i, k) in owner.enumerated() where values[i].isFinite && values[i] > current[k].value {
                if let b = bestMove[k], values[b] >= values[i] { continue }
                bestMove[k] = i
            }
            for k in active {
                guard let i = bestMove[k] else { continue }
                current[k] = AcquisitionPoint(point: points[i], value: values[i])
                moved.append(k)
                moves += 1
            }
            let polished = polish(moved.map { current[$0].point }, free: free, acquisition: acquisition, posterior: posterior,
                                  options: options.optimizer, rounds: &rounds)
            let polishedEnds = ends(of: polished, discrete: discrete, acquisition: acquisition, posterior: posterior,
                                    chunkSize: options.chunkSize)
            // `polish` returns one result per start (none when nothing is continuous).
            for (k, end) in zip(moved, polishedEnds) where end.value.isFinite && end.value > current[k].value {
                current[k] = end
            }
            active = moved
        }
        finalists = distinctBestFirst(current + finalists)
    }
}
