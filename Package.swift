// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "harness-audit",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "HarnessAuditKit", targets: ["HarnessAuditKit"]),
        .executable(name: "harness-audit", targets: ["harness-audit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // zstd is loaded at run time (libzstd.so.1 is on every Debian or Ubuntu system, dpkg needs it), so
        // building needs no zstd headers.
        .target(
            name: "CZstd",
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]),
        .target(
            name: "HarnessAuditKit",
            dependencies: [
                "CSQLite", "CZlib", "CZstd", "COpenSSL",
                .product(name: "Yams", package: "Yams"),
            ],
            // Release builds skip the runtime exclusivity checks (measured: 7% of ingest time, see README,
            // Performance); debug builds and the tests keep them.
            swiftSettings: [
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
                // Only what a file imports is visible in it: Foundation's string methods (slow on Linux) cannot
                // slip into the library through a dependency.
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
        .executableTarget(
            name: "harness-audit",
            dependencies: [
                "HarnessAuditKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "HarnessAuditSamples", dependencies: ["HarnessAuditKit", "CZlib"]),
        .executableTarget(name: "harness-audit-dev", dependencies: ["HarnessAuditSamples"]),
        .executableTarget(name: "harness-audit-bench", dependencies: ["HarnessAuditKit", "HarnessAuditSamples"]),
        .testTarget(
            name: "HarnessAuditKitTests",
            dependencies: ["HarnessAuditKit", "HarnessAuditSamples"],
            exclude: ["Golden"],
            resources: [.copy("Fixtures")]
        ),
    ]
)

// libFuzzer targets (Tests/Fuzz/README.md), declared only when HARNESS_AUDIT_FUZZ is set: ordinary builds never see them.
if Context.environment["HARNESS_AUDIT_FUZZ"] != nil {
    // The entry point the three share: it starts libFuzzer's driver.
    package.targets.append(.target(name: "FuzzDriver", path: "Tests/Fuzz/FuzzDriver",
                                   swiftSettings: [.enableExperimentalFeature("Extern")]))
    for name in ["FuzzShellParser", "FuzzLineDecoder", "FuzzGzip"] {
        package.targets.append(.executableTarget(
            name: name, dependencies: ["HarnessAuditKit", "FuzzDriver"], path: "Tests/Fuzz/\(name)",
            swiftSettings: [.unsafeFlags(["-parse-as-library", "-sanitize=fuzzer,address"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]))
    }
}
