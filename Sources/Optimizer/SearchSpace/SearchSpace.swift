/// PLACEHOLDER — replaced by the search-space work (branch `space`).
public struct SearchSpace: Sendable {
    public init() {}
}
