/// hdbench's optimisation library: search spaces, samplers (random, Sobol, grid, Bayesian),
/// early-termination policies and the sweep runner.
public enum Optimizer {
    /// The library and command-line version.
    public static let version = "0.1.0"
}
