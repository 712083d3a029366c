/// Writes a minimal ustar archive, so tests can build releases and change them.
enum TarWriter {
    static func archive(_ files: [(name: String, contents: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        for file in files {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ s: String, at offset: Int, width: Int) {
                for (i, b) in s.utf8.prefix(width).enumerated() { header[offset + i] = b }
            }
            func octal(_ v: Int, width: Int) -> String {
                let digits = String(v, radix: 8)
                return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
            }
            put(file.name, at: 0, width: 100)
            put(octal(0o644, width: 8), at: 100, width: 8)
            put(octal(0, width: 8), at: 108, width: 8)
            put(octal(0, width: 8), at: 116, width: 8)
            put(octal(file.contents.count, width: 12), at: 124, width: 12)
            put(octal(1_700_000_000, width: 12), at: 136, width: 12)
            put("0", at: 156, width: 1)
            put("ustar", at: 257, width: 6)
            put("00", at: 263, width: 2)
            for i in 148..<156 { header[i] = 0x20 }
            let sum = header.reduce(0) { $0 + Int($1) }
            put(octal(sum, width: 7), at: 148, width: 7)
            out += header
            out += file.contents
            out += [UInt8](repeating: 0, count: (512 - file.contents.count % 512) % 512)
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }
}
