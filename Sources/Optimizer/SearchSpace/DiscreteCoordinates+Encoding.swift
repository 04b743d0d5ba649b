public import OptimizerNumerics

extension DiscreteCoordinates {
    /// The discrete structure of `encoding`, or `nil` when every coordinate is continuous.
    public init?(_ encoding: SearchSpaceEncoding) {
        guard encoding.isDiscrete.contains(true) else { return nil }
        self.init(isDiscrete: encoding.isDiscrete, oneHotBlocks: encoding.oneHotBlocks, snap: { encoding.snap($0) })
    }
}
