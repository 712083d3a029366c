// swift-tools-version:6.0
// Benchmarks live apart from the tests and the main build (STYLE.md, habit 8).
// Each executable prints figures; none asserts anything.
import PackageDescription

let package = Package(
    name: "SluiceBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "sluice-package")],
    targets: [
        .executableTarget(
            name: "unpack-bench",
            dependencies: [.product(name: "SluiceUnpack", package: "sluice-package"), .product(name: "SluiceCore", package: "sluice-package")]
        ),
        .executableTarget(
            name: "parse-bench",
            dependencies: [.product(name: "SluiceParse", package: "sluice-package"), .product(name: "SluiceCore", package: "sluice-package")]
        ),
        .executableTarget(
            name: "pdf-bench",
            dependencies: [.product(name: "SluiceParse", package: "sluice-package"), .product(name: "SluiceCore", package: "sluice-package")]
        ),
        .executableTarget(
            name: "extract-bench",
            dependencies: [
                .product(name: "SluiceExtract", package: "sluice-package"), .product(name: "SluiceParse", package: "sluice-package"),
                .product(name: "SluiceFormats", package: "sluice-package"),
                .product(name: "SluiceCore", package: "sluice-package"),
            ]
        ),
    ]
)
