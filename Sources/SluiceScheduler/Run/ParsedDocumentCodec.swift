import SluiceCore

/// A compact binary form of parse output for the work area: length-prefixed
/// UTF-8 strings, no reflection, fast to write on the hot path.
enum ParsedDocumentCodec {
    private static let magic: [UInt8] = Array("SLP1".utf8)

    static func encode(_ documents: [ParsedDocument]) -> [UInt8] {
        var w = Writer(capacity: documents.reduce(64) { $0 + 2 * $1.text.utf8.count + 32 * $1.fields.count })
        defer { w.release() }
        for byte in magic { w.byte(byte) }
        w.int(documents.count)
        for d in documents {
            w.optional(d.part)
            w.string(d.mediaType.rawValue)
            w.string(d.encoding)
            w.optional(d.title)
            w.string(d.text)
            w.bool(d.root != nil)
            if let root = d.root { w.name(root) }
            w.int(d.fields.count)
            for f in d.fields {
                w.name(f.name)
                w.int(f.depth)
                w.int(f.attributes.count)
                for a in f.attributes {
                    w.string(a.name)
                    w.string(a.value)
                }
                w.string(f.text)
            }
            let keys = d.meta.keys.sorted()
            w.int(keys.count)
            for k in keys {
                w.string(k)
                w.string(d.meta[k] ?? "")
            }
        }
        return w.bytes()
    }

    /// nil when the bytes are not a well-formed encoding (a torn or foreign file).
    static func decode(_ bytes: [UInt8]) -> [ParsedDocument]? {
        var r = Reader(bytes: bytes)
        guard bytes.starts(with: magic) else { return nil }
        r.offset = magic.count
        guard let count = r.int() else { return nil }
        var documents: [ParsedDocument] = []
        for _ in 0..<count {
            guard let part = r.optional(), let mediaRaw = r.string(), let media = ParsedDocument.MediaType(rawValue: mediaRaw),
                  let encoding = r.string(), let title = r.optional(), let text = r.string(), let hasRoot = r.bool()
            else { return nil }
            var root: XMLName?
            if hasRoot {
                guard let name = r.name() else { return nil }
                root = name
            }
            guard let fieldCount = r.int() else { return nil }
            var fields: [XMLField] = []
            fields.reserveCapacity(fieldCount)
            for _ in 0..<fieldCount {
                guard let name = r.name(), let depth = r.int(), let attributeCount = r.int() else { return nil }
                var attributes: [(name: String, value: String)] = []
                for _ in 0..<attributeCount {
                    guard let n = r.string(), let v = r.string() else { return nil }
                    attributes.append((name: n, value: v))
                }
                guard let fieldText = r.string() else { return nil }
                fields.append(XMLField(name: name, depth: depth, attributes: attributes, text: fieldText))
            }
            guard let metaCount = r.int() else { return nil }
            var meta: [String: String] = [:]
            for _ in 0..<metaCount {
                guard let k = r.string(), let v = r.string() else { return nil }
                meta[k] = v
            }
            documents.append(ParsedDocument(part: part ?? nil, mediaType: media, encoding: encoding, title: title ?? nil,
                                            text: text, root: root, fields: fields, meta: meta))
        }
        return documents
    }

    /// Appends into raw memory it grows itself: an Array append per field, name and attribute
    /// (uniqueness and capacity checks each time) made encoding 7% of a run's CPU.
    private struct Writer {
        private var base: UnsafeMutableRawPointer
        private var capacity: Int
        private var count = 0

        init(capacity: Int) {
            self.capacity = max(64, capacity)
            base = .allocate(byteCount: self.capacity, alignment: 1)
        }

        func bytes() -> [UInt8] { Array(UnsafeRawBufferPointer(start: base, count: count)) }

        func release() { base.deallocate() }

        private mutating func reserve(_ n: Int) {
            guard count + n > capacity else { return }
            var grown = capacity * 2
            while count + n > grown { grown *= 2 }
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 1)
            bigger.copyMemory(from: base, byteCount: count)
            base.deallocate()
            base = bigger
            capacity = grown
        }

        mutating func byte(_ value: UInt8) {
            reserve(1)
            base.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
            count += 1
        }

        /// Unsigned LEB128 (negative values are written as 0).
        mutating func int(_ value: Int) {
            reserve(10)
            var v = UInt64(max(0, value))
            while v >= 0x80 {
                base.storeBytes(of: UInt8(v & 0x7F) | 0x80, toByteOffset: count, as: UInt8.self)
                count += 1
                v >>= 7
            }
            base.storeBytes(of: UInt8(v), toByteOffset: count, as: UInt8.self)
            count += 1
        }

        mutating func bool(_ value: Bool) { byte(value ? 1 : 0) }

        mutating func string(_ s: String) {
            var s = s
            s.withUTF8 { utf8 in
                int(utf8.count)
                guard let source = utf8.baseAddress, utf8.count > 0 else { return }
                reserve(utf8.count)
                (base + count).copyMemory(from: source, byteCount: utf8.count)
                count += utf8.count
            }
        }

        mutating func optional(_ s: String?) {
            bool(s != nil)
            if let s { string(s) }
        }

        mutating func name(_ n: XMLName) {
            optional(n.namespace)
            string(n.local)
            optional(n.prefix)
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func int() -> Int? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 64 {
                let b = bytes[offset]
                offset += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value <= UInt64(Int.max) ? Int(value) : nil }
                shift += 7
            }
            return nil
        }

        mutating func bool() -> Bool? {
            guard offset < bytes.count else { return nil }
            offset += 1
            return bytes[offset - 1] != 0
        }

        mutating func string() -> String? {
            guard let n = int(), n <= bytes.count - offset else { return nil }
            defer { offset += n }
            return String(decoding: bytes[offset..<offset + n], as: UTF8.self)
        }

        /// Outer nil: malformed; inner nil: absent.
        mutating func optional() -> String?? {
            guard let present = bool() else { return nil }
            if !present { return .some(nil) }
            guard let s = string() else { return nil }
            return .some(s)
        }

        mutating func name() -> XMLName? {
            guard let ns = optional(), let local = string(), let prefix = optional() else { return nil }
            return XMLName(namespace: ns, local: local, prefix: prefix)
        }
    }
}
