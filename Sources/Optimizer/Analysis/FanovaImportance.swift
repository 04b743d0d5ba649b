// Notation (Hutter, Hoos & Leyton-Brown 2014, "An Efficient Approach for Assessing
// Hyperparameter Importance", ICML, §3)
//   Θ = Θ_1 × … × Θ_m   the configuration space, one factor per parameter (group) g
//   μ = μ_1 ⊗ … ⊗ μ_m   the product measure (``ImportanceFeatures/Measure``) averaged over
//   f                    one regression tree: piecewise constant, value v_ℓ on leaf ℓ's box B_ℓ
//   s_{ℓ,g} = μ_g(B_ℓ restricted to Θ_g)   leaf ℓ's share of parameter g (interval length over
//                        the range, or the fraction of the k one-hot vectors inside the box)
//   π_ℓ = Π_g s_{ℓ,g}    the leaf's probability under μ
//   f̄ = Σ_ℓ π_ℓ v_ℓ,   V = Σ_ℓ π_ℓ v_ℓ² − f̄²                  total variance of f
//   f_g(θ_g) = E[f | θ_g] = Σ_{ℓ : θ_g ∈ B_ℓ} v_ℓ Π_{h≠g} s_{ℓ,h}   the marginal of parameter g
//   V_g = Var_{μ_g}[f_g]                                           its main-effect variance
//   F_g = V_g / V                          fraction of the tree's variance parameter g explains alone
// The marginal f_g is constant between consecutive leaf-box edges along Θ_g (a continuous
// parameter) and per option (a choice), so V_g is an exact finite sum (Hutter et al.'s
// Theorem 2, evaluated leaf by leaf instead of by tree traversal).
// Importance of g = mean over trees with V > 0 of F_g, normalised to sum to 1 over parameters.

/// A trial as parameter-importance analysis sees it: what was run and the objective value.
public struct ImportanceObservation: Sendable, Hashable {
    /// The parameters the trial ran with.
    public var configuration: Configuration
    /// Its objective value (any finite number; the goal's direction does not matter to variance).
    public var value: Double

    /// An observation of `value` at `configuration`.
    public init(configuration: Configuration, value: Double) {
        self.configuration = configuration
        self.value = value
    }
}

/// One parameter's importance.
public struct ParameterImportance: Sendable, Hashable {
    /// The parameter's name.
    public var parameter: String
    /// Its share of the summed main effects, in [0, 1]; importances of one analysis sum to 1.
    public var importance: Double
    /// The mean over trees of the fraction of the objective's variance it explains alone,
    /// F_g = V_g / V (before normalisation; the rest of the variance is interactions).
    public var varianceFraction: Double
    /// The standard deviation of F_g over the trees.
    public var standardDeviation: Double

    /// An importance record.
    public init(parameter: String, importance: Double, varianceFraction: Double, standardDeviation: Double) {
        self.parameter = parameter
        self.importance = importance
        self.varianceFraction = varianceFraction
        self.standardDeviation = standardDeviation
    }
}

/// Why importances could not be computed: too few trials, a constant objective, nothing to vary.
public struct ImportanceError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Kind: Sendable, Hashable {
        case noParameters
        case tooFewObservations(usable: Int)
        case constantObjective(value: Double, usable: Int)
        case noVariation(usable: Int)
    }

    let kind: Kind

    /// One line for people.
    public var description: String {
        switch kind {
        case .noParameters:
            return "the trials have no parameters, so there is nothing to rank"
        case .tooFewObservations(let usable):
            return "parameter importance needs at least 2 trials with a finite objective value; \(usable == 0 ? "there are none" : "there is only \(usable)")"
        case .constantObjective(let value, let usable):
            return "the objective is the same (\(value)) in all \(usable) usable trials, so no parameter explains any of its variation"
        case .noVariation(let usable):
            return "the \(usable) usable trials do not vary in a way the forest can split on (identical configurations), so no parameter explains the objective"
        }
    }
}

