// Notation (Byrd, Lu, Nocedal & Zhu 1995, §§3–5; Nocedal & Wright 2006, §16.7):
//
//   n           number of variables; l, u the bounds (each possibly ∓∞)
//   x, g        current iterate and gradient, length n
//   B           compact L-BFGS matrix θI − W M Wᵀ (see CompactLBFGSMatrix.swift), k pairs
//   m(z)        quadratic model  m(z) = gᵀ(z − x) + ½ (z − x)ᵀ B (z − x)
//   tᵢ          breakpoint of variable i on the projected steepest-descent path
//   x(t)        the path  x(t) = P(x − t g),  t ≥ 0
//   xᶜ          generalized Cauchy point: first local minimiser of m along x(t)
//   c           Wᵀ(xᶜ − x), length 2k
//   F, t        free set at xᶜ (variables not at a bound fixed by the path), t = |F|
//   Z           n×t matrix of the unit vectors of F
//   r̂           reduced gradient  r̂ = Zᵀ(g + θ(xᶜ − x) − W M c)  = Zᵀ∇m(xᶜ)
//   d̂           subspace Newton step  d̂ = −(ZᵀBZ)⁻¹ r̂
//   x̄           the point the line search aims at; the search direction is d = x̄ − x

extension LBFGSB {
    /// The generalized Cauchy point and what the subspace minimisation needs from it.
    struct CauchyPoint {
        /// xᶜ, length n, inside the box.
        var point: [Double]
        /// c = Wᵀ(xᶜ − x), length 2k.
        var c: [Double]
        /// `true` for variables fixed at a bound by the path (t = 0 or breakpoint passed).
        var isAtBound: [Bool]
    }

    /// Computes the generalized Cauchy point: the first local minimiser of the quadratic model
    /// along the projected steepest-descent path, examining the path segment by segment.
    ///
    /// Breakpoints, with the convention that an infinite bound gives no breakpoint:
    /// ```
    /// tᵢ = (xᵢ − uᵢ)/gᵢ  if gᵢ < 0,   (xᵢ − lᵢ)/gᵢ  if gᵢ > 0,   ∞  if gᵢ = 0
    /// ```
    /// On the segment starting at breakpoint t_j with direction dʲ (dᵢ = −gᵢ for variables not
    /// yet at a bound) the model is a parabola in Δt with
    /// ```
    /// f′  = gᵀd + θ dᵀz − pᵀMc,    f″ = θ dᵀd − pᵀMp,    p = Wᵀd,  c = Wᵀz,  z = x(t_j) − x
    /// ```
    /// and its minimiser is Δt* = −f′/f″. If Δt* lies before the next breakpoint, xᶜ is found;
    /// otherwise the variable b reaching its bound is fixed and f′, f″, p, c are updated in
    /// O(k²) (the recurrences of Byrd et al. 1995, §4, Algorithm CP):
    /// ```
    /// c  ← c + Δt p
    /// f′ ← f′ + Δt f″ + g_b² + θ g_b z_b − g_b w_bᵀ M c
    /// f″ ← f″ − θ g_b² − 2 g_b w_bᵀ M p − g_b² w_bᵀ M w_b
    /// p  ← p + g_b w_b
    /// ```
    /// f″ is kept ≥ ε·θ·‖d⁰‖²: it equals dᵀBd > 0 in exact arithmetic, but the running
    /// updates can cancel to zero or below, which would make Δt* meaningless (version 3.0 of
    /// the authors' code guards f″ the same way, relative to its initial value).
    ///
    /// Reference: Byrd et al. 1995, §4 (Algorithm CP); Nocedal & Wright 2006, §16.7
    /// (the Cauchy point of the gradient projection method, segment by segment).
    ///
    /// - Complexity: O(n log n) to sort breakpoints, O(k·n) for p = Wᵀd, and O(k²) per
    ///   breakpoint passed.
    static func generalizedCauchyPoint(
        x: [Double], gradient g: [Double], lower: [Double], upper: [Double], memory: CompactLBFGSMatrix
    ) -> CauchyPoint {
        let n = x.count
        let k = memory.count
        let theta = memory.theta
        var breakpoints = [Double](repeating: .infinity, count: n)
        var d = [Double](repeating: 0, count: n)
        var isAtBound = [Bool](repeating: false, count: n)
        var movingCount = 0
        for i in 0..<n {
            if g[i] < 0 {
                breakpoints[i] = upper[i].isFinite ? (x[i] - upper[i]) / g[i] : .infinity
            } else if g[i] > 0 {
                breakpoints[i] = lower[i].isFinite ? (x[i] - lower[i]) / g[i] : .infinity
            }
            if breakpoints[i] <= 0 {
                // Already at the bound the gradient pushes towards: fixed from the start.
                isAtBound[i] = true
            } else if g[i] != 0 {
                d[i] = -g[i]
                movingCount += 1
            }
        }
        var point = x
        var c = [Double](repeating: 0, count: 2 * k)
        guard movingCount > 0 else {
            return CauchyPoint(point: point, c: c, isAtBound: isAtBound)
        }

        var p = memory.wTransposeTimes(d)
        var slope = -LBFGSBKernels.dot(d, d)                 // f′ = gᵀd = −dᵀd
        var curvature = -theta * slope                       // f″ = θ dᵀd − pᵀMp
        let curvatureFloor = Double.ulpOfOne * curvature     // ε·θ·‖d⁰‖² > 0
        if k > 0 { curvature -= LBFGSBKernels.dot(p, memory.middleTimes(p)) }
        curvature = max(curvature, curvatureFloor)
        var stepToMinimum = -slope / curvature

        let order = (0..<n)
            .filter { breakpoints[$0] > 0 && breakpoints[$0] < .infinity }
            .sorted { breakpoints[$0] < breakpoints[$1] }
        var pathTime = 0.0
        for b in order {
            let segmentLength = breakpoints[b] - pathTime
            if stepToMinimum < segmentLength { break }
            // Move to breakpoint b and fix variable b at its bound.
            point[b] = d[b] > 0 ? upper[b] : lower[b]
            let zb = point[b] - x[b]
            let gb = g[b]
            for a in 0..<(2 * k) { c[a] += segmentLength * p[a] }
            if k > 0 {
                let wb = memory.wRow(b)
                let mwb = memory.middleTimes(wb)
                slope += segmentLength * curvature + gb * gb + theta * gb * zb - gb * LBFGSBKernels.dot(mwb, c)
                curvature += -theta * gb * gb - 2 * gb * LBFGSBKernels.dot(mwb, p) - gb * gb * LBFGSBKernels.dot(mwb, wb)
                for a in 0..<(2 * k) { p[a] += gb * wb[a] }
            } else {
                slope += segmentLength * curvature + gb * gb + gb * zb
                curvature -= gb * gb
            }
            curvature = max(curvature, curvatureFloor)
            d[b] = 0
            isAtBound[b] = true
            movingCount -= 1
            pathTime = breakpoints[b]
            // Every moving variable is now at a bound: the path ends here.
            if movingCount == 0 {
                stepToMinimum = 0
                break
            }
            stepToMinimum = -slope / curvature
        }
        stepToMinimum = max(stepToMinimum, 0)
        pathTime += stepToMinimum
        for i in 0..<n where !isAtBound[i] && d[i] != 0 {
            point[i] = min(max(x[i] + pathTime * d[i], lower[i]), upper[i])
        }
        for a in 0..<(2 * k) { c[a] += stepToMinimum * p[a] }
        return CauchyPoint(point: point, c: c, isAtBound: isAtBound)
    }

