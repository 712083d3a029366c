import Foundation
internal import Yams
import SluiceLedger
import SluicePostgres

/// Walks a pipeline file's YAML tree onto a `PipelineConfig`, collecting every
/// issue with its line and column instead of stopping at the first.
struct ConfigReader {
    var issues: [ConfigIssue] = []

    mutating func read(_ root: Node, into result: inout PipelineConfig) {
        var config = result
        defer { result = config }
        mapping(root, path: "", keys: [
            "name": { r, n, p in if let v = r.string(n, p) { config.name = v } },
            "stages": { r, n, p in
                r.mapping(n, path: p, keys: [
                    "unpack": { r, n, p in r.stage(n, p, &config.unpackStage) },
                    "parse": { r, n, p in r.stage(n, p, &config.parseStage) },
                    "extract": { r, n, p in r.stage(n, p, &config.extractStage) },
                    "write": { r, n, p in r.stage(n, p, &config.writeStage) },
                ])
            },
            "unpack": { r, n, p in
                r.mapping(n, path: p, keys: [
                    "max_total_bytes": { r, n, p in if let v = r.bytes(n, p) { config.unpack.maxTotalBytes = v } },
                    "max_member_bytes": { r, n, p in if let v = r.bytes(n, p) { config.unpack.maxMemberBytes = v } },
                    "max_ratio": { r, n, p in if let v = r.number(n, p, min: 1) { config.unpack.maxRatio = v } },
                    "max_entries": { r, n, p in if let v = r.int(n, p, min: 1) { config.unpack.maxEntries = v } },
                    "max_depth": { r, n, p in if let v = r.int(n, p, min: 0, max: 32) { config.unpack.maxDepth = v } },
                    "max_attachments": { r, n, p in if let v = r.int(n, p, min: 0) { config.unpack.maxAttachments = v } },
                    "max_mime_depth": { r, n, p in if let v = r.int(n, p, min: 1, max: 100) { config.unpack.mime.maxDepth = v } },
                    "max_mime_parts": { r, n, p in if let v = r.int(n, p, min: 1) { config.unpack.mime.maxParts = v } },
                ])
            },
            "parse": { r, n, p in
                r.mapping(n, path: p, keys: [
                    "max_document_bytes": { r, n, p in if let v = r.bytes(n, p) { config.parse.maxDocumentBytes = Int(v) } },
                    "max_text_chars": { r, n, p in if let v = r.int(n, p, min: 1) { config.parse.maxTextCharacters = v } },
                    "max_depth": { r, n, p in if let v = r.int(n, p, min: 1, max: 10_000) { config.parse.maxDepth = v } },
                    "max_attributes_per_element": { r, n, p in
                        if let v = r.int(n, p, min: 1, max: 100_000) { config.parse.maxAttributesPerElement = v }
                    },
                    "isolation": { r, n, p in
                        guard let v = r.string(n, p) else { return }
                        if let mode = IsolationSettings.Mode(rawValue: v) {
                            config.isolation.mode = mode
                        } else {
                            r.issue(n, p, "must be process or none, not '\(v)'")
                        }
                    },
                    "memory_limit": { r, n, p in
                        guard let v = r.bytes(n, p) else { return }
                        if v >= 64 << 20 { config.isolation.memoryBytes = v } else { r.issue(n, p, "must be at least 64MiB") }
                    },
                    "cpu_limit": { r, n, p in if let v = r.int(n, p, min: 1, max: 86_400) { config.isolation.cpuSeconds = v } },
                    "pdf": { r, n, p in
                        r.mapping(n, path: p, keys: [
                            "ocr": { r, n, p in if let v = r.bool(n, p) { config.parse.pdf.ocr = v } },
                            "ocr_dpi": { r, n, p in if let v = r.int(n, p, min: 50, max: 1200) { config.parse.pdf.ocrDPI = v } },
                            "max_pages": { r, n, p in if let v = r.int(n, p, min: 1) { config.parse.pdf.maxPages = v } },
                            "seconds_per_page": { r, n, p in
                                if let v = r.number(n, p, min: 0.1) { config.parse.pdf.secondsPerPage = v }
                            },
                            "memory_limit": { r, n, p in
                                if let v = r.bytes(n, p) { config.parse.pdf.memoryBytes = Int(clamping: v) }
                            },
                        ])
                    },
                ])
            },
            "extract": { r, n, p in
                r.mapping(n, path: p, keys: [
                    "extractors": { r, n, p in
                        guard let names = r.strings(n, p) else { return }
                        let known = ["agencies", "dates", "programs", "counts", "formats"]
                        for name in names where !known.contains(name) {
                            r.issue(n, p, "unknown extractor '\(name)' (known: \(known.joined(separator: ", ")))")
                        }
                        config.extract.agencies = names.contains("agencies")
                        config.extract.dates = names.contains("dates")
                        config.extract.programs = names.contains("programs")
                        config.extract.counts = names.contains("counts")
                        config.formats = names.contains("formats")
                    },
                    "gazetteers": { r, n, p in if let v = r.strings(n, p) { config.extract.userGazetteers = v } },
                ])
            },
            "output": { r, n, p in
                r.mapping(n, path: p, keys: [
                    "include_text": { r, n, p in if let v = r.bool(n, p) { config.output.includeText = v } },
                    "max_text_chars": { r, n, p in
                        if r.isNull(n) {
                            config.output.maxTextCharacters = nil
                        } else if let v = r.int(n, p, min: 1) {
                            config.output.maxTextCharacters = v
                        }
                    },
                    "postgres": { r, n, p in
                        if case .scalar(let s) = n, s.string == "null" || s.string == "~" || s.string.isEmpty {
                            config.output.postgres = nil
                        } else if let v = r.postgresURL(n, p) {
                            config.output.postgres = v
                        }
                    },
                ])
            },
            "ledger": { r, n, p in
                r.mapping(n, path: p, keys: [
                    "path": { r, n, p in if let v = r.string(n, p) { config.ledgerPath = v } },
                    "url": { r, n, p in
                        if r.isNull(n) {
                            config.ledgerURL = nil
                        } else if let v = r.string(n, p) {
                            switch LedgerLocation.parse(v) {
                            case .success: config.ledgerURL = v
                            case .failure(let error): r.issue(n, p, error.message)
                            }
                        }
                    },
                    "lease_seconds": { r, n, p in if let v = r.number(n, p, min: 0.5) { config.leaseSeconds = v } },
                    "retry_seconds": { r, n, p in if let v = r.number(n, p, min: 0) { config.ledgerRetrySeconds = v } },
                    "shard_members": { r, n, p in
                        if r.isNull(n) { config.shardMembers = nil } else if let v = r.int(n, p, min: 1) { config.shardMembers = v }
                    },
                    "shard_bytes": { r, n, p in
                        if r.isNull(n) { config.shardBytes = nil } else if let v = r.bytes(n, p) { config.shardBytes = v }
                    },
                ])
            },
            "logging": { r, n, p in
                r.mapping(n, path: p, keys: [
                    "format": { r, n, p in
                        if let v = r.string(n, p) {
                            if ["text", "json"].contains(v) { config.logFormat = v } else { r.issue(n, p, "must be text or json, not '\(v)'") }
                        }
                    },
                    "quiet": { r, n, p in if let v = r.bool(n, p) { config.quiet = v } },
                ])
            },
        ])
    }

