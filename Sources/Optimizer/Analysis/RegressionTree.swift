// Notation
//   X ∈ ℝ^{n×p}   feature matrix, row-major in `features` (row i = observation i, p columns)
//   y ∈ ℝ^n       targets
//   w_i ∈ ℕ       bootstrap multiplicity of observation i in one tree (0 = out of bag)
//   W, S, Q       Σ w, Σ w·y, Σ w·y² over a node's observations
//   SSE = Q − S²/W  weighted squared error of a node around its mean S/W
//
// A split of a node on column j at threshold t sends x_j ≤ t left and x_j > t right; among all
// columns and all thresholds halfway between consecutive distinct values, the tree takes the one
// with the least SSE_left + SSE_right, i.e. the largest S_L²/W_L + S_R²/W_R (CART, Breiman et
// al. 1984; scikit-learn's `DecisionTreeRegressor` with the squared-error criterion).

/// A regression tree fitted by CART on weighted observations: the base learner of the random
/// forest behind ``FanovaImportance``.
///
/// Nodes are stored in arrays; node 0 is the root, a leaf has `feature[node] == -1`.
package struct RegressionTree: Sendable, Hashable {
    /// The column a node splits on, −1 for a leaf.
    package var feature: [Int] = []
    /// The split threshold: x ≤ threshold goes to `left`.
    package var threshold: [Double] = []
    package var left: [Int] = []
    package var right: [Int] = []
    /// The weighted mean target of the node's observations (the prediction at a leaf).
    package var value: [Double] = []

    package var nodeCount: Int { feature.count }

    /// Growth limits, with scikit-learn's meaning.
    package struct Limits: Sendable, Hashable {
        package var maxDepth: Int
        /// A node with fewer distinct observations is not split.
        package var minSamplesSplit: Int
        /// Each child must hold at least this many distinct observations.
        package var minSamplesLeaf: Int
    }

    /// Fits a tree to the observations with positive `weights`.
    ///
    /// - Parameters:
    ///   - features: n·p values, row-major.
    ///   - sortedByColumn: for each column, the observation indices in ascending order of that
    ///     column (computed once for the whole forest).
    ///   - columnOrder: the order columns are tried in at every node; ties in the criterion go to
    ///     the earlier column (the forest shuffles it per tree).
    /// - Complexity: O(p · n · depth) after the presort.
    package init(features: [Double], columns p: Int, targets y: [Double], weights: [Int],
                 sortedByColumn: [[Int]], columnOrder: [Int], limits: Limits) {
        precondition(p > 0 && features.count == y.count * p && weights.count == y.count,
                     "RegressionTree: \(features.count) feature values, \(y.count) targets, \(weights.count) weights for \(p) columns")
        // Per column, the in-bag observations in sorted order; a node owns a contiguous range
        // [start, end) of every column's list, and splitting partitions each range stably.
        var lists = sortedByColumn.map { $0.filter { weights[$0] > 0 } }
        let count = lists[0].count
        var goesLeft = [Bool](repeating: false, count: y.count)
        var scratch = [Int](repeating: 0, count: count)

        struct Pending { var node: Int; var start: Int; var end: Int; var depth: Int }
        var stack: [Pending] = []
        func makeNode() -> Int {
            feature.append(-1); threshold.append(0); left.append(-1); right.append(-1); value.append(0)
            return feature.count - 1
        }
        stack.append(Pending(node: makeNode(), start: 0, end: count, depth: 0))
        while let job = stack.popLast() {
            var totalW = 0.0, totalS = 0.0, totalQ = 0.0
            for i in lists[0][job.start..<job.end] {
                let w = Double(weights[i])
                totalW += w; totalS += w * y[i]; totalQ += w * y[i] * y[i]
            }
            value[job.node] = totalS / totalW
            let distinct = job.end - job.start
            let sse = totalQ - totalS * totalS / totalW
            guard job.depth < limits.maxDepth, distinct >= limits.minSamplesSplit, distinct >= 2 * limits.minSamplesLeaf,
                  sse > 1e-12 * max(1, totalQ) else { continue }
            var bestScore = totalS * totalS / totalW  // the unsplit node: a split must beat it
            var bestColumn = -1, bestThreshold = 0.0
            for column in columnOrder {
                let list = lists[column]
                var leftW = 0.0, leftS = 0.0
                for k in job.start..<(job.end - 1) {
                    let i = list[k]
                    let w = Double(weights[i])
                    leftW += w; leftS += w * y[i]
                    let xi = features[i * p + column], xNext = features[list[k + 1] * p + column]
                    guard xNext > xi else { continue }
                    let leftCount = k + 1 - job.start
                    guard leftCount >= limits.minSamplesLeaf, distinct - leftCount >= limits.minSamplesLeaf else { continue }
                    let rightW = totalW - leftW, rightS = totalS - leftS
                    let score = leftS * leftS / leftW + rightS * rightS / rightW
                    if score > bestScore * (1 + 1e-12) + 1e-300 {
                        bestScore = score
                        bestColumn = column
                        bestThreshold = xi + (xNext - xi) / 2
                        if bestThreshold >= xNext { bestThreshold = xi }  // halfway rounded up to xNext
                    }
                }
            }
            guard bestColumn >= 0 else { continue }
            for k in job.start..<job.end {
                let i = lists[bestColumn][k]
                goesLeft[i] = features[i * p + bestColumn] <= bestThreshold
            }
            var leftCount = 0
            for column in 0..<p {
                var l = job.start, r = 0
                for k in job.start..<job.end {
                    let i = lists[column][k]
                    if goesLeft[i] { lists[column][l] = i; l += 1 } else { scratch[r] = i; r += 1 }
                }
                for k in 0..<r { lists[column][l + k] = scratch[k] }
                leftCount = l - job.start
            }
            feature[job.node] = bestColumn
            threshold[job.node] = bestThreshold
            let l = makeNode(), r = makeNode()
            left[job.node] = l
            right[job.node] = r
            stack.append(Pending(node: r, start: job.start + leftCount, end: job.end, depth: job.depth + 1))
            stack.append(Pending(node: l, start: job.start, end: job.start + leftCount, depth: job.depth + 1))
        }
    }

    /// The tree's prediction at `x` (p values).
    package func predict(_ x: [Double]) -> Double {
        var node = 0
        while feature[node] >= 0 { node = x[feature[node]] <= threshold[node] ? left[node] : right[node] }
        return value[node]
    }
}