    /// Minimises the quadratic model over the variables free at the Cauchy point and returns
    /// the point x̄ the line search aims at, or `nil` if the reduced system could not be solved
    /// (the caller then discards the L-BFGS memory and starts over).
    ///
    /// ```
    /// r̂ = Zᵀ(g + θ(xᶜ − x) − W M c)                    reduced gradient of m at xᶜ
    /// d̂ = −(ZᵀBZ)⁻¹ r̂                                   (Woodbury, CompactLBFGSMatrix)
    /// x̂ = P(xᶜ + Z d̂)                                   projected subspace step
    /// x̄ = x̂                      if gᵀ(x̂ − x) < 0
    /// x̄ = xᶜ + α* Z d̂,  α* = max{α ∈ [0, 1] : l ≤ xᶜ + α Z d̂ ≤ u}   otherwise
    /// ```
    /// The direct primal method of Byrd et al. 1995, §5.1, which truncates the step at the
    /// first bound (α*). Projecting instead, and truncating only when the projected point
    /// does not give a descent direction from x, is the improvement of Morales & Nocedal
    /// 2011 ("Remark on Algorithm 778", ACM TOMS 38(1)). With an empty memory B = I, the
    /// Cauchy point already minimises the model along the path and is returned unchanged (as
    /// in the original algorithm's first iteration).
    ///
    /// - Complexity: O(k·n) for W M c, O(t·k²) to form the reduced system, O(k³) to solve it.
    static func subspaceMinimum(
        x: [Double], gradient g: [Double], lower: [Double], upper: [Double],
        memory: CompactLBFGSMatrix, cauchy: CauchyPoint
    ) -> [Double]? {
        let n = x.count
        let k = memory.count
        let free = (0..<n).filter { !cauchy.isAtBound[$0] }
        if k == 0 || free.isEmpty { return cauchy.point }
        let theta = memory.theta
        let mc = memory.middleTimes(cauchy.c)
        var reducedGradient = [Double](repeating: 0, count: free.count)
        for (position, i) in free.enumerated() {
            reducedGradient[position] = g[i] + theta * (cauchy.point[i] - x[i])
                - LBFGSBKernels.dot(memory.wRow(i), mc)
        }
        guard let newtonSolve = memory.solveReducedHessian(free: free, r: reducedGradient) else { return nil }

        // Projected subspace step (Morales & Nocedal 2011).
        var projected = cauchy.point
        var descent = 0.0
        for (position, i) in free.enumerated() {
            projected[i] = min(max(cauchy.point[i] - newtonSolve[position], lower[i]), upper[i])
        }
        for i in 0..<n { descent += g[i] * (projected[i] - x[i]) }
        if descent < 0 { return projected }

        // Truncated step (Byrd et al. 1995, §5.1): largest α ≤ 1 staying feasible.
        var alpha = 1.0
        for (position, i) in free.enumerated() {
            let di = -newtonSolve[position]
            if di < 0, lower[i].isFinite {
                alpha = min(alpha, max(0, (lower[i] - cauchy.point[i]) / di))
            } else if di > 0, upper[i].isFinite {
                alpha = min(alpha, max(0, (upper[i] - cauchy.point[i]) / di))
            }
        }
        var truncated = cauchy.point
        for (position, i) in free.enumerated() {
            truncated[i] = min(max(cauchy.point[i] - alpha * newtonSolve[position], lower[i]), upper[i])
        }
        return truncated
    }
}
