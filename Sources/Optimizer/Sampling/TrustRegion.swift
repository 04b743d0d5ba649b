import Foundation

// Notation: d is the dimension of the unit cube, x* the best observed point (the incumbent),
// y* its value (oriented: larger is better), L the trust region's base side length, ℓ the
// fitted length scales and wⱼ = ℓⱼ / (∏ₖ ℓₖ)^(1/d) their weights (geometric mean 1).

/// Options of the trust region the Bayesian sampler's acquisition search is confined to above
/// a number of observations (TuRBO-1: Eriksson, Pearce, Gardner, Turner & Poloczek 2019,
/// "Scalable Global Optimization via Local Bayesian Optimization", NeurIPS, §2 and Alg. 1).
///
/// Below ``threshold`` observations nothing changes. From it on, the 2,048 candidates and the
/// L-BFGS-B runs are confined to the box
///
/// ```
/// x* ± L·wⱼ/2, clipped to [0, 1]     (coordinate j)
/// ```
///
/// whose base side L doubles (at most ``maximumSide``) after ``successTolerance`` suggestions
/// in a row each improved the best value, halves after ``failureTolerance`` in a row did not,
/// and restarts at ``initialSide`` when it falls below ``minimumSide``. Successes are counted
/// per suggestion, from the history's best value when the next suggestion is made; with
/// concurrent trials a suggestion made before its predecessors finished counts as a failure,
/// so the region shrinks sooner than in a sequential sweep.
///
/// The model inside the region is the global one (the whole history, or its subset above
/// ``LargeHistoryOptions/threshold``) unless ``localModelSize`` is set: then the GP and its
/// hyperparameters are fitted to the k observations nearest x*, so its length scales describe
/// the function where the search is. Where a collapsed region restarts is ``restart``: around
/// x* (the default), in a new region from random points (TuRBO's restart), or alternately. In
/// a new region x* is the best observation made since the restart.
///
/// Why and what it measured: <doc:DecisionLog#A-trust-region-above-300-observations> and
/// <doc:DecisionLog#A-local-model-and-restarts-in-the-trust-region>.
public struct TrustRegionOptions: Sendable, Equatable {
    /// Whether the trust region is used (default off: <doc:DecisionLog#A-trust-region-above-300-observations>).
    public var isEnabled = false
    /// The trust region applies from this many observations on (default 300, so suggestions
    /// at budgets up to 300 are those without it, bit for bit).
    public var threshold = 300
    /// L when the region starts or restarts (default 0.8, TuRBO's).
    public var initialSide = 0.8
    /// L never grows beyond this (default 1.6, TuRBO's: with weights ≥ 1 the box may then span
    /// the cube in the least relevant coordinates).
    public var maximumSide = 1.6
    /// Below this L the region restarts at ``initialSide`` (default 2⁻⁷, TuRBO's).
    public var minimumSide = 1.0 / 128
    /// Consecutive improving suggestions that double L (default 3, TuRBO's τ_succ).
    public var successTolerance = 3
    /// Consecutive non-improving suggestions that halve L; `nil` for max(4, d) (TuRBO's τ_fail).
    public var failureTolerance: Int?
    /// An improvement counts as a success when it exceeds this fraction of |y*| (default 10⁻³,
    /// TuRBO's).
    public var relativeImprovement = 1e-3
    /// When set to k, the GP inside the region is fitted — hyperparameters included — to the k
    /// observations nearest the centre in the previous fit's length-scale metric, rather than
    /// to the whole history (or its subset above ``LargeHistoryOptions/threshold``). TuRBO fits
    /// each region's GP to that region's data only (§2): length scales fitted locally describe
    /// the function where the search is, not its average over the cube. `nil` (the default)
    /// keeps the global model.
    public var localModelSize: Int?
    /// The local model's prior mean (with ``localModelSize``); `nil` (the default) keeps
    /// ``BayesianOptimizerOptions/priorMean``.
    public var localPriorMean: PriorMean?
    /// Where a collapsed region restarts (default ``Restart/incumbent``).
    public var restart = Restart.incumbent
    /// With ``Restart/newRegion``, uniformly random suggestions drawn after a restart before
    /// the new region is centred on the best of them (default 1).
    public var restartDesignSize = 1

