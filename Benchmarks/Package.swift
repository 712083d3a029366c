// swift-tools-version:6.0
// Benchmarks live apart from the tests and the main build (STYLE.md, habit 8).
// Each executable prints figures; none asserts anything.
import PackageDescription

let package = Package(
    name: "SluiceBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "unpack-bench",
            dependencies: [.product(name: "SluiceUnpack", package: "main"), .product(name: "SluiceCore", package: "main")]
        ),
        .executableTarget(
            name: "parse-bench",
            dependencies: [.product(name: "SluiceParse", package: "main"), .product(name: "SluiceCore", package: "main")]
        ),
        .executableTarget(
            name: "extract-bench",
            dependencies: [
                .product(name: "SluiceExtract", package: "main"), .product(name: "SluiceParse", package: "main"),
                .product(name: "SluiceCore", package: "main"),
            ]
        ),
    ]
)
