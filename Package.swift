// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "hdbench",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Optimizer", targets: ["Optimizer"]),
        .executable(name: "hdbench", targets: ["hdbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLASShim",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .target(
            name: "Optimizer",
            dependencies: [
                "CBLASShim",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "hdbench",
            dependencies: [
                "Optimizer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "study-example",
            dependencies: ["Optimizer"],
            path: "Examples/StudyExample"
        ),
        .testTarget(
            name: "OptimizerTests",
            dependencies: ["Optimizer"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