/// Parameter importance by functional ANOVA over a random forest (fANOVA; Hutter, Hoos &
/// Leyton-Brown 2014), with Optuna's `FanovaImportanceEvaluator` defaults: 64 trees of depth at
/// most 64, min_samples_split 2, min_samples_leaf 1, bootstrap samples, every column considered
/// at every split.
///
/// Each tree is fitted by CART to a bootstrap sample of the observations; its prediction is
/// decomposed exactly into main effects under the search space's own prior (uniform on the
/// ``SearchSpaceEncoding`` coordinate of a numeric parameter, so log-scaled expressions are
/// averaged in log space and normal ones through their CDF; uniform over the options of a
/// `choice`, one-hot encoded). A parameter's importance is the fraction of the tree's variance
/// its main effect explains, averaged over trees and normalised to sum to 1 (as Optuna's
/// `get_param_importances` does). Equations: <doc:ImportanceAnalysis>.
///
/// Deterministic: tree t draws its bootstrap sample and column order from
/// `SplitMix64(seed: seed, stream: t)`.
public struct FanovaImportance: Sendable, Hashable {
    /// Number of trees (64).
    public var treeCount: Int
    /// Maximum tree depth (64).
    public var maxDepth: Int
    /// A node with fewer distinct observations is not split (2).
    public var minSamplesSplit: Int
    /// Each leaf holds at least this many distinct observations (1).
    public var minSamplesLeaf: Int
    /// The forest's seed (0).
    public var seed: UInt64

    /// An evaluator with Optuna's defaults unless given.
    public init(treeCount: Int = 64, maxDepth: Int = 64, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1, seed: UInt64 = 0) {
        precondition(treeCount > 0 && maxDepth > 0 && minSamplesSplit >= 2 && minSamplesLeaf >= 1,
                     "FanovaImportance: treeCount \(treeCount), maxDepth \(maxDepth), minSamplesSplit \(minSamplesSplit), minSamplesLeaf \(minSamplesLeaf)")
        self.treeCount = treeCount
        self.maxDepth = maxDepth
        self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf
        self.seed = seed
    }

