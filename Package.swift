// swift-tools-version:6.0
import PackageDescription

// The commit `sluice --version` names: SwiftPM reads it from git when it evaluates this manifest.
// An incremental build reuses the last evaluation (and so an older commit) until Package.swift
// changes; `make release` passes --manifest-cache none --disable-build-manifest-caching.
let commit: String = {
    guard let git = Context.gitInformation else { return "unknown" }
    return String(git.currentCommit.prefix(12)) + (git.hasUncommittedChanges ? "-modified" : "")
}()

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        // Stage libraries, for the separate Benchmarks/ and Fuzz/ packages.
        .library(name: "SluiceCore", targets: ["SluiceCore"]),
        .library(name: "SluiceMail", targets: ["SluiceMail"]),
        .library(name: "SluiceUnpack", targets: ["SluiceUnpack"]),
        .library(name: "SluiceParse", targets: ["SluiceParse"]),
        .library(name: "SluiceExtract", targets: ["SluiceExtract"]),
        .library(name: "SluiceFormats", targets: ["SluiceFormats"]),
        // For Fuzz/: the record schema validator and search query parser, the pipeline-file reader.
        .library(name: "SluiceExport", targets: ["SluiceExport"]),
        .library(name: "SluiceScheduler", targets: ["SluiceScheduler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // C libraries: module map + shim header, nothing else.
        .systemLibrary(
            name: "CSluiceLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CSluiceZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // SHA-256 blocks on the CPU's SHA extensions (SluiceCore falls back to Swift without them).
        .target(name: "CSluiceSHA256"),
        // The git commit the binary was built from, as a C string (Swift defines cannot carry values).
        .target(name: "CSluiceBuildInfo", cSettings: [.define("CSLUICE_GIT_COMMIT", to: "\"\(commit)\"")]),
        // Documents, items, stage ids, records, errors, JSON, hashing.
        .target(name: "SluiceCore", dependencies: ["CSluiceSHA256"]),
        // E-mail (RFC 5322 / MIME): structure, transfer encodings, header words.
        .target(name: "SluiceMail", dependencies: ["SluiceCore"]),
        // Archive readers and the unpack budgets (an e-mail's attachments are members too).
        .target(name: "SluiceUnpack", dependencies: ["SluiceCore", "SluiceMail", "CSluiceZlib"]),
        // Supervised child processes: posix_spawn, pipes, deadlines (the PDF helpers, process isolation).
        .target(name: "SluiceProcess", dependencies: ["SluiceCore"]),
        // libxml2 XML reader, HTML parser, encodings.
        .target(name: "SluiceParse", dependencies: ["SluiceCore", "SluiceMail", "SluiceProcess", "CSluiceLibXML2"]),
        // Text extractors: agencies (gazetteer), dates, programs, counts.
        // The gazetteer in Resources/ is compiled in (Generated/, from scripts/embed-resources).
        .target(name: "SluiceExtract", dependencies: ["SluiceCore"], exclude: ["Resources"]),
        // Schema-aware extractors for agency exports (FOIA annual report, FR, CFR, BILLSTATUS).
        .target(name: "SluiceFormats", dependencies: ["SluiceCore"]),
        // The Outbox's layout: records files (atomic writer, streaming reader), deletions, manifests, the lock.
        .target(name: "SluiceOutbox", dependencies: ["SluiceCore"]),
        // The ledger: one interface, SQLite (GRDB) and PostgreSQL (postgres-nio) backends.
        .target(
            name: "SluiceLedger",
            dependencies: [
                "SluiceCore", "SluicePostgres", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // PostgreSQL: where a database is (URL, PG* variables, ~/.pgpass) and opening it (postgres-nio).
        .target(
            name: "SluicePostgres",
            dependencies: [
                "SluiceCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Exports for search tools (OpenSearch, Meilisearch, NDJSON), the embedded SQLite FTS5 index and
        // the PostgreSQL full-text target (Postgres/).
        .target(
            name: "SluiceExport",
            dependencies: [
                "SluiceCore", "SluiceOutbox", "SluicePostgres", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            // The schema, mapping and settings in Resources/ are compiled in (Generated/).
            exclude: ["Resources"]
        ),
        // Pipeline configuration, stage pools, queues, the run itself.
        .target(
            name: "SluiceScheduler",
            dependencies: [
                "SluiceCore", "SluiceUnpack", "SluiceParse", "SluiceExtract", "SluiceFormats", "SluiceLedger",
                "SluiceOutbox", "SluiceProcess", "SluicePostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The command line.
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceCore", "SluiceScheduler", "SluiceLedger", "SluiceUnpack", "SluiceParse", "SluiceExtract",
                "SluiceFormats", "SluiceExport", "SluiceOutbox", "CSluiceBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test only: a parse child that speaks the isolation protocol and crashes, exhausts its memory
        // limit or hangs on documents whose names say so (process-isolation tests start it).
        .executableTarget(
            name: "SluiceFaultChild",
            dependencies: ["SluiceScheduler", "SluiceCore"],
            path: "Tests/SluiceFaultChild"
        ),

        // Test support: the committed fixtures under Tests/Fixtures, inflated from their packed form.
        .target(name: "SluiceTestSupport", dependencies: ["SluiceCore", "CSluiceZlib"], path: "Tests/SluiceTestSupport"),

        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"]),
        .testTarget(name: "SluiceOutboxTests", dependencies: ["SluiceOutbox", "SluiceCore"]),
        .testTarget(name: "SluiceMailTests", dependencies: ["SluiceMail", "SluiceCore"]),
        .testTarget(
            name: "SluicePostgresTests",
            dependencies: [
                "SluicePostgres", "SluiceTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SluiceUnpackTests",
            dependencies: ["SluiceUnpack", "SluiceCore", "SluiceTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SluiceParseTests",
            dependencies: ["SluiceParse", "SluiceCore", "SluiceTestSupport"]
        ),
        .testTarget(
            name: "SluiceExtractTests",
            dependencies: ["SluiceExtract", "SluiceCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SluiceFormatsTests",
            dependencies: ["SluiceFormats", "SluiceParse", "SluiceCore", "SluiceTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SluiceSchedulerTests",
            dependencies: [
                "SluiceScheduler", "SluiceLedger", "SluiceCore", "SluiceExport", "SluiceExtract", "SluiceOutbox",
                "SluiceTestSupport",
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SluiceExportTests",
            // GRDB: the index tests read the tables with their own queries.
            dependencies: ["SluiceExport", "SluiceCore", "SluiceOutbox", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SluicePostgresSearchTests",
            dependencies: [
                "SluiceExport", "SluiceCore", "SluiceOutbox", "SluicePostgres", "SluiceTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "sluiceCLITests",
            dependencies: ["SluiceCore", "SluiceTestSupport"]
        ),
    ]
)

// Strict settings for every Swift target, in one place.
for target in package.targets where target.type != .system && !target.name.hasPrefix("C") {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
