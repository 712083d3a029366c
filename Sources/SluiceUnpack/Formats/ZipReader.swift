import SluiceCore

/// Reads a zip through random access: the central directory says what the
/// members are, each local header only says where its data starts. Members are
/// inflated one at a time from their own window of the source.
struct ZipReader {
    let session: UnpackSession
    let source: any RandomAccessSource
    /// The archive's own path, for archive-level events.
    let archivePath: String
    /// What member paths start with ("" for the release, "a.zip!/" nested).
    let prefix: String
    /// Nesting depth of this archive (the release is 0).
    let depth: Int

    func run() throws {
        // A shard reads a range of the release's own central directory; nested zips are read whole.
        let range = depth == 0 && prefix.isEmpty ? session.entryRange : nil
        guard let endOffset = try ZipDirectory.locateEnd(in: source) else {
            // No central directory (changed since it was cut into shards): the first shard reads what is left.
            if range.map({ $0.lowerBound == 0 }) ?? true { try scanLocalHeaders() }
            return
        }
        let directory = try ZipDirectory.read(from: source, endOffset: endOffset, entryLimit: session.budgets.maxEntries)
        let entries = directory.entries
        let indices = range?.clamped(to: entries.indices) ?? entries.indices
        if entries.isEmpty {
            if indices.lowerBound == 0 { try session.skip(archivePath, SluiceError(.empty, "the archive holds no members")) }
            return
        }
        // Every local header is read, the range's or not: overlaps are judged over the whole archive.
        let layout = locate(directory)
        for entry in entries[..<indices.lowerBound] {
            session.recall(path: prefix + entry.name, name: entry.name, isDirectory: entry.isDirectory,
                           isLink: entry.fileType == 0o120000)
        }
        for index in indices {
            try process(entries[index], placement: layout[index])
        }
        // Folders alone give no event of their own: say why nothing came out of the archive (the last shard says it).
        if indices.upperBound == entries.count, entries.allSatisfy(\.isDirectory) {
            try session.skip(archivePath, SluiceError(.empty, "the archive holds only folders (\(entries.count)), no files"))
        }
    }

    /// Where an entry's data is, or why it cannot be read.
    enum Placement {
        case data(offset: Int64)
        case refused(SluiceError)
    }

    /// Reads every local header and refuses entries whose data overlap another
    /// entry's (the overlapping-file bomb reuses one kernel for every entry) or
    /// run into the central directory.
    private func locate(_ directory: ZipDirectory) -> [Placement] {
        var placements: [Placement] = []
        placements.reserveCapacity(directory.entries.count)
        var spans: [(start: Int64, end: Int64, index: Int)] = []
        for (index, entry) in directory.entries.enumerated() {
            do {
                let offset = try dataOffset(localHeaderAt: entry.localOffset)
                // Sizes come from the file (a Zip64 field can say anything up to 2^63 - 1): an
                // end past Int64 is as impossible as one past the central directory.
                let (end, overflow) = offset.addingReportingOverflow(max(0, entry.compressedSize))
                if overflow || end > directory.directoryOffset {
                    placements.append(.refused(SluiceError(.corrupt,
                        "member data (\(entry.compressedSize) bytes at offset \(offset)) runs into the central directory")))
                } else {
                    placements.append(.data(offset: offset))
                    if !entry.isDirectory { spans.append((entry.localOffset, end, index)) }
                }
            } catch let error as SluiceError {
                placements.append(.refused(error))
            } catch {
                placements.append(.refused(SluiceError(.corrupt, "local header unreadable: \(error)")))
            }
        }
        spans.sort { ($0.start, $0.index) < ($1.start, $1.index) }
        var reachEnd: Int64 = -1
        var reachIndex = -1
        for span in spans {
            if span.start < reachEnd {
                let other = directory.entries[reachIndex].name
                let mine = directory.entries[span.index].name
                placements[span.index] = .refused(overlap(with: other))
                placements[reachIndex] = .refused(overlap(with: mine))
            }
            if span.end > reachEnd {
                reachEnd = span.end
                reachIndex = span.index
            }
        }
        return placements
    }

    private func overlap(with other: String) -> SluiceError {
        SluiceError(.bomb, "member data overlaps that of '\(other)' (overlapping-entry zip bomb); not inflated")
    }

