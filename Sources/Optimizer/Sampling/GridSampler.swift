/// The Cartesian product of `choice` parameters (`sampling_algorithm: grid`), in odometer
/// order: parameters in the order written, the last changing fastest **[decided]**; nested
/// choices inside a mapping option count as that option's sub-grid, entries likewise
/// last-fastest. Trial `i` gets configuration `i`; `nil` once `i` ≥ ``count``.
public struct GridSampler: Sampler {
    /// Largest grid accepted (more would not finish anyway).
    public static let maximumCount = 100_000_000

    /// The space whose grid is walked.
    public let space: SearchSpace
    /// Number of configurations in the grid.
    public let count: Int
    private let valueLists: [[ParameterValue]]

    /// Throws unless every parameter is a `choice` (holding only literals and further
    /// choices) and the grid has at most ``maximumCount`` points.
    public init(space: SearchSpace) throws(ConfigurationError) {
        var problems: [ConfigurationProblem] = []
        for parameter in space.parameters where !parameter.expression.isChoiceOnly {
            let what = parameter.expression.typeName == "choice"
                ? "a choice whose values hold non-choice expressions"
                : parameter.expression.typeName
            problems.append(.init(path: "search_space.\(parameter.name)", message: "grid sampling takes choice expressions only, but this is \(what); list the values to try with type: choice, or use sampling_algorithm: random"))
        }
        if !problems.isEmpty { throw ConfigurationError(problems) }
        guard let count = space.cardinality, count <= Self.maximumCount else {
            throw ConfigurationError(path: "search_space", message: "the grid has more than \(Self.maximumCount) configurations; use fewer values or sampling_algorithm: random")
        }
        var lists: [[ParameterValue]] = []
        for parameter in space.parameters {
            lists.append(parameter.expression.finiteValues(limit: Self.maximumCount) ?? [])
        }
        self.space = space
        self.count = count
        self.valueLists = lists
    }

    /// Configuration `trialIndex` of the grid, `nil` past the end (the history matters only for a
    /// warm start, whose configurations are skipped).
    public func configuration(history: SamplerHistory, trialIndex: Int) -> Configuration? {
        guard trialIndex >= 0, trialIndex < count else { return nil }
        guard history.warmStartCount > 0 else {
            return SearchSpace.odometer(index: trialIndex, lists: valueLists, names: space.names)
        }
        // A warm start's configurations are not run again: the grid is walked in odometer order
        // without them, and trial `trialIndex` takes the `trialIndex`-th point left.
        let evaluated = Set(history.warmStart.map(\.configuration))
        var remaining = trialIndex
        for index in 0..<count {
            let configuration = SearchSpace.odometer(index: index, lists: valueLists, names: space.names)
            if evaluated.contains(configuration) { continue }
            if remaining == 0 { return configuration }
            remaining -= 1
        }
        return nil
    }
}

extension GridSampler {
    /// ``configuration(history:trialIndex:)`` as a ``Suggestion`` (no diagnostics, no state).
    public func suggestion(history: SamplerHistory, trialIndex: Int) -> Suggestion? {
        configuration(history: history, trialIndex: trialIndex).map { Suggestion($0) }
    }
}