    /// Where a region that fell below ``minimumSide`` starts again.
    public enum Restart: String, Sendable, Hashable, Codable, CaseIterable {
        /// Around the incumbent, at ``initialSide``.
        case incumbent
        /// In a new region (TuRBO-1, Alg. 1): ``restartDesignSize`` uniformly random points
        /// are suggested, and the new region is centred on the best observation made since the
        /// restart. The old incumbent stays the sweep's best; the model may still use its
        /// neighbours when they are near the new centre.
        case newRegion = "new_region"
        /// As ``newRegion``, and the model then forgets the observations made before the
        /// restart (once ``restartDesignSize`` ≥ 2 have been made since): TuRBO-1 proper, whose
        /// restarted region starts from its own design and data only.
        case fresh
        /// As ``newRegion``, but the restart points are the whole history's model's choice:
        /// expected improvement maximised over the whole cube, as without a trust region (the
        /// global model sees the basins a local one missed; a random point ignores them).
        case globalModel = "global_model"
        /// Around the incumbent and in a new region in turn: odd restarts (the 1st, 3rd, …)
        /// restart at ``initialSide`` around the best observation of the whole history, even
        /// ones as ``newRegion``. An iterated local search (Lourenço, Martin & Stützle 2003)
        /// whose perturbation alternates between a wide box around the incumbent (for ripples
        /// next to it, as in Levy's function) and a random point (for a distant basin, as in
        /// Hartmann-6's second one).
        case alternating
    }

    /// Whether restart number `k` (1-based) moves to a new region.
    public func restartsInNewRegion(_ k: Int) -> Bool {
        switch restart {
        case .incumbent: false
        case .alternating: k % 2 == 0
        case .newRegion, .fresh, .globalModel: true
        }
    }

    public init() {}

    /// The configuration measured at budgets of 1,000 in 10–20 dimensions
    /// (<doc:DecisionLog#A-local-model-and-restarts-in-the-trust-region>): enabled from 300
    /// observations, a local model on the 200 nearest observations, alternating restarts.
    /// What `x-hdbench: {trust_region: true}` selects for a sweep.
    public static var measuredLocal: TrustRegionOptions {
        var options = TrustRegionOptions()
        options.isEnabled = true
        options.localModelSize = 200
        options.restart = .alternating
        return options
    }

    /// τ_fail for dimension d.
    public func failureTolerance(dimension d: Int) -> Int { failureTolerance ?? max(4, d) }
}

/// The trust region's state (``TrustRegionOptions``): saved in ``SamplerState`` under
/// ``SamplerState/trustRegionKey`` so that a resumed sweep makes the same suggestions.
public struct TrustRegion: Sendable, Hashable {
    /// L, the base side length in the unit cube.
    public var side: Double
    /// Consecutive suggestions after which the best value improved.
    public var successes: Int
    /// Consecutive suggestions after which it did not.
    public var failures: Int
    /// y*, the best value (oriented, larger is better) when the last suggestion was made.
    public var bestValue: Double
    /// Times L fell below the minimum and restarted.
    public var restarts: Int
    /// Observations (rows of the history, in order) before the last restart in a new region
    /// (``TrustRegionOptions/Restart/newRegion``): the centre is the best row from here on.
    /// 0 when the region never restarted in a new region.
    public var restartRow: Int
    /// Whether ``bestValue`` is unset: right after a restart in a new region, before the first
    /// observation since the restart (the next update sets it without counting a success).
    public var awaitsFirstValue: Bool

    public init(side: Double, successes: Int = 0, failures: Int = 0, bestValue: Double, restarts: Int = 0,
                restartRow: Int = 0, awaitsFirstValue: Bool = false) {
        self.side = side
        self.successes = successes
        self.failures = failures
        self.bestValue = bestValue
        self.restarts = restarts
        self.restartRow = restartRow
        self.awaitsFirstValue = awaitsFirstValue
    }

    /// The state as a vector: L, successes, failures, y*, restarts, restart row, 1 when y* is
    /// unset (else 0).
    public var vector: [Double] {
        [side, Double(successes), Double(failures), bestValue, Double(restarts), Double(restartRow), awaitsFirstValue ? 1 : 0]
    }

