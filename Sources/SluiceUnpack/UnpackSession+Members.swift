import SluiceCore
import SluiceMail

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
            case .email:
                // The message is a document (its headers and text) and a container of attachments.
                let data = try collect(head: head, stream: stream, path: path, sizeHint: sizeHint)
                try emit(.document(Member(release: release, path: path, data: data)))
                try openAttachments(of: data, path: path, depth: depth + 1)
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
            case .xml, .html, .pdf, .email, .other:
                throw SluiceError(.internal, "openArchive called for a \(kind) member")
            }
        } catch let error as SluiceError {
            try fail(archivePath, error)
        }
    }

    /// An e-mail's attachments (and forwarded messages) as members under it,
    /// `message.eml!/report.pdf`, one nesting level deeper, each processed like any member.
    func openAttachments(of data: [UInt8], path: String, depth: Int) throws {
        let message: MIMEPart
        do {
            message = try MIMEParser.parse(data, limits: budgets.mime)
        } catch let error as SluiceError {
            try countEntry(path: path + "!/")
            try fail(path + "!/", error)
            return
        }
        let attachments = message.leaves.filter { $0.isAttachment || $0.contentType == "message/rfc822" }
        guard !attachments.isEmpty else { return }
        if let refusal = admitNestedArchive(depth: depth) {
            try countEntry(path: path + "!/")
            try fail(path + "!/", refusal)
            return
        }
        var names = Set<String>()
        for (index, part) in attachments.enumerated() {
            let name = UnpackSession.attachmentName(part, index: index, taken: &names)
            let memberPath = path + "!/" + name
            try countEntry(path: memberPath)
            guard index < budgets.maxAttachments else {
                try fail(memberPath, SluiceError(.tooLarge,
                    "the message has more than \(budgets.maxAttachments) attachments (unpack.max_attachments); not read"))
                continue
            }
            guard try admit(path: memberPath, name: name) else { continue }
            let bytes = part.decodedBody
            _ = try processMember(path: memberPath, name: name, stream: WindowStream(MemorySource(bytes)), depth: depth,
                                  sizeHint: Int64(bytes.count))
        }
    }

    /// An attachment's member name: its file name without any folder part, else
    /// `attachment-N` (`forwarded-N.eml` for a forwarded message), made unique in the message.
    static func attachmentName(_ part: MIMEPart, index: Int, taken: inout Set<String>) -> String {
        var name = part.filename.map { String($0.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "") } ?? ""
        if name.isEmpty || name == "." || name == ".." {
            name = part.contentType == "message/rfc822" ? "forwarded-\(index + 1).eml" : "attachment-\(index + 1)"
        }
        var unique = name
        var copy = 2
        while taken.contains(unique) {
            unique = "\(copy)-\(name)"
            copy += 1
        }
        taken.insert(unique)
        return unique
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
        if kind == .other, MIMEParser.looksLikeMessage(name: name, head: head) { kind = .email }
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
