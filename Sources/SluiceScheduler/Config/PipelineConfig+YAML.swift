import SluiceCore
import SluiceLedger

extension PipelineConfig {
    /// Every setting a pipeline file can hold, defaults filled in, as pipeline YAML that reads
    /// back to the same configuration (what `sluice pipeline show` prints).
    public var yaml: String {
        func stage(_ name: String, _ s: StageSettings) -> String {
            "  \(name): { workers: \(s.workers), queue: \(s.queue), timeout: \(Self.number(s.timeout)), attempts: \(s.attempts) }"
        }
        let extractors = [("agencies", extract.agencies), ("dates", extract.dates), ("programs", extract.programs),
                          ("counts", extract.counts), ("formats", formats)].filter(\.1).map(\.0)
        let lines = [
            "name: \(Self.quoted(name))",
            "",
            "stages:",
            stage("unpack", unpackStage), stage("parse", parseStage), stage("extract", extractStage), stage("write", writeStage),
            "",
            "unpack:",
            "  max_total_bytes: \(Self.size(unpack.maxTotalBytes))",
            "  max_member_bytes: \(Self.size(unpack.maxMemberBytes))",
            "  max_ratio: \(Self.number(unpack.maxRatio))",
            "  max_entries: \(unpack.maxEntries)",
            "  max_depth: \(unpack.maxDepth)",
            "  max_attachments: \(unpack.maxAttachments)",
            "  max_mime_depth: \(unpack.mime.maxDepth)",
            "  max_mime_parts: \(unpack.mime.maxParts)",
            "",
            "parse:",
            "  max_document_bytes: \(Self.size(Int64(parse.maxDocumentBytes)))",
            "  max_text_chars: \(parse.maxTextCharacters)",
            "  max_depth: \(parse.maxDepth)",
            "  max_attributes_per_element: \(parse.maxAttributesPerElement)",
            "  isolation: \(isolation.mode.rawValue)",
            "  memory_limit: \(Self.size(isolation.memoryBytes))",
            "  cpu_limit: \(isolation.cpuSeconds)",
            "  pdf: { ocr: \(parse.pdf.ocr), ocr_dpi: \(parse.pdf.ocrDPI), max_pages: \(parse.pdf.maxPages), "
                + "seconds_per_page: \(Self.number(parse.pdf.secondsPerPage)), memory_limit: \(Self.size(Int64(parse.pdf.memoryBytes))) }",
            "",
            "extract:",
            "  extractors: [\(extractors.joined(separator: ", "))]",
            "  gazetteers: [\(extract.userGazetteers.map(Self.quoted).joined(separator: ", "))]",
            "",
            "output:",
            "  include_text: \(output.includeText)",
            "  max_text_chars: \(output.maxTextCharacters.map(String.init) ?? "null")",
            "  postgres: \(output.postgres.map { Self.quoted(LedgerLocation.redacted($0)) } ?? "null")",
            "",
            "ledger:",
            "  path: \(Self.quoted(ledgerPath))",
            // Without its password: a pipeline shown is often pasted into a ticket.
            "  url: \(ledgerURL.map { Self.quoted(LedgerLocation.redacted($0)) } ?? "null")",
            "  lease_seconds: \(Self.number(leaseSeconds))",
            "  retry_seconds: \(Self.number(ledgerRetrySeconds))",
            "  shard_members: \(shardMembers.map(String.init) ?? "null")",
            "  shard_bytes: \(shardBytes.map(Self.size) ?? "null")",
            "",
            "logging:",
            "  format: \(logFormat)",
            "  quiet: \(quiet)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A string as a double-quoted scalar (JSON's escapes are YAML's).
    static func quoted(_ text: String) -> String { JSONValue.string(text).serialized() }

    /// A whole number without a decimal point; anything else as Swift prints it.
    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// Bytes in the largest unit that divides them exactly (the units pipeline files take).
    static func size(_ bytes: Int64) -> String {
        for (unit, shift) in [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)] where bytes > 0 && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return String(bytes)
    }
}