    typealias Handler = (inout ConfigReader, Node, String) -> Void

    mutating func issue(_ node: Node, _ path: String, _ message: String) {
        issues.append(ConfigIssue(line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, key: path, message: message))
    }

    mutating func mapping(_ node: Node, path: String, keys: [String: Handler]) {
        guard case .mapping(let pairs) = node else {
            if case .scalar(let s) = node, s.string.isEmpty || s.string == "null" { return }
            issue(node, path, "must be a mapping of keys to values")
            return
        }
        for (keyNode, value) in pairs {
            let key = keyNode.scalar?.string ?? ""
            let full = path.isEmpty ? key : "\(path).\(key)"
            guard let handler = keys[key] else {
                issue(keyNode, full, "unknown key (allowed here: \(keys.keys.sorted().joined(separator: ", ")))")
                continue
            }
            handler(&self, value, full)
        }
    }

    mutating func stage(_ node: Node, _ path: String, _ settings: inout StageSettings) {
        var copy = settings
        mapping(node, path: path, keys: [
            "workers": { r, n, p in if let v = r.int(n, p, min: 1, max: 256) { copy.workers = v } },
            "queue": { r, n, p in if let v = r.int(n, p, min: 1, max: 100_000) { copy.queue = v } },
            "timeout": { r, n, p in if let v = r.number(n, p, min: 0.001) { copy.timeout = v } },
            "attempts": { r, n, p in if let v = r.int(n, p, min: 1, max: 100) { copy.attempts = v } },
        ])
        settings = copy
    }

