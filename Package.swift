// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "jobrunner",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "jobrunner", targets: ["jobrunner"]),
        /// Installed beside `jobrunner`: PID 1 of a job's private namespace (see Sources/JobRunnerInit).
        .executable(name: "jobrunner-init", targets: ["JobRunnerInit"]),
        .library(name: "SecretStore", targets: ["SecretStore"]),
        .library(name: "SecretsServer", targets: ["SecretsServer"]),
        .library(name: "Injector", targets: ["Injector"]),
        .library(name: "Jobs", targets: ["Jobs"]),
        .library(name: "HuggingFaceIntegration", targets: ["HuggingFaceIntegration"]),
        .library(name: "WandBIntegration", targets: ["WandBIntegration"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "SecretStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SecretsServer",
            dependencies: [
                "SecretStore",
                "CExecutorHook",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Installs the server's event loops as Swift concurrency's global executor in every build, also one
        /// with the Swift runtime linked in statically (where SwiftNIO's own lookup of the hook finds nothing).
        .target(name: "CExecutorHook"),
        /// Linux process primitives Swift's Glibc module does not expose (unshare, mount, prctl, close_range),
        /// wrapped in one C launcher so that the fork/exec path runs no Swift code between fork and exec.
        .target(name: "CLauncher"),
        /// PID 1 of a job's private namespace once the job runs: a few pages of C instead of a copy of the runner, so
        /// that starting a job never copies the runner's large address space.
        .executableTarget(name: "JobRunnerInit", dependencies: ["CLauncher"]),
        .target(
            name: "Injector",
            dependencies: [
                "SecretStore",
                "CLauncher",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        /// The Hugging Face Hub protocol: model downloads into the standard hub cache, and commits of a folder.
        .target(
            name: "HuggingFaceIntegration",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Integrations/HuggingFace"
        ),
        /// Weights & Biases: the runner's durable telemetry outbox and the W&B run protocol it is sent with.
        .target(
            name: "WandBIntegration",
            dependencies: [
                "SecretStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Integrations/WandB"
        ),
        .target(
            name: "Jobs",
            dependencies: [
                "SecretStore",
                "Injector",
                "HuggingFaceIntegration",
                "WandBIntegration",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "jobrunner",
            dependencies: [
                "SecretStore",
                "SecretsServer",
                "Injector",
                "Jobs",
                "WandBIntegration",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SecretStoreTests",
            dependencies: [
                "SecretStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SecretsServerTests",
            dependencies: [
                "SecretStore",
                "SecretsServer",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "InjectorTests",
            dependencies: ["SecretStore", "Injector"]
        ),
        .testTarget(
            name: "JobsTests",
            dependencies: ["SecretStore", "Injector", "Jobs", "HuggingFaceIntegration"]
        ),
        .testTarget(
            name: "HuggingFaceIntegrationTests",
            dependencies: ["HuggingFaceIntegration", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "WandBIntegrationTests",
            dependencies: ["WandBIntegration", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "JobRunnerCommandTests",
            dependencies: ["jobrunner", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "JobRunnerTests",
            dependencies: [
                "SecretStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)
