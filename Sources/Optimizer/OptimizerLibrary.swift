/// The library's identity: what the store, the report and the benchmarks record as the
/// version that produced them.
public enum OptimizerLibrary {
    /// The library and command-line version.
    public static let version = "0.2.0"
}
