import SluiceCore

/// How far a member's data was read, so a tar reader knows whether its stream
/// can go on to the next header.
enum MemberResult {
    /// Read to its end.
    case complete
    /// Deliberately not read (not a document, too deep...): the rest may be skipped.
    case unread
    /// Reading failed part-way (bomb, corrupt): a compressed stream cannot be trusted to skip on.
    case failed(SluiceError)
}

extension UnpackSession {
    /// Decides what one member is and hands it on: a document is materialized
    /// (within budgets) and emitted, a nested archive is read into memory and
    /// opened one level deeper, anything else is skipped with its reason.
    /// `depth` is the nesting depth of the archive holding the member.
    func processMember(path: String, name: String, stream: any ByteStream, depth: Int, sizeHint: Int64?) throws -> MemberResult {
        do {
            let head = try stream.readBytes(UnpackSession.sniffLength)
            if head.isEmpty {
                try skip(path, SluiceError(.empty, "member is empty (0 bytes)"))
                return .complete
            }
            try account(head.count, memberBytes: 0, consumed: stream.consumed, path: path)
            let kind = UnpackSession.kind(name: name, head: head)
            switch kind {
            case .xml, .html, .pdf:
                let data = try collect(head: head, stream: stream, path: path, sizeHint: sizeHint)
                try emit(.document(Member(release: release, path: path, data: data)))
                return .complete
            case .zip, .tar, .gzip:
                if let refusal = admitNestedArchive(depth: depth + 1) {
                    try fail(path, refusal)
                    return .unread
                }
                let data = try collect(head: head, stream: stream, path: path, sizeHint: sizeHint)
                try openArchive(kind, source: MemorySource(data), archivePath: path, prefix: path + "!/", name: name, depth: depth + 1)
                return .complete
            case .other:
                try skip(path, SluiceError(.unsupportedType, "not an XML, HTML or PDF document (judged by content, then name); not parsed"))
                return .unread
            }
        } catch let error as SluiceError {
            try fail(path, error)
            return .failed(error)
        }
    }

    /// Opens an archive of a known kind. Failures of the archive as a whole
    /// (no central directory, bad tar header) become one event on `archivePath`;
    /// members already reported stay reported.
    func openArchive(_ kind: ContentKind, source: any RandomAccessSource, archivePath: String, prefix: String, name: String, depth: Int) throws {
        do {
            switch kind {
            case .zip:
                try ZipReader(session: self, source: source, archivePath: archivePath, prefix: prefix, depth: depth).run()
            case .tar:
                try TarReader(session: self, stream: WindowStream(source), archivePath: archivePath, prefix: prefix, depth: depth).run()
            case .gzip:
                try openGzip(source: source, archivePath: archivePath, prefix: prefix, name: name, depth: depth)
            case .xml, .html, .pdf, .other:
                throw SluiceError(.internal, "openArchive called for a \(kind) member")
            }
        } catch let error as SluiceError {
            try fail(archivePath, error)
        }
    }

    /// A gzip file: one tar archive when its content is tar (`.tar.gz` is not a
    /// nesting level), else an archive of one member named without `.gz`.
    private func openGzip(source: any RandomAccessSource, archivePath: String, prefix: String, name: String, depth: Int) throws {
        let inflated = try InflateStream(input: WindowStream(source), format: .gzip)
        let innerName = MemberName.gunzippedName(name)
        let innerPath = prefix + innerName
        let head: [UInt8]
        do {
            head = try inflated.readBytes(UnpackSession.sniffLength)
        } catch let error as SluiceError {
            try countEntry(path: innerPath)
            try fail(innerPath, error)
            return
        }
        let stream = PrefixedStream(head: head, base: inflated)
        if UnpackSession.kind(name: innerName, head: head) == .tar {
            try TarReader(session: self, stream: stream, archivePath: archivePath, prefix: prefix, depth: depth).run()
            return
        }
        try countEntry(path: innerPath)
        _ = try processMember(path: innerPath, name: innerName, stream: stream, depth: depth, sizeHint: nil)
    }

    /// Enough leading bytes for `ContentSniffer` and a tar header.
    static let sniffLength = 1024

    /// The kind of a member from its first bytes, then its name; a zip that is
    /// really an office document is not an archive to open.
    static func kind(name: String, head: [UInt8]) -> ContentKind {
        var kind = ContentSniffer.kind(name: name, prefix: head)
        if kind == .other, TarHeader.looksLikeTar(head) { kind = .tar }
        if kind == .zip, isOfficeContainer(name: name, head: head) { kind = .other }
        return kind
    }

    /// OOXML, OpenDocument, EPUB and Java archives are zips, but documents of
    /// other types, not releases: known by extension, or by the first member
    /// their formats require (`[Content_Types].xml`, `mimetype`).
    private static func isOfficeContainer(name: String, head: [UInt8]) -> Bool {
        let lower = name.lowercased()
        if let dot = lower.lastIndex(of: "."), officeExtensions.contains(String(lower[lower.index(after: dot)...])) {
            return true
        }
        guard head.count >= 30, head.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return false }
        let nameLength = Int(head[26]) | Int(head[27]) << 8
        guard head.count >= 30 + nameLength else { return false }
        let first = head[30..<(30 + nameLength)]
        return first.elementsEqual("[Content_Types].xml".utf8) || first.elementsEqual("mimetype".utf8)
    }

    private static let officeExtensions: Set<String> = [
        "docx", "docm", "dotx", "dotm", "xlsx", "xlsm", "xlsb", "xltx", "xltm", "xlam", "pptx", "pptm", "potx", "potm",
        "ppsx", "ppsm", "sldx", "thmx", "vsdx", "odt", "ods", "odp", "odg", "odf", "ott", "ots", "otp",
        "epub", "jar", "war", "ear", "apk", "ipa", "xpi",
    ]
}
