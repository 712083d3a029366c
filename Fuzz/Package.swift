// swift-tools-version:6.0
// libFuzzer targets, one per reader of outside bytes (issue #12). Like Benchmarks/, a package of its
// own so the sanitizer build and its flags stay out of the main build. Build and run with Fuzz/run.sh;
// each target is an executable whose `main` is libFuzzer's, so it is only useful built with
// `swift build -Xswiftc -sanitize=fuzzer,address`.
import PackageDescription

let sluice = "sluice-package"

/// One target per reader of outside bytes; the harnesses (and their invariants) live in FuzzSupport,
/// which reaches internal readers with `@testable import` (the fuzz build is a debug build, and
/// debug builds enable testability).
let targets = [
    "fuzz-zip", "fuzz-tar", "fuzz-gzip", "fuzz-unpack", "fuzz-xml", "fuzz-html", "fuzz-text", "fuzz-foia",
    "fuzz-fedreg", "fuzz-cfr", "fuzz-billstatus", "fuzz-pipeline", "fuzz-json", "fuzz-query", "fuzz-mime",
]

let package = Package(
    name: "SluiceFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: sluice)],
    targets: [
        // libFuzzer's driver behind a C declaration (SwiftPM gives executables their own `main`).
        .target(name: "CFuzzerDriver"),
        // Invariant checks shared by the targets: records, mentions, budgets.
        .target(
            name: "FuzzSupport",
            dependencies: ["CFuzzerDriver"] + ["SluiceCore", "SluiceMail", "SluiceUnpack", "SluiceParse", "SluiceExtract", "SluiceFormats", "SluiceExport",
                           "SluiceScheduler"].map { .product(name: $0, package: sluice) }
        ),
    ] + targets.map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzSupport"],
            // `@main` hands over to libFuzzer's driver; the file also exports LLVMFuzzerTestOneInput.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    }
)
