import SluiceCore

/// Member names are data, never file-system paths. These checks decide which
/// names are refused (with the code the ledger records) and how stored name
/// bytes become text.
enum MemberName {
    /// Why a name is refused, or nil when it is acceptable as a key.
    static func problem(_ name: String) -> SluiceError? {
        if name.isEmpty {
            return SluiceError(.badName, "member has an empty name")
        }
        if let scalar = name.unicodeScalars.first(where: isControl) {
            let shown = scalar.value == 0 ? "NUL" : "U+" + hex4(scalar.value)
            return SluiceError(.badName, "member name holds the control character \(shown)")
        }
        if name.hasPrefix("/") || name.hasPrefix("\\") {
            return SluiceError(.traversal, "member name is an absolute path")
        }
        let scalars = Array(name.unicodeScalars.prefix(2))
        if scalars.count == 2, scalars[1] == ":", scalars[0].isASCII, scalars[0].properties.isAlphabetic {
            return SluiceError(.traversal, "member name starts with a drive letter")
        }
        let parts = name.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }
        if parts.contains(where: { $0 == ".." }) {
            return SluiceError(.traversal, "member name climbs out of the archive with '..'")
        }
        return nil
    }

    /// Mac resource forks and Finder metadata (`__MACOSX/`, `._name`).
    static func isResourceFork(_ name: String) -> Bool {
        let parts = name.split(separator: "/")
        if parts.contains("__MACOSX") { return true }
        return parts.last?.hasPrefix("._") ?? false
    }

    /// The directories a path lies under (`a/b/c.xml` gives `a`, `a/b`).
    static func ancestors(_ path: String) -> [String] {
        var result: [String] = []
        var index = path.startIndex
        while let slash = path[index...].firstIndex(of: "/") {
            if slash > path.startIndex { result.append(String(path[..<slash])) }
            index = path.index(after: slash)
        }
        return result
    }

    /// The name of `name`'s last path component.
    static func lastComponent(_ name: String) -> String {
        let trimmed = name.hasSuffix("/") ? String(name.dropLast()) : name
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// The member a bare gzip file holds: its name without `.gz` (`doc.xml.gz` -> `doc.xml`).
    static func gunzippedName(_ name: String) -> String {
        let base = lastComponent(name)
        let lower = base.lowercased()
        for suffix in [".gz", ".gzip", "-gz", "_gz", ".z"] where lower.hasSuffix(suffix) && base.count > suffix.count {
            return String(base.dropLast(suffix.count))
        }
        if lower.hasSuffix(".tgz") { return String(base.dropLast(4)) + ".tar" }
        return base + ".out"
    }

    /// Name bytes as text: UTF-8 when they are valid UTF-8, else ISO-8859-1, so
    /// no byte is ever lost or replaced (tar, pax and gzip names).
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }

    /// A zip name: UTF-8 when flag bit 11 says so, otherwise IBM code page 437
    /// (APPNOTE appendix D), which is what DOS and Windows tools wrote.
    static func decodeZip(_ bytes: [UInt8], utf8Flag: Bool) -> String {
        if utf8Flag, let text = String(validating: bytes, as: UTF8.self) { return text }
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte < 0x80 {
                scalars.append(Unicode.Scalar(byte))
            } else {
                scalars.append(Unicode.Scalar(cp437High[Int(byte) - 0x80]) ?? "\u{FFFD}")
            }
        }
        return String(scalars)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// CP437 code points for bytes 0x80...0xFF.
    private static let cp437High: [UInt32] = [
        0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
        0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
        0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
        0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
        0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
        0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
        0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248, 0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
    ]
}

/// Byte figures for messages ("256 MiB", "1.5 GiB", "312 bytes").
enum ByteCount {
    static func text(_ bytes: Int64) -> String {
        let units: [(Int64, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, unit) in units where bytes >= size {
            let tenths = (bytes * 10 + size / 2) / size
            return tenths % 10 == 0 ? "\(tenths / 10) \(unit)" : "\(tenths / 10).\(tenths % 10) \(unit)"
        }
        return "\(bytes) bytes"
    }

    static func ratio(_ produced: Int64, _ consumed: Int64) -> String {
        "\(produced / max(consumed, 1)):1"
    }
}
