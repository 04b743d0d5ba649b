// swift-tools-version: 6.1
import PackageDescription

// Targets follow the layers; each depends only on those below it, and the compiler checks it:
//
//   CBLASShim (C: BLAS/LAPACK prototypes and link flags)
//     ← OptimizerNumerics   matrices, Cholesky, L-BFGS-B, Gaussian process, acquisition, random streams
//     ← Optimizer           search spaces, samplers, early-termination policies, trial ledger, Study
//                           (the library product; re-exports OptimizerNumerics; no SQLite, no YAML)
//     ← OptimizerSweep      sweep YAML, code snapshots, trial executors, metric intake, experiment store, report
//                           (GRDB and Yams, imported `internal`)
//   Optimizer
//     ← OptimizerBenchmarks speed, quality and policy benchmarks (reference problems, peers' protocol)
//   OptimizerSweep, OptimizerBenchmarks
//     ← hdbench             the command line
//
// Scripts/check-layers enforces the same direction on `import` lines, in CI.

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "hdbench",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Optimizer", targets: ["Optimizer"]),
        .library(name: "OptimizerNumerics", targets: ["OptimizerNumerics"]),
        .library(name: "OptimizerSweep", targets: ["OptimizerSweep"]),
        // The reference problems (Branin, Hartmann, Ackley, …) for people benchmarking samplers.
        .library(name: "OptimizerBenchmarks", targets: ["OptimizerBenchmarks"]),
        .executable(name: "hdbench", targets: ["hdbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // `swift package generate-documentation --target Optimizer` (DocC); a plugin only,
        // nothing of it is linked into the products.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLASShim",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .target(
            name: "OptimizerNumerics",
            dependencies: ["CBLASShim"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Optimizer",
            dependencies: ["OptimizerNumerics"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OptimizerSweep",
            dependencies: [
                "Optimizer",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OptimizerBenchmarks",
            dependencies: ["Optimizer"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "hdbench",
            dependencies: [
                "Optimizer",
                "OptimizerSweep",
                "OptimizerBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // A consumer of the library product alone: ask/tell with the Bayesian sampler.
        .executableTarget(
            name: "study-example",
            dependencies: ["Optimizer"],
            path: "Examples/StudyExample",
            swiftSettings: strictSettings
        ),

        // Tests: one target per library target, an end-to-end target that drives the built
        // binaries, and shared support (fixtures, seeded generators, temporary folders).
        .target(
            name: "TestSupport",
            dependencies: ["Optimizer"],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .target(
            name: "SweepTestSupport",
            dependencies: ["OptimizerSweep", "TestSupport"],
            path: "Tests/SweepTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OptimizerNumericsTests",
            dependencies: ["OptimizerNumerics", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OptimizerTests",
            // The benchmarks' reference problems (Branin, Hartmann) serve as test objectives.
            dependencies: ["Optimizer", "OptimizerBenchmarks", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OptimizerSweepTests",
            dependencies: ["OptimizerSweep", "TestSupport", "SweepTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OptimizerBenchmarksTests",
            dependencies: ["OptimizerBenchmarks", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["OptimizerSweep", "TestSupport", "SweepTestSupport"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