    mutating func scalar(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let s) = node else {
            issue(node, path, "must be a single value")
            return nil
        }
        return s.string
    }

    mutating func string(_ node: Node, _ path: String) -> String? { scalar(node, path) }

    mutating func bool(_ node: Node, _ path: String) -> Bool? {
        guard let s = scalar(node, path) else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            issue(node, path, "must be true or false, not '\(s)'")
            return nil
        }
    }

    /// Whether a node is `null`, `~` or empty: an optional setting turned off.
    func isNull(_ node: Node) -> Bool {
        if case .scalar(let s) = node { return s.string == "null" || s.string == "~" || s.string.isEmpty }
        return false
    }

    mutating func int(_ node: Node, _ path: String, min: Int, max: Int = Int.max) -> Int? {
        guard let s = scalar(node, path) else { return nil }
        guard let v = Int(s.replacingOccurrences(of: "_", with: "")) else {
            issue(node, path, "must be a whole number, not '\(s)'")
            return nil
        }
        guard v >= min, v <= max else {
            issue(node, path, max == Int.max ? "must be at least \(min), not \(v)" : "must be between \(min) and \(max), not \(v)")
            return nil
        }
        return v
    }

    mutating func number(_ node: Node, _ path: String, min: Double) -> Double? {
        guard let s = scalar(node, path) else { return nil }
        guard let v = Double(s), v.isFinite else {
            issue(node, path, "must be a number, not '\(s)'")
            return nil
        }
        guard v >= min else {
            issue(node, path, "must be at least \(min), not \(s)")
            return nil
        }
        return v
    }

    /// A byte size: a whole number, or one with a unit (KiB, MiB, GiB, KB, MB, GB).
    mutating func bytes(_ node: Node, _ path: String) -> Int64? {
        guard let s = scalar(node, path) else { return nil }
        let units: [(String, Int64)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
            ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
        ]
        let trimmed = s.trimmingCharacters(in: .whitespaces)
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            // At least one byte: "0.0001KiB" would otherwise become a budget of 0 and refuse everything.
            if let v = Double(number), v > 0, v * Double(factor) >= 1, v * Double(factor) < 9e18 { return Int64(v * Double(factor)) }
            issue(node, path, "must be a size such as 512MiB, not '\(s)'")
            return nil
        }
        if let v = Int64(trimmed), v > 0 { return v }
        issue(node, path, "must be a size in bytes or with a unit (KiB, MiB, GiB), not '\(s)'")
        return nil
    }

    /// A `postgres://` URL, checked for its own form only: the PG* variables and ~/.pgpass that
    /// fill its gaps are the machine's, read when it is used.
    mutating func postgresURL(_ node: Node, _ path: String) -> String? {
        guard let s = scalar(node, path) else { return nil }
        do {
            _ = try PostgresLocation(url: s, environment: [:], home: "/nonexistent")
            return s
        } catch {
            issue(node, path, error.message)
            return nil
        }
    }

    mutating func strings(_ node: Node, _ path: String) -> [String]? {
        guard case .sequence(let items) = node else {
            issue(node, path, "must be a list")
            return nil
        }
        return items.compactMap { scalar($0, path) }
    }
}