    /// The state from ``vector``; `nil` unless it has seven finite values (or five, as saved
    /// before new-region restarts existed: restart row 0), L > 0, whole non-negative counts and
    /// a 0 or 1 flag.
    public init?(vector v: [Double]) {
        guard v.count == 5 || v.count == 7, v.allSatisfy(\.isFinite), v[0] > 0 else { return nil }
        let counts = v.count == 7 ? [v[1], v[2], v[4], v[5]] : [v[1], v[2], v[4]]
        guard counts.allSatisfy({ $0 >= 0 && $0 <= 1e15 && $0 == $0.rounded() }) else { return nil }
        if v.count == 7, v[6] != 0, v[6] != 1 { return nil }
        self.init(side: v[0], successes: Int(v[1]), failures: Int(v[2]), bestValue: v[3], restarts: Int(v[4]),
                  restartRow: v.count == 7 ? Int(v[5]) : 0, awaitsFirstValue: v.count == 7 && v[6] == 1)
    }

    /// Whether the suggestion made with `rows` observations is one of the uniformly random
    /// points drawn after a restart in a new region.
    public func isDrawingRestartDesign(rows: Int, options: TrustRegionOptions) -> Bool {
        restarts > 0 && options.restartsInNewRegion(restarts) && rows - restartRow < options.restartDesignSize
    }

    /// The state after the history's best value became `best` (TuRBO-1's update, Alg. 1):
    /// a success when `best` > y* + ``TrustRegionOptions/relativeImprovement``·|y*|, otherwise
    /// a failure; τ_succ successes in a row double L (capped), τ_fail failures halve it, and
    /// L below the minimum restarts the region at its initial side.
    ///
    /// With ``TrustRegionOptions/Restart/newRegion``, `best` is the best value since
    /// ``restartRow``; the restart itself sets ``restartRow`` to `rows` (the history's length)
    /// and leaves y* unset until the next update.
    ///
    /// - Complexity: O(1).
    public func updated(best: Double, rows: Int, dimension d: Int, options: TrustRegionOptions) -> TrustRegion {
        var next = self
        if awaitsFirstValue {
            next.bestValue = best
            next.awaitsFirstValue = false
            return next
        }
        if best > bestValue + options.relativeImprovement * abs(bestValue) {
            next.successes += 1
            next.failures = 0
        } else {
            next.successes = 0
            next.failures += 1
        }
        next.bestValue = max(best, bestValue)
        if next.successes >= options.successTolerance {
            next.side = min(2 * next.side, options.maximumSide)
            next.successes = 0
        } else if next.failures >= options.failureTolerance(dimension: d) {
            next.side /= 2
            next.failures = 0
        }
        if next.side < options.minimumSide {
            next.side = options.initialSide
            next.successes = 0
            next.failures = 0
            next.restarts += 1
            if options.restartsInNewRegion(next.restarts) {
                next.restartRow = rows
                next.awaitsFirstValue = true
            } else if next.restartRow > 0 {
                // Back to the whole history's incumbent: y* is set from it at the next update.
                next.restartRow = 0
                next.awaitsFirstValue = true
            }
        }
        return next
    }

    /// The box around `center` (x*): coordinate j spans centerⱼ ± L·wⱼ/2 clipped to [0, 1],
    /// with wⱼ the length scales divided by their geometric mean
    ///
    /// ```
    /// wⱼ = exp(log ℓⱼ − (1/d) Σₖ log ℓₖ)
    /// ```
    ///
    /// so the box is longer along coordinates the model finds smooth (TuRBO-1, §2). The weights
    /// are clipped to [10⁻³, 10³] so one collapsed or exploded length scale cannot make the box
    /// a point or the cube.
    ///
    /// - Parameters:
    ///   - center: d coordinates in [0, 1].
    ///   - logLengthScales: d fitted log ℓ.
    /// - Complexity: O(d).
    public func box(center: [Double], logLengthScales: [Double]) -> SearchBox {
        let d = center.count
        precondition(logLengthScales.count == d, "TrustRegion.box: \(d) coordinates, \(logLengthScales.count) length scales")
        let meanLog = logLengthScales.reduce(0, +) / Double(max(d, 1))
        var lower = [Double](repeating: 0, count: d), upper = [Double](repeating: 1, count: d)
        for j in 0..<d {
            let c = min(max(center[j], 0), 1)
            let w = min(max(exp(logLengthScales[j] - meanLog), 1e-3), 1e3)
            let half = side * w / 2
            lower[j] = max(c - half, 0)
            upper[j] = min(c + half, 1)
        }
        return SearchBox(lower: lower, upper: upper)
    }
}
