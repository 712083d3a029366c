import SluiceCore

/// One 512-byte tar header block: ustar, GNU and old v7 layouts.
struct TarHeader {
    let block: [UInt8]

    init(_ block: [UInt8]) {
        self.block = block
    }

    var isZero: Bool { block.allSatisfy { $0 == 0 } }
    var typeFlag: UInt8 { block[156] }
    /// POSIX ustar ("ustar\0"): only then is the prefix field a path prefix (GNU uses it for times).
    var isPOSIX: Bool { Array(block[257..<263]) == Array("ustar\u{0}".utf8) }
    /// GNU sparse: more sparse-map blocks follow the header.
    var hasSparseExtension: Bool { block[482] != 0 }

    /// The name from the name and (POSIX) prefix fields, before pax/GNU overrides.
    var nameBytes: [UInt8] {
        let name = TarHeader.field(block, 0, 100)
        guard isPOSIX else { return name }
        let prefix = TarHeader.field(block, 345, 155)
        return prefix.isEmpty ? name : prefix + [0x2F] + name
    }

    var linkBytes: [UInt8] { TarHeader.field(block, 157, 100) }

    func size() throws -> Int64 {
        try TarHeader.number(block, 124, 12, what: "size")
    }

    /// Whether the stored checksum matches (unsigned or, for old tars, signed sum).
    var checksumIsValid: Bool {
        guard let stored = try? TarHeader.number(block, 148, 8, what: "checksum") else { return false }
        var unsigned: Int64 = 0
        var signed: Int64 = 0
        for (index, byte) in block.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : byte
            unsigned += Int64(value)
            signed += Int64(Int8(bitPattern: value))
        }
        return stored == unsigned || stored == signed
    }

    /// Whether `head` starts with a valid tar header (for tars without the ustar magic).
    static func looksLikeTar(_ head: [UInt8]) -> Bool {
        guard head.count >= 512 else { return false }
        let header = TarHeader(Array(head[0..<512]))
        return !header.isZero && header.checksumIsValid
    }

    /// A NUL-terminated field.
    static func field(_ block: [UInt8], _ offset: Int, _ length: Int) -> [UInt8] {
        let slice = block[offset..<(offset + length)]
        return Array(slice.prefix { $0 != 0 })
    }

    /// An octal field, or GNU base-256 when the high bit of the first byte is set.
    static func number(_ block: [UInt8], _ offset: Int, _ length: Int, what: String) throws -> Int64 {
        let bytes = block[offset..<(offset + length)]
        if let first = bytes.first, first & 0x80 != 0 {
            // Seven payload bytes (56 bits) hold any real size; more is refused.
            let payload = Array(bytes.dropFirst())
            guard first == 0x80, payload.dropLast(min(7, payload.count)).allSatisfy({ $0 == 0 }) else {
                throw SluiceError(.corrupt, "tar header \(what) field is a negative or oversized base-256 number")
            }
            return payload.suffix(7).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
        }
        var value: Int64 = 0
        var started = false
        for byte in bytes {
            if byte == 0x20 || byte == 0 {
                if started { break }
                continue
            }
            guard (0x30...0x37).contains(byte), value < (Int64.max >> 3) else {
                throw SluiceError(.corrupt, "tar header \(what) field is not an octal number")
            }
            value = value << 3 | Int64(byte - 0x30)
            started = true
        }
        return value
    }

    /// pax extended-header records ("%d key=value\n"), value bytes kept raw.
    static func paxRecords(_ data: [UInt8]) throws -> [String: [UInt8]] {
        var records: [String: [UInt8]] = [:]
        var at = 0
        while at < data.count {
            if data[at] == 0 { break }
            guard let space = data[at...].firstIndex(of: 0x20),
                let length = Int(String(decoding: data[at..<space], as: UTF8.self)),
                length > space - at, length <= data.count - at,
                let equals = data[(space + 1)..<(at + length)].firstIndex(of: 0x3D)
            else {
                throw SluiceError(.corrupt, "pax extended header has a malformed record at offset \(at)")
            }
            let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
            var valueEnd = at + length
            if valueEnd > equals + 1, data[valueEnd - 1] == 0x0A { valueEnd -= 1 }
            records[key] = Array(data[(equals + 1)..<valueEnd])
            at += length
        }
        return records
    }
}