    /// The importance of every parameter, most important first (ties in parameter order).
    ///
    /// - Parameters:
    ///   - observations: the trials to learn from; those with a non-finite value, a missing
    ///     parameter or a value outside its `choice` are left out.
    ///   - space: the search space (its parameters, in order, are ranked); `nil` ranks the
    ///     parameters found in the observations, numeric ones over the range they span.
    /// - Throws: ``ImportanceError`` with fewer than 2 usable observations, a constant objective,
    ///   no parameters, or configurations the forest cannot split.
    /// - Complexity: O(T · p · n · depth) for T trees, p feature columns, n observations.
    public func evaluate(_ observations: [ImportanceObservation], space: SearchSpace?) throws(ImportanceError) -> [ParameterImportance] {
        let data = ImportanceFeatures(observations, space: space)
        let n = data.targets.count
        guard !data.groups.isEmpty else { throw ImportanceError(kind: .noParameters) }
        guard n >= 2 else { throw ImportanceError(kind: .tooFewObservations(usable: n)) }
        guard let first = data.targets.first, data.targets.contains(where: { $0 != first }) else {
            throw ImportanceError(kind: .constantObjective(value: data.targets[0], usable: n))
        }
        let p = data.columnCount
        guard p > 0 else { throw ImportanceError(kind: .noVariation(usable: n)) }
        let sorted = (0..<p).map { column in
            (0..<n).sorted { data.features[$0 * p + column] < data.features[$1 * p + column] || (data.features[$0 * p + column] == data.features[$1 * p + column] && $0 < $1) }
        }
        let limits = RegressionTree.Limits(maxDepth: maxDepth, minSamplesSplit: minSamplesSplit, minSamplesLeaf: minSamplesLeaf)
        var fractions: [[Double]] = Array(repeating: [], count: data.groups.count)
        for t in 0..<treeCount {
            var rng = SplitMix64(seed: seed, stream: UInt64(t))
            var weights = [Int](repeating: 0, count: n)
            for _ in 0..<n { weights[Int.random(in: 0..<n, using: &rng)] += 1 }
            let order = Array(0..<p).shuffled(using: &rng)
            let tree = RegressionTree(features: data.features, columns: p, targets: data.targets, weights: weights,
                                      sortedByColumn: sorted, columnOrder: order, limits: limits)
            guard let decomposition = Self.mainEffects(of: tree, groups: data.groups, columns: p) else { continue }
            for g in data.groups.indices { fractions[g].append(decomposition[g]) }
        }
        guard !fractions[0].isEmpty else { throw ImportanceError(kind: .noVariation(usable: n)) }
        let means = fractions.map { $0.reduce(0, +) / Double($0.count) }
        let deviations = zip(fractions, means).map { values, mean in
            (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
        }
        let total = means.reduce(0, +)
        var result = data.groups.indices.map { g in
            ParameterImportance(parameter: data.groups[g].name,
                                importance: total > 0 ? means[g] / total : 1 / Double(data.groups.count),
                                varianceFraction: means[g], standardDeviation: deviations[g])
        }
        let position = Dictionary(uniqueKeysWithValues: result.enumerated().map { ($1.parameter, $0) })
        result.sort { $0.importance > $1.importance || ($0.importance == $1.importance && position[$0.parameter]! < position[$1.parameter]!) }
        return result
    }

    /// F_g for every group of one tree; `nil` when the tree's variance V is 0 (a single leaf).
    static func mainEffects(of tree: RegressionTree, groups: [ImportanceFeatures.Group], columns p: Int) -> [Double]? {
        guard tree.nodeCount > 1 else { return nil }
        // Leaf boxes: per column (lower, upper], starting from the measure's range (one-hot
        // columns from (−1, 2], which holds both 0 and 1).
        var initialLower = [Double](repeating: -1, count: p), initialUpper = [Double](repeating: 2, count: p)
        for group in groups {
            if case .interval(let a, let b) = group.measure {
                initialLower[group.columns.lowerBound] = a
                initialUpper[group.columns.lowerBound] = b
            }
        }
        struct Leaf { var value: Double; var shares: [Double]; var lower: [Double]; var upper: [Double]; var inside: [[Bool]] }
        var leaves: [Leaf] = []
        var stack: [(node: Int, lower: [Double], upper: [Double])] = [(0, initialLower, initialUpper)]
        while let (node, lower, upper) = stack.popLast() {
            let column = tree.feature[node]
            if column >= 0 {
                var leftUpper = upper, rightLower = lower
                leftUpper[column] = min(upper[column], tree.threshold[node])
                rightLower[column] = max(lower[column], tree.threshold[node])
                stack.append((tree.left[node], lower, leftUpper))
                stack.append((tree.right[node], rightLower, upper))
                continue
            }
            var shares: [Double] = [], groupLower: [Double] = [], groupUpper: [Double] = [], inside: [[Bool]] = []
            for group in groups {
                switch group.measure {
                case .interval(let a, let b):
                    let c = group.columns.lowerBound
                    let lo = max(a, lower[c]), hi = min(b, upper[c])
                    shares.append(b > a ? max(0, hi - lo) / (b - a) : 1)
                    groupLower.append(lo); groupUpper.append(hi); inside.append([])
                case .categories(let k):
                    let mask = (0..<k).map { option in
                        group.columns.enumerated().allSatisfy { j, c in
                            let x: Double = j == option ? 1 : 0
                            return lower[c] < x && x <= upper[c]
                        }
                    }
                    shares.append(k > 0 ? Double(mask.filter { $0 }.count) / Double(k) : 1)
                    groupLower.append(0); groupUpper.append(0); inside.append(mask)
                }
            }
            leaves.append(Leaf(value: tree.value[node], shares: shares, lower: groupLower, upper: groupUpper, inside: inside))
        }
        var mean = 0.0, second = 0.0
        for leaf in leaves {
            let probability = leaf.shares.reduce(1, *)
            mean += probability * leaf.value
            second += probability * leaf.value * leaf.value
        }
        let variance = second - mean * mean
        guard variance > 1e-14 * max(second, 1e-300) else { return nil }
        return groups.indices.map { g in
            // c_ℓ = v_ℓ Π_{h≠g} s_{ℓ,h}
            let contributions = leaves.map { leaf in
                leaf.shares.indices.reduce(leaf.value) { $1 == g ? $0 : $0 * leaf.shares[$1] }
            }
            var marginal: [Double] = [], weight: [Double] = []
            switch groups[g].measure {
            case .interval(let a, let b):
                guard b > a else { return 0 }
                var edges = Set<Double>([a, b])
                for leaf in leaves { edges.insert(leaf.lower[g]); edges.insert(leaf.upper[g]) }
                let cuts = edges.sorted()
                let index = Dictionary(uniqueKeysWithValues: cuts.enumerated().map { ($1, $0) })
                var delta = [Double](repeating: 0, count: cuts.count)
                for (leaf, c) in zip(leaves, contributions) where leaf.upper[g] > leaf.lower[g] {
                    delta[index[leaf.lower[g]]!] += c
                    delta[index[leaf.upper[g]]!] -= c
                }
                var running = 0.0
                for cell in 0..<(cuts.count - 1) {
                    running += delta[cell]
                    marginal.append(running)
                    weight.append((cuts[cell + 1] - cuts[cell]) / (b - a))
                }
            case .categories(let k):
                marginal = [Double](repeating: 0, count: k)
                for (leaf, c) in zip(leaves, contributions) {
                    for option in 0..<k where leaf.inside[g][option] { marginal[option] += c }
                }
                weight = [Double](repeating: 1 / Double(k), count: k)
            }
            var m = 0.0, s = 0.0
            for (value, w) in zip(marginal, weight) { m += w * value; s += w * value * value }
            return min(1, max(0, (s - m * m) / variance))
        }
    }
}
