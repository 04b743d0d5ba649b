import Foundation

// Notation: X is n×d (observed points in the unit cube), y the n observed values oriented so
// that larger is better, x* the best observed point, ℓ the length scales (1 when unknown),
// m the subset size. Distances are ARD-scaled: ‖(a − b)/ℓ‖².

/// The observations a subset-of-data GP is fitted to above ``LargeHistoryOptions/threshold``
/// (``LargeHistoryModel/subset``): a TuRBO-like local model (Eriksson et al. 2019) that still
/// sees the whole space. Of m rows,
///
/// 1. the ⌈m/4⌉ best values (so the incumbent and its rivals are always in the model),
/// 2. the ⌈3m/8⌉ points nearest to the best point x* in the ARD metric of the previous fit's
///    length scales (the region expected improvement refines: TuRBO's trust region, without
///    its side-length bookkeeping),
/// 3. the rest by farthest-point sampling (Gonzalez 1985) from the points chosen so far: each
///    next point is the one farthest from all chosen, so the model still knows which distant
///    regions are poor and EI does not send suggestions back into them.
///
/// Deterministic in (X, y, ℓ) — ties go to the earlier row — so a restored sampler (which has
/// the same warm start ℓ) picks the same rows. Returned in history order.
///
/// - Complexity: O(n·m·d) time, O(n) memory beyond X.
public enum LocalSubset {
    /// The row indices (ascending) of the subset of at most `size` rows; all rows when n ≤ size.
    ///
    /// - Parameters:
    ///   - observed: X, n×d.
    ///   - values: y, n finite values, larger is better.
    ///   - size: m ≥ 1.
    ///   - logLengthScales: log ℓ (d values) of the previous fit, or `nil` for unit scales.
    public static func indices(observed: Matrix, values: [Double], size: Int, logLengthScales: [Double]?) -> [Int] {
        let n = values.count, d = observed.columns
        precondition(observed.rows == n && size >= 1, "LocalSubset.indices: X is \(observed.rows)×\(d) with \(n) values, size \(size)")
        guard n > size else { return Array(0..<n) }
        let inverseScales = inverseLengthScales(logLengthScales, dimension: d)
        var chosen = [Bool](repeating: false, count: n)
        var count = 0
        func take(_ i: Int) {
            if !chosen[i] { chosen[i] = true; count += 1 }
        }
        // 1. The best values (stable: ties go to the earlier row).
        let byValue = (0..<n).sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        let bestCount = (size + 3) / 4
        for i in byValue.prefix(bestCount) { take(i) }
        // 2. The nearest to the best point.
        let best = byValue[0]
        let anchor = (0..<d).map { observed[best, $0] }
        func distance(_ i: Int, _ to: [Double]) -> Double { squaredDistance(observed, row: i, to: to, inverseScales: inverseScales) }
        let toBest = (0..<n).map { distance($0, anchor) }
        let nearCount = min(size - count, (3 * size + 7) / 8)
        var near = 0
        for i in (0..<n).sorted(by: { toBest[$0] != toBest[$1] ? toBest[$0] < toBest[$1] : $0 < $1 }) where near < nearCount {
            if !chosen[i] { take(i); near += 1 }
        }
        // 3. Farthest-point sampling from what is chosen.
        if count < size {
            var gap = [Double](repeating: .infinity, count: n)
            func shrinkGaps(to row: [Double]) {
                for i in 0..<n where !chosen[i] { gap[i] = min(gap[i], distance(i, row)) }
            }
            for c in 0..<n where chosen[c] { shrinkGaps(to: observed.row(c)) }
            while count < size {
                var far = -1
                for i in 0..<n where !chosen[i] && (far < 0 || gap[i] > gap[far]) { far = i }
                take(far)
                shrinkGaps(to: observed.row(far))
            }
        }
        return (0..<n).filter { chosen[$0] }
    }

    /// The row indices (ascending) of the `count` rows nearest to row `center` in the ARD
    /// metric ‖(xᵢ − x_center)/ℓ‖² (unit scales when `logLengthScales` is `nil` or does not fit),
    /// `center` included; ties go to the earlier row. All rows when n ≤ count. The data of a
    /// trust region's local model (``TrustRegionOptions/localModelSize``).
    ///
    /// - Complexity: O(n·d + n log n).
    public static func nearest(observed: Matrix, to center: Int, count: Int, logLengthScales: [Double]?) -> [Int] {
        let n = observed.rows, d = observed.columns
        precondition(center >= 0 && center < n && count >= 1, "LocalSubset.nearest: row \(center) of \(n), count \(count)")
        guard n > count else { return Array(0..<n) }
        let inverseScales = inverseLengthScales(logLengthScales, dimension: d)
        let anchor = observed.row(center)
        let distances = (0..<n).map { squaredDistance(observed, row: $0, to: anchor, inverseScales: inverseScales) }
        let order = (0..<n).sorted { distances[$0] != distances[$1] ? distances[$0] < distances[$1] : $0 < $1 }
        return order.prefix(count).sorted()
    }

    /// 1/ℓⱼ from log ℓ; unit scales when `logLengthScales` is `nil`, of the wrong length or not finite.
    private static func inverseLengthScales(_ logLengthScales: [Double]?, dimension d: Int) -> [Double] {
        guard let logLengthScales, logLengthScales.count == d, logLengthScales.allSatisfy(\.isFinite) else {
            return [Double](repeating: 1, count: d)
        }
        return logLengthScales.map { exp(-$0) }
    }

    /// ‖(xᵢ − to)/ℓ‖² for row i of X. O(d).
    private static func squaredDistance(_ observed: Matrix, row i: Int, to: [Double], inverseScales: [Double]) -> Double {
        let n = observed.rows
        var s = 0.0
        for j in 0..<observed.columns {
            let t = (observed.elements[i + j * n] - to[j]) * inverseScales[j]
            s += t * t
        }
        return s
    }
}
