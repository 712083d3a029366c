import SluiceCore

/// Reads a tar archive front to back from a stream (a file window, or an
/// inflating gzip stream for `.tar.gz`): ustar, pax extended headers (long
/// and UTF-8 names) and GNU long names. Only regular files become members;
/// links, devices and sparse files are refused without touching their data.
struct TarReader {
    let session: UnpackSession
    let stream: any ByteStream
    let archivePath: String
    let prefix: String
    let depth: Int

    /// Metadata blocks (pax, GNU long name) larger than this are refused.
    static let maxMetadataBytes: Int64 = 1 << 20

    func run() throws {
        var longName: [UInt8]?
        var longLink: [UInt8]?
        var pax: [String: [UInt8]] = [:]
        var entryCount = 0
        var folderCount = 0
        while true {
            let block = try stream.readBytes(512)
            if block.isEmpty { break }
            guard block.count == 512 else {
                throw SluiceError(.corrupt, "the archive ends inside a header after \(entryCount) entries (truncated)")
            }
            let header = TarHeader(block)
            if header.isZero { break }
            guard header.checksumIsValid else {
                throw SluiceError(.corrupt, "header \(entryCount + 1) has a bad checksum (corrupt or truncated archive); later entries were not read")
            }
            var size = try header.size()
            switch header.typeFlag {
            case UInt8(ascii: "L"):
                longName = try readMetadata(size)
                continue
            case UInt8(ascii: "K"):
                longLink = try readMetadata(size)
                continue
            case UInt8(ascii: "x"):
                pax = try TarHeader.paxRecords(try readMetadata(size))
                continue
            case UInt8(ascii: "g"):
                _ = try readMetadata(size)
                continue
            default:
                break
            }
            entryCount += 1
            let nameBytes = pax["path"] ?? longName.map(trimNULs) ?? header.nameBytes
            let linkBytes = pax["linkpath"] ?? longLink.map(trimNULs) ?? header.linkBytes
            let isPaxSparse = pax.keys.contains { $0.hasPrefix("GNU.sparse.") }
            if let paxSize = pax["size"].flatMap({ Int64(String(decoding: $0, as: UTF8.self)) }), paxSize >= 0 {
                size = paxSize
            }
            longName = nil
            longLink = nil
            pax = [:]
            let name = MemberName.decode(nameBytes)
            let path = prefix + name
            try session.countEntry(path: path)
            if TarReader.isFolder(header.typeFlag, name: name, size: size) { folderCount += 1 }
            try entry(header, name: name, path: path, link: MemberName.decode(linkBytes), size: size, paxSparse: isPaxSparse)
        }
        if entryCount == 0 {
            try session.skip(archivePath, SluiceError(.empty, "the archive holds no members"))
        } else if folderCount == entryCount {
            // Folders alone give no event of their own: say why nothing came out of the archive.
            try session.skip(archivePath, SluiceError(.empty, "the archive holds only folders (\(folderCount)), no files"))
        }
    }

    /// A folder entry (or a volume label): no data to read and no event of its own.
    static func isFolder(_ type: UInt8, name: String, size: Int64) -> Bool {
        type == UInt8(ascii: "5") || type == UInt8(ascii: "V") || (name.hasSuffix("/") && size == 0)
    }

