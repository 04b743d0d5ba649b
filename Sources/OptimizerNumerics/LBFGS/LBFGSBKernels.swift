// Notation:
//   n        number of variables
//   x, g     point and gradient, length n
//   l, u     lower and upper bounds, length n, lᵢ ≤ uᵢ, each possibly ∓∞
//   P(z)     projection onto the box: P(z)ᵢ = min(max(zᵢ, lᵢ), uᵢ)

/// Small vector kernels shared by the L-BFGS-B files. All are O(n) loops over `[Double]`; for
/// the problem sizes L-BFGS-B sees in hdbench (n ≲ 100) the work is dominated by objective
/// evaluations, so no BLAS is used.
enum LBFGSBKernels {
    /// `aᵀb`. O(n).
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    /// The projection P(z) onto the box [l, u]. O(n).
    static func project(_ z: [Double], lower: [Double], upper: [Double]) -> [Double] {
        var out = z
        for i in out.indices { out[i] = min(max(out[i], lower[i]), upper[i]) }
        return out
    }

    /// Infinity norm of the projected gradient,
    /// ```
    /// ‖P(x − g) − x‖∞ = maxᵢ |min(max(xᵢ − gᵢ, lᵢ), uᵢ) − xᵢ|
    /// ```
    /// the first-order optimality measure for box constraints (zero exactly at a KKT point;
    /// the stopping test of Byrd et al. 1995 and SciPy's `pgtol`). Written as `max(xᵢ − uᵢ, gᵢ)` for gᵢ < 0
    /// and `min(xᵢ − lᵢ, gᵢ)` for gᵢ > 0 so infinite bounds need no special case. O(n).
    static func projectedGradientNorm(x: [Double], gradient g: [Double], lower: [Double], upper: [Double]) -> Double {
        var norm = 0.0
        for i in x.indices {
            let component: Double
            if g[i] < 0 {
                component = max(x[i] - upper[i], g[i])
            } else if g[i] > 0 {
                component = min(x[i] - lower[i], g[i])
            } else {
                component = 0
            }
            norm = max(norm, abs(component))
        }
        return norm
    }

    /// The largest α ≥ 0 with `l ≤ x + α d ≤ u`, capped at `cap` (used when d points to no
    /// finite bound). Assumes x is inside the box. O(n).
    static func maximumFeasibleStep(x: [Double], direction d: [Double], lower: [Double], upper: [Double], cap: Double) -> Double {
        var step = cap
        for i in x.indices {
            if d[i] < 0, lower[i].isFinite {
                step = min(step, max(0, (lower[i] - x[i]) / d[i]))
            } else if d[i] > 0, upper[i].isFinite {
                step = min(step, max(0, (upper[i] - x[i]) / d[i]))
            }
        }
        return step
    }
}
