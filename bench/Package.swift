// swift-tools-version:6.1
import PackageDescription

/// Benchmarks for the SecretStore library, kept out of the root package so that its dependencies and release
/// build never slow down the product's own build and tests.
let package = Package(
    name: "secretstore-bench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "jobrunner", path: ".."),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "secretstore-bench",
            dependencies: [
                .product(name: "SecretStore", package: "jobrunner"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Fills a data directory for `bench/http-load`, which then serves it with `jobrunner serve`.
        .executableTarget(
            name: "secretstore-fill",
            dependencies: [
                .product(name: "SecretStore", package: "jobrunner"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
