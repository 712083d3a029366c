import Foundation
import SluiceCore
import SluiceUnpack
import Testing

/// One event as the tests look at it.
struct Recorded: Equatable, CustomStringConvertible {
    enum Kind: String { case document, skipped, failed }
    var kind: Kind
    var path: String
    var code: String?
    var message: String?
    var data: [UInt8]?

    var description: String {
        "\(kind) \(path.debugDescription) \(code ?? "") \(message ?? "")"
    }
}

/// Runs the unpacker over one file and keeps every event.
func unpackAll(_ path: String, release: String? = nil, budgets: UnpackBudgets = UnpackBudgets()) throws -> [Recorded] {
    var events: [Recorded] = []
    let name = release ?? URL(fileURLWithPath: path).lastPathComponent
    try Unpacker(budgets: budgets).unpack(path: path, release: name) { events.append(Recorded($0)) }
    return events
}

extension Recorded {
    init(_ event: UnpackEvent) {
        switch event {
        case .document(let member):
            self.init(kind: .document, path: member.path, data: member.data)
        case .skipped(let path, let reason):
            self.init(kind: .skipped, path: path, code: reason.code.rawValue, message: reason.message)
        case .failed(let path, let error):
            self.init(kind: .failed, path: path, code: error.code.rawValue, message: error.message)
        }
    }
}

/// Paths of this target's fixtures (the corpus copies are `Fixtures` from SluiceTestSupport).
enum Paths {
    static func fixture(_ name: String) throws -> String {
        let base = try #require(Bundle.module.resourceURL, "test bundle has no resources")
        let url = base.appendingPathComponent("Fixtures").appendingPathComponent(name)
        #expect(FileManager.default.fileExists(atPath: url.path), "missing fixture \(name)")
        return url.path
    }
}

/// Table-driven CRC-32 (zip/gzip polynomial), written here so the tests check
/// the unpacker's bytes without trusting its own zlib path.
enum TestCRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// A minimal, independent central-directory lister for the real (classic,
/// non-Zip64) FOIA.gov zips: name, size and CRC of every entry.
struct TestZipListing {
    struct Entry {
        var name: String
        var crc: UInt32
        var size: Int
    }

    var entries: [Entry] = []

    init(_ bytes: [UInt8]) throws {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        let signature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        let candidates = (0...(bytes.count - 22)).reversed()
        let found = candidates.first { (at: Int) -> Bool in bytes[at..<(at + 4)].elementsEqual(signature) }
        let end = try #require(found, "no end of central directory")
        let count = u16(end + 10)
        var at = u32(end + 16)
        for _ in 0..<count {
            try #require(u32(at) == 0x0201_4B50, "bad central directory signature")
            let nameLength = u16(at + 28)
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            entries.append(Entry(name: name, crc: UInt32(u32(at + 16)), size: u32(at + 24)))
            at += 46 + nameLength + u16(at + 30) + u16(at + 32)
        }
    }
}
