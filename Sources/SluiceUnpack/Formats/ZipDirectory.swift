import SluiceCore

/// One member as the central directory describes it (the truth about a zip's
/// members: local headers of streamed zips hold zeros).
struct ZipEntry {
    var name: String
    var flags: UInt16
    var method: UInt16
    var crc: UInt32
    var compressedSize: Int64
    var size: Int64
    var localOffset: Int64
    var madeBy: UInt16
    var externalAttributes: UInt32

    var isEncrypted: Bool { flags & 1 != 0 }
    /// Unix `st_mode` when the creator stored one (high half of the external attributes).
    var unixMode: UInt32 { externalAttributes >> 16 }
    var fileType: UInt32 { unixMode & 0o170000 }
    var isDirectory: Bool {
        name.hasSuffix("/") || fileType == 0o040000 || (fileType == 0 && externalAttributes & 0x10 != 0 && size == 0)
    }
}

/// Where the central directory is and what it holds, from the end records.
struct ZipDirectory {
    var entries: [ZipEntry]
    /// Offset of the central directory: member data must end before it.
    var directoryOffset: Int64

    static let endSignature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]

    /// Finds the end-of-central-directory record; nil when there is none
    /// (a truncated archive).
    static func locateEnd(in source: any RandomAccessSource) throws -> Int64? {
        let tailLength = Int(min(source.size, 22 + 65_535 + 20))
        let tailStart = source.size - Int64(tailLength)
        let tail = try source.bytes(at: tailStart, count: tailLength)
        guard tail.count >= 22 else { return nil }
        var fallback: Int64?
        for index in stride(from: tail.count - 22, through: 0, by: -1)
        where tail[index] == 0x50 && tail[index + 1] == 0x4B && tail[index + 2] == 0x05 && tail[index + 3] == 0x06 {
            let commentLength = Int(tail[index + 20]) | Int(tail[index + 21]) << 8
            if index + 22 + commentLength == tail.count { return tailStart + Int64(index) }
            if index + 22 + commentLength < tail.count, fallback == nil { fallback = tailStart + Int64(index) }
        }
        return fallback
    }

    /// Reads the central directory the end record at `endOffset` points to,
    /// following Zip64 records when the classic fields are saturated.
    static func read(from source: any RandomAccessSource, endOffset: Int64, entryLimit: Int) throws -> ZipDirectory {
        let end = LittleEndianFields(bytes: try source.bytes(at: endOffset, count: 22), what: "end of central directory record")
        var count = Int64(try end.u16(10))
        var size = Int64(try end.u32(12))
        var offset = Int64(try end.u32(16))
        if endOffset >= 20 {
            let locator = LittleEndianFields(bytes: try source.bytes(at: endOffset - 20, count: 20), what: "Zip64 locator")
            if try locator.u32(0) == 0x0706_4B50 {
                let recordOffset = Int64(clamping: try locator.u64(8))
                let record = LittleEndianFields(bytes: try source.bytes(at: recordOffset, count: 56), what: "Zip64 end record")
                guard try record.u32(0) == 0x0606_4B50 else {
                    throw SluiceError(.corrupt, "the Zip64 locator points at \(recordOffset), where there is no Zip64 end record")
                }
                count = Int64(clamping: try record.u64(32))
                size = Int64(clamping: try record.u64(40))
                offset = Int64(clamping: try record.u64(48))
            }
        }
        // Zip64 fields are hostile 64-bit numbers: compare without adding them (no overflow).
        guard offset >= 0, size >= 0, offset <= endOffset, size <= endOffset - offset else {
            throw SluiceError(.corrupt,
                "the central directory (\(size) bytes at offset \(offset)) does not fit before the end record at \(endOffset)")
        }
        guard size <= 256 << 20 else {
            throw SluiceError(.bomb, "the central directory is \(ByteCount.text(size)), past any real archive; not read")
        }
        let table = LittleEndianFields(bytes: try source.bytes(at: offset, count: Int(size)), what: "central directory")
        var entries: [ZipEntry] = []
        entries.reserveCapacity(Int(min(count, Int64(entryLimit) + 1, 100_000)))
        var at = 0
        while at + 4 <= table.bytes.count, entries.count <= entryLimit {
            guard try table.u32(at) == 0x0201_4B50 else {
                throw SluiceError(.corrupt, "central directory entry \(entries.count + 1) has a bad signature at offset \(offset + Int64(at))")
            }
            let nameLength = Int(try table.u16(at + 28))
            let extraLength = Int(try table.u16(at + 30))
            let commentLength = Int(try table.u16(at + 32))
            let flags = try table.u16(at + 8)
            let nameBytes = try table.slice(at + 46, nameLength)
            var entry = ZipEntry(
                name: MemberName.decodeZip(nameBytes, utf8Flag: flags & 0x0800 != 0),
                flags: flags,
                method: try table.u16(at + 10),
                crc: try table.u32(at + 16),
                compressedSize: Int64(try table.u32(at + 20)),
                size: Int64(try table.u32(at + 24)),
                localOffset: Int64(try table.u32(at + 42)),
                madeBy: try table.u16(at + 4),
                externalAttributes: try table.u32(at + 38))
            let extra = try table.slice(at + 46 + nameLength, extraLength)
            try applyZip64(extra: extra, to: &entry)
            if flags & 0x0800 == 0, let unicode = unicodePath(extra: extra, nameBytes: nameBytes) { entry.name = unicode }
            entries.append(entry)
            at += 46 + nameLength + extraLength + commentLength
        }
        return ZipDirectory(entries: entries, directoryOffset: offset)
    }

    /// The Info-ZIP Unicode Path field (0x7075): a UTF-8 name that overrides a
    /// CP437 one, honoured only when its CRC says it belongs to that name.
    static func unicodePath(extra: [UInt8], nameBytes: [UInt8]) -> String? {
        let fields = LittleEndianFields(bytes: extra, what: "extra field")
        var at = 0
        while at + 4 <= extra.count, let tag = try? fields.u16(at), let length = try? fields.u16(at + 2) {
            if tag == 0x7075, length >= 5, let body = try? fields.slice(at + 4, Int(length)), body[0] == 1 {
                let stored = LittleEndianFields(bytes: body, what: "Unicode Path field")
                let crc = nameBytes.withUnsafeBytes { CRC32.update(0, $0) }
                guard (try? stored.u32(1)) == crc else { return nil }
                return String(validating: body[5...], as: UTF8.self)
            }
            at += 4 + Int(length)
        }
        return nil
    }

    /// Replaces saturated sizes and offset with the Zip64 extra field's values
    /// (present, in this order, only for the fields that are 0xFFFFFFFF).
    static func applyZip64(extra: [UInt8], to entry: inout ZipEntry) throws {
        let fields = LittleEndianFields(bytes: extra, what: "extra field")
        var at = 0
        while at + 4 <= extra.count {
            let tag = try fields.u16(at)
            let length = Int(try fields.u16(at + 2))
            if tag == 0x0001 {
                let body = LittleEndianFields(bytes: try fields.slice(at + 4, min(length, extra.count - at - 4)), what: "Zip64 extra field")
                var cursor = 0
                if entry.size == 0xFFFF_FFFF {
                    entry.size = Int64(clamping: try body.u64(cursor))
                    cursor += 8
                }
                if entry.compressedSize == 0xFFFF_FFFF {
                    entry.compressedSize = Int64(clamping: try body.u64(cursor))
                    cursor += 8
                }
                if entry.localOffset == 0xFFFF_FFFF {
                    entry.localOffset = Int64(clamping: try body.u64(cursor))
                }
                return
            }
            at += 4 + length
        }
    }
}