    /// One entry after its name is known: decides, reads or skips its data and the padding.
    private func entry(_ header: TarHeader, name: String, path: String, link: String, size: Int64, paxSparse: Bool) throws {
        let type = header.typeFlag
        if TarReader.isFolder(type, name: name, size: size) {
            try skipData(size, path: path)
            return
        }
        guard try session.admit(path: path, name: name) else {
            try skipData(size, path: path)
            return
        }
        switch type {
        case UInt8(ascii: "1"), UInt8(ascii: "2"):
            session.noteLink(path: path)
            let kind = type == UInt8(ascii: "1") ? "hard link" : "symbolic link"
            try session.fail(path, SluiceError(.link, "\(kind) to '\(link)'; links are never followed"))
            try skipData(size, path: path)
        case UInt8(ascii: "3"), UInt8(ascii: "4"), UInt8(ascii: "6"):
            let kind = type == UInt8(ascii: "6") ? "FIFO" : type == UInt8(ascii: "3") ? "character device" : "block device"
            try session.fail(path, SluiceError(.device, "\(kind) entry; never created or opened"))
            try skipData(size, path: path)
        case UInt8(ascii: "S"):
            try session.fail(path, SluiceError(.unsupported, "GNU sparse member (its holes would expand on extraction); not read"))
            if header.hasSparseExtension { try skipSparseExtensions() }
            try skipData(size, path: path)
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
            if paxSparse {
                try session.fail(path, SluiceError(.unsupported, "pax sparse member (GNU.sparse records); not read"))
                try skipData(size, path: path)
                return
            }
            try regular(path: path, name: name, size: size)
        default:
            try session.fail(path, SluiceError(.unsupported, "tar entry type '\(Unicode.Scalar(type))' is not a regular file; not read"))
            try skipData(size, path: path)
        }
    }

    /// A regular file: the member logic reads what it needs; the rest is skipped
    /// when that is safe, else the archive stops here.
    private func regular(path: String, name: String, size: Int64) throws {
        let member = LimitedStream(stream, limit: size)
        let result = try session.processMember(path: path, name: name, stream: member, depth: depth, sizeHint: size)
        if member.remaining > 0 {
            if case .failed(let error) = result, !stream.canSkipCheaply {
                throw SluiceError(error.code,
                    "stopped reading the compressed tar stream at '\(path)' (\(error.message)); "
                        + "skipping the rest of its data would mean inflating it, so later members, if any, were not read")
            }
            do {
                try session.discard(member.remaining, from: member, path: path, alreadyRead: size - member.remaining)
            } catch let error as SluiceError {
                throw SluiceError(error.code, "stopped reading the tar stream while skipping '\(path)': \(error.message)")
            }
            guard member.remaining == 0 else {
                throw SluiceError(.corrupt, "the archive ends inside the data of '\(path)' (truncated)")
            }
        }
        try skipPadding(size)
    }

    private func skipData(_ size: Int64, path: String) throws {
        let member = LimitedStream(stream, limit: size)
        do {
            try session.discard(size, from: member, path: path, alreadyRead: 0)
        } catch let error as SluiceError {
            throw SluiceError(error.code, "stopped reading the tar stream while skipping '\(path)': \(error.message)")
        }
        guard member.remaining == 0 else {
            throw SluiceError(.corrupt, "the archive ends inside the data of '\(path)' (truncated)")
        }
        try skipPadding(size)
    }

    private func skipPadding(_ size: Int64) throws {
        let padding = (512 - size % 512) % 512
        if padding > 0 { _ = try stream.skip(padding) }
    }

    /// GNU sparse maps that did not fit in the header: 512-byte blocks, each
    /// saying (byte 504) whether another follows.
    private func skipSparseExtensions() throws {
        for _ in 0..<4096 {
            let block = try stream.readBytes(512)
            guard block.count == 512 else {
                throw SluiceError(.corrupt, "the archive ends inside a sparse map (truncated)")
            }
            if block[504] == 0 { return }
        }
        throw SluiceError(.corrupt, "a sparse map runs on for more than 4096 blocks")
    }

    /// A pax or GNU long-name block's data (bounded), padding skipped.
    private func readMetadata(_ size: Int64) throws -> [UInt8] {
        guard size <= TarReader.maxMetadataBytes else {
            throw SluiceError(.corrupt, "a tar metadata block claims \(ByteCount.text(size)), past the \(ByteCount.text(TarReader.maxMetadataBytes)) limit")
        }
        let data = try stream.readBytes(Int(size))
        guard data.count == Int(size) else {
            throw SluiceError(.corrupt, "the archive ends inside a metadata block (truncated)")
        }
        try session.accountMetadata(data.count, path: archivePath)
        try skipPadding(size)
        return data
    }

    private func trimNULs(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        while bytes.last == 0 { bytes.removeLast() }
        return bytes
    }
}
