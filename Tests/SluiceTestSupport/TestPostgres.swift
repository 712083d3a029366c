public import Foundation

/// Real PostgreSQL servers for the tests. The shared one is the server `.ci/run` starts
/// (`SLUICE_TEST_POSTGRES_URL`); where that is not set, the test process starts its own with
/// `scripts/pg-throwaway` on first use and stops it when the process exits. Tests never skip for
/// want of a server: without PostgreSQL's binaries they fail, saying so.
public enum TestPostgres {
    /// A new, empty database on the shared test server: its URL.
    public static func database(_ prefix: String = "t") throws -> String {
        let server = try shared.get()
        let name = "\(prefix)_\(getpid())_\(counter.next())_\(UInt32.random(in: 0...UInt32.max))"
            .lowercased().filter { $0.isLetter || $0.isNumber || $0 == "_" }
        try psql(server.url, "CREATE DATABASE \(name)")
        return server.url(database: name)
    }

    /// `server` (a postgres:// URL) with its database replaced by `name`.
    static func url(_ server: String, database name: String) -> String {
        guard let slash = server.range(of: "/", options: .backwards) else { return server }
        return String(server[..<slash.upperBound]) + name
    }

    /// A server of the test's own, which it may stop and start again (to test a lost database).
    /// Stopped and removed by `PrivateServer.close()`.
    public static func privateServer() throws -> PrivateServer {
        try PrivateServer()
    }

    /// Runs one SQL statement with `psql` and returns what it printed (unaligned, tuples only).
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let result = try run(["psql", url, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-A", "-t", "-c", sql])
        guard result.status == 0 else {
            throw FixtureError("psql failed (\(result.status)) on \(sql): \(result.error)")
        }
        return result.output
    }

    /// A server started by `scripts/pg-throwaway` in a temporary folder.
    public final class PrivateServer: @unchecked Sendable {
        /// The folder holding the data, the socket and the logs.
        public let folder: URL
        /// `postgres://postgres@127.0.0.1:PORT/postgres`.
        public let url: String
        private let lock = NSLock()
        private var closed = false

        init() throws {
            folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("sluice-pg-\(getpid())-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            url = try Self.script("start", folder)
        }

        /// The URL of database `name` on this server.
        public func url(database name: String) -> String { TestPostgres.url(url, database: name) }

        /// Stops the server (fast shutdown: open sessions are ended).
        public func stop() throws {
            _ = try Self.script("stop", folder)
        }

        /// Starts the stopped server again, on the same port.
        public func start() throws {
            _ = try Self.script("start", folder)
        }

        /// Stops the server and removes its folder.
        public func close() {
            lock.lock()
            defer { lock.unlock() }
            guard !closed else { return }
            closed = true
            _ = try? Self.script("stop", folder)
            try? FileManager.default.removeItem(at: folder)
        }

        deinit { close() }

        static func script(_ action: String, _ folder: URL) throws -> String {
            let script = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("scripts/pg-throwaway").path
            let result = try TestPostgres.run([script, action, folder.path])
            guard result.status == 0 else {
                throw FixtureError("scripts/pg-throwaway \(action) failed (\(result.status)): \(result.error)")
            }
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The shared server: from the environment, or started once for this process.
    struct SharedServer: Sendable {
        let url: String
        func url(database name: String) -> String { TestPostgres.url(url, database: name) }
    }

    final class Lazy: @unchecked Sendable {
        private let lock = NSLock()
        private var server: SharedServer?
        private var owned: PrivateServer?

        func get() throws -> SharedServer {
            lock.lock()
            defer { lock.unlock() }
            if let server { return server }
            let made: SharedServer
            if let url = ProcessInfo.processInfo.environment["SLUICE_TEST_POSTGRES_URL"], !url.isEmpty {
                made = SharedServer(url: url)
            } else {
                let own = try PrivateServer()
                owned = own
                made = SharedServer(url: own.url)
                atexit { TestPostgres.shared.stopOwned() }
            }
            server = made
            return made
        }

        func stopOwned() {
            lock.lock()
            let own = owned
            owned = nil
            lock.unlock()
            own?.close()
        }
    }

    static let shared = Lazy()

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }

    static let counter = Counter()

    /// Runs a program to completion. Its output goes through files, not pipes: a server it starts
    /// in the background would hold a pipe open and a reader would wait for ever.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-pg-run-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let error = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output, error)
    }
}