    /// The offset of the data after the local header at `offset`.
    private func dataOffset(localHeaderAt offset: Int64) throws -> Int64 {
        let header = LittleEndianFields(bytes: try source.bytes(at: offset, count: 30), what: "local header")
        guard try header.u32(0) == 0x0403_4B50 else {
            throw SluiceError(.corrupt, "no local header at offset \(offset), where the central directory puts one")
        }
        return offset + 30 + Int64(try header.u16(26)) + Int64(try header.u16(28))
    }

    /// One entry: refusals first (no data touched), then its bytes through
    /// inflate and the CRC check into the member logic.
    private func process(_ entry: ZipEntry, placement: Placement) throws {
        let path = prefix + entry.name
        try session.countEntry(path: path)
        if entry.isDirectory { return }
        guard try session.admit(path: path, name: entry.name) else { return }
        switch entry.fileType {
        case 0o120000:
            session.noteLink(path: path)
            try session.fail(path, SluiceError(.link, "symbolic link entry (unix mode \(String(entry.unixMode, radix: 8))); links are never followed"))
            return
        case 0o020000, 0o060000, 0o010000, 0o140000:
            try session.fail(path, SluiceError(.device, "device, FIFO or socket entry (unix mode \(String(entry.unixMode, radix: 8))); never opened"))
            return
        default:
            break
        }
        if entry.isEncrypted || entry.method == 99 {
            try session.fail(path, SluiceError(.encrypted, "member is encrypted; no password is tried"))
            return
        }
        guard entry.method == 0 || entry.method == 8 else {
            try session.fail(path, SluiceError(.unsupported,
                "compression method \(entry.method) is not supported (only stored and deflate); not decoded"))
            return
        }
        let offset: Int64
        switch placement {
        case .refused(let error):
            try session.fail(path, error)
            return
        case .data(let dataOffset):
            offset = dataOffset
        }
        do {
            let window = WindowStream(source, offset: offset, length: entry.compressedSize)
            let data: any ByteStream = entry.method == 8 ? try InflateStream(input: window, format: .raw) : window
            let checked = CheckedStream(data, crc: entry.crc, size: entry.size)
            _ = try session.processMember(path: path, name: entry.name, stream: checked, depth: depth, sizeHint: entry.size)
        } catch let error as SluiceError {
            try session.fail(path, error)
        }
    }

    /// No end record: the archive was cut short. Members whose local headers
    /// give their sizes are still read; the first one the cut reaches fails,
    /// and the archive itself is recorded as corrupt.
    private func scanLocalHeaders() throws {
        var offset: Int64 = 0
        while offset + 30 <= source.size {
            let header = LittleEndianFields(bytes: try source.bytes(at: offset, count: 30), what: "local header")
            guard try header.u32(0) == 0x0403_4B50 else { break }
            let flags = try header.u16(6)
            let nameLength = Int(try header.u16(26))
            let extraLength = Int(try header.u16(28))
            let nameBytes = try source.bytes(at: offset + 30, count: nameLength)
            var entry = ZipEntry(
                name: MemberName.decodeZip(nameBytes, utf8Flag: flags & 0x0800 != 0),
                flags: flags, method: try header.u16(8), crc: try header.u32(14),
                compressedSize: Int64(try header.u32(18)), size: Int64(try header.u32(22)),
                localOffset: offset, madeBy: 0, externalAttributes: 0)
            try ZipDirectory.applyZip64(extra: try source.bytes(at: offset + 30 + Int64(nameLength), count: extraLength), to: &entry)
            let dataOffset = offset + 30 + Int64(nameLength) + Int64(extraLength)
            let path = prefix + entry.name
            if flags & 0x0008 != 0 {
                try session.countEntry(path: path)
                try session.fail(path, SluiceError(.corrupt,
                    "the archive has no central directory and this member's sizes follow its data; its end cannot be found"))
                break
            }
            // A Zip64 extra field can declare any size up to 2^63 - 1: an end past Int64 is cut off too.
            let (dataEnd, overflow) = dataOffset.addingReportingOverflow(entry.compressedSize)
            if overflow || dataEnd > source.size {
                try session.countEntry(path: path)
                try session.fail(path, SluiceError(.corrupt,
                    "member data is cut off by the end of the file (\(entry.compressedSize) bytes declared at offset \(dataOffset), "
                        + "file is \(source.size) bytes)"))
                break
            }
            try process(entry, placement: .data(offset: dataOffset))
            offset = dataEnd
        }
        try session.fail(archivePath, SluiceError(.corrupt,
            "no end-of-central-directory record: the archive is truncated or damaged; members before the damage were read from their local headers"))
    }
}
