// The `Optimizer` product is the library users import: its numerical core (`OptimizerNumerics`:
// matrices, Cholesky, L-BFGS-B, the Gaussian process, expected improvement, random streams) comes
// with it, as swift-numerics' umbrella module re-exports its parts.
@_exported public import OptimizerNumerics
