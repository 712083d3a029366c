import SluiceCore
import Foundation
import SluiceScheduler
import SluiceMail
@testable import SluiceExport

/// The pipeline-file reader: a configuration it accepts is usable, and one it refuses comes with
/// at least one issue that says what is wrong.
public enum PipelineHarness {
    public static func run(_ data: [UInt8]) {
        let yaml = String(decoding: data, as: UTF8.self)
        do {
            let config = try PipelineConfig.parse(yaml: yaml, file: "fuzz.yml")
            for stage in Stage.allCases {
                let s = config.settings(for: stage)
                require(s.workers >= 1 && s.queue >= 1 && s.attempts >= 1, "stage \(stage) accepted with \(s)")
                require(s.timeout.isFinite && s.timeout > 0, "stage \(stage) accepted with timeout \(s.timeout)")
            }
            require(config.unpack.maxTotalBytes > 0 && config.unpack.maxMemberBytes > 0, "unpack budgets accepted non-positive")
            require(config.unpack.maxRatio.isFinite && config.unpack.maxRatio > 0, "unpack ratio accepted as \(config.unpack.maxRatio)")
            require(config.parse.maxDocumentBytes > 0 && config.parse.maxTextCharacters > 0, "parse limits accepted non-positive")
        } catch let error as ConfigError {
            require(!error.issues.isEmpty, "a refused pipeline file without any issue")
            for issue in error.issues {
                require(!issue.message.isEmpty && issue.line >= 0 && issue.column >= 0, "issue without a place or message: \(issue)")
            }
        } catch {
            require(false, "the pipeline reader threw something other than ConfigError: \(error)")
        }
    }
}

/// The JSON reader: what it accepts writes back as JSON that reads back unchanged.
public enum JSONHarness {
    public static func run(_ data: [UInt8]) {
        do {
            let value = try JSONReader.parse(data)
            Check.json(value, what: "JSON input")
        } catch {
            Check.error(error, what: "JSON input")
        }
    }
}

/// The search query parser: whatever the user types, the FTS5 expression it builds is a list of
/// well-formed FTS5 strings (checked scalar by scalar, as SQLite reads it), and date filters read
/// as real ISO days.
public enum QueryHarness {
    public static func run(_ data: [UInt8]) {
        let input = String(decoding: data, as: UTF8.self)
        do {
            if let match = try FTSQuery.build(input) {
                require(wellFormed(match), "FTS5 expression is malformed: \(Array(match.unicodeScalars).map { String($0.value, radix: 16) })")
            }
        } catch {
            require(!error.message.isEmpty, "query refused without a message")
        }
        // The same text as a real search of a small FTS5 index: refused only as a bad query, never an SQL error.
        if let index {
            do {
                _ = try index.search(SearchQuery(input, limit: 3))
            } catch {
                require(error.code == .badQuery, "search for \(Array(input.unicodeScalars)) failed as \(error.code): \(error.message)")
            }
        }
        if let span = DateSpan.parse(input) {
            require(Check.isoDate(span.start) && Check.isoDate(span.end) && span.start.count == 10 && span.end.count == 10,
                    "date filter '\(input)' reads as \(span.start)...\(span.end)")
            require(span.start <= span.end, "date filter '\(input)' starts after it ends")
        }
    }

    /// An index of the export tests' fixture Outbox (inside the repository), built once per process.
    static let index: SearchIndex? = {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let outbox = repository.appendingPathComponent("Tests/SluiceExportTests/Fixtures/outbox").path
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-fuzz-\(getpid())-search.sqlite").path
        try? FileManager.default.removeItem(atPath: path)
        do {
            _ = try Exporter(outbox: outbox).export(format: .sqlite, to: path)
            return try SearchIndex(path: path)
        } catch {
            FileHandle.standardError.write(Data("fuzz-query: no search index (\(error)); checking the expression only\n".utf8))
            return nil
        }
    }()

    /// `"term" "term" *...`: strings separated by one space, each optionally followed by ` *`, with
    /// quotes inside doubled, and no NUL (which would end the SQL text).
    static func wellFormed(_ expression: String) -> Bool {
        let s = Array(expression.unicodeScalars)
        var i = 0
        while i < s.count {
            guard s[i] == "\"" else { return false }
            i += 1
            var closed = false
            while i < s.count {
                if s[i] == "\u{0}" { return false }
                if s[i] == "\"" {
                    if i + 1 < s.count, s[i + 1] == "\"" {
                        i += 2
                        continue
                    }
                    i += 1
                    closed = true
                    break
                }
                i += 1
            }
            guard closed else { return false }
            if i + 1 < s.count, s[i] == " ", s[i + 1] == "*" { i += 2 }
            if i == s.count { return true }
            guard s[i] == " ", i + 1 < s.count else { return false }
            i += 1
        }
        return false
    }
}

/// The MIME parser: its structure stays within the limits, and the e-mail document reader
/// (through the parser) gives a checked record or a reason.
public enum MIMEHarness {
    public static let limits = MIMELimits()

    public static func run(_ data: [UInt8]) {
        do {
            let message = try MIMEParser.parse(data, limits: limits)
            var parts = 0
            func walk(_ part: MIMEPart, depth: Int) {
                parts += 1
                require(depth <= limits.maxDepth + 1, "multipart nested \(depth) deep, over the limit")
                require(part.headers.count <= limits.maxHeaders, "a part with \(part.headers.count) header lines, over the limit")
                _ = part.decodedBody
                _ = part.filename
                part.parts.forEach { walk($0, depth: depth + 1) }
            }
            walk(message, depth: 0)
            require(parts <= limits.maxParts + 1, "\(parts) parts, over the limit")
        } catch let error as SluiceError {
            Check.error(error, what: "MIME")
        } catch {
            require(false, "the MIME parser threw something other than a SluiceError: \(error)")
        }
        if MIMEParser.looksLikeMessage(name: "message.eml", head: data.prefix(4096)) {
            ParseHarness.parse(data, name: "message.eml")
        }
    }
}
