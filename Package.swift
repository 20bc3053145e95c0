// swift-tools-version: 6.0
//
// zkpolicyc — a compiler and zero-knowledge prover for compliance policies over
// machine-learning models. Targets and the direction of their dependencies follow
// DESIGN.md §3: each target may import only the ones listed above it.

import PackageDescription

/// Hot numeric targets are optimised even in debug builds, so that `swift test`
/// exercises real proof sizes in reasonable time.
// The back-end targets are optimised even in debug builds; in release builds
// they also skip the runtime exclusivity checks of their hot loops (debug
// builds, and so the tests, keep them).
let optimisedInDebug: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "zkpolicyc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "zkpolicyc", targets: ["zkpolicyc"]),
        .executable(name: "zkpolicy-bench", targets: ["zkpolicy-bench"]),
        .library(name: "ZKPolicy", targets: ["ZKPolicy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
    ],
    targets: [
        // GMP (Debian: libgmp-dev) for exact big integers and rationals.
        .systemLibrary(name: "CGMP", path: "Sources/CGMP", providers: [.apt(["libgmp-dev"])]),
        .target(name: "BigNumber", dependencies: ["CGMP"]),
        // Deterministic binary encodings (proofs, cards, programs, bundles).
        .target(name: "ByteCoding"),

        // The language front end.
        .target(name: "PolicySyntax"),
        .target(name: "PolicySemantics", dependencies: ["PolicySyntax", "BigNumber"]),

        // The proving back end: knows nothing of policies.
        // AVX-512 butterflies for the NTT, called only where the processor has them.
        .target(name: "CGoldilocks", cSettings: [.unsafeFlags(["-O3"])]),
        // The allocator policy of the executables (keep freed memory for reuse).
        .target(name: "CMemory"),
        .target(name: "Field", dependencies: ["CGoldilocks", "CMemory"], swiftSettings: optimisedInDebug),
        // SHA-256 with the x86 SHA extensions (and a portable fallback) for Merkle trees.
        .target(name: "CSHA256", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Stark", dependencies: ["Field", "CSHA256", "ByteCoding"], swiftSettings: optimisedInDebug),

        // Models, circuits and their layout.
        .target(name: "ModelGraph", dependencies: [
            "BigNumber",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .target(name: "CircuitIR", dependencies: ["Field", "BigNumber", "PolicySemantics", "ModelGraph"],
                swiftSettings: optimisedInDebug),
        .target(name: "ConstraintSystem", dependencies: ["CircuitIR", "Stark", "Field"],
                swiftSettings: optimisedInDebug),

        // The pipeline as a library, and the thin command-line tool over it.
        .target(name: "ZKPolicy", dependencies: [
            "PolicySyntax", "PolicySemantics", "ModelGraph", "CircuitIR", "ConstraintSystem",
            "Stark", "Field", "BigNumber", "ByteCoding",
        ]),
        .executableTarget(name: "zkpolicyc", dependencies: [
            "ZKPolicy", "ModelGraph", "ConstraintSystem", "Field",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "zkpolicy-bench", dependencies: [
            "ZKPolicy", "ModelGraph", "CircuitIR", "ConstraintSystem", "Stark", "Field", "CSHA256",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Benchmarks/zkpolicy-bench", exclude: ["stark-matrix.sh"], swiftSettings: optimisedInDebug),

        .testTarget(name: "BigNumberTests", dependencies: ["BigNumber"]),
        .testTarget(name: "ByteCodingTests", dependencies: ["ByteCoding"]),
        .testTarget(name: "PolicySyntaxTests", dependencies: ["PolicySyntax"], exclude: ["Formatter"]),
        .testTarget(name: "PolicySemanticsTests", dependencies: ["PolicySemantics", "PolicySyntax", "BigNumber"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "FieldTests", dependencies: ["Field"], swiftSettings: optimisedInDebug),
        .testTarget(name: "StarkTests", dependencies: ["Stark", "Field", "CSHA256", "ByteCoding"], exclude: ["Golden"],
                    swiftSettings: optimisedInDebug),
        .testTarget(name: "ModelGraphTests", dependencies: ["ModelGraph"], exclude: ["Fixtures"]),
        .testTarget(name: "CircuitIRTests", dependencies: ["CircuitIR", "Field", "BigNumber", "ModelGraph", "PolicySemantics", "PolicySyntax"],
                    exclude: ["Golden"],
                    swiftSettings: optimisedInDebug),
        .testTarget(name: "ConstraintSystemTests", dependencies: ["ConstraintSystem", "CircuitIR", "Stark", "Field", "ModelGraph"],
                    swiftSettings: optimisedInDebug),
        .testTarget(name: "ZKPolicyTests", dependencies: ["ZKPolicy", "zkpolicyc"], exclude: ["Corpus", "Golden", "Fixtures"]),
    ],
    // Swift 5 language mode: the prover's hot loops share unsafe buffers across
    // `DispatchQueue.concurrentPerform` workers, which Swift 6's strict checking
    // cannot see are race-free.
    swiftLanguageModes: [.v5]
)
