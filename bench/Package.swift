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
    ],
    targets: [
        .executableTarget(
            name: "secretstore-bench",
            dependencies: [
                .product(name: "SecretStore", package: "jobrunner"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        )
    ]
)
