import Foundation
import SluiceCore
import SluiceUnpack
import Testing

/// Inputs of the shapes the fuzz targets (Fuzz/, issue #12) found; the inputs themselves are
/// kept under Fuzz/regressions/. Each now gets a clear reason instead of a trap or silence.
@Suite struct FuzzRegressionTests {
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(v >> UInt32(8 * $0) & 0xFF) } }
    static func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(v >> UInt64(8 * $0) & 0xFF) } }

    @Test("a zip cut before its central directory whose local header gives Zip64 sizes near 2^63 fails that member as corrupt")
    func zip64LocalHeaderWithoutDirectory() throws {
        let name = Array("big.xml".utf8)
        var extra = Self.le16(1) + Self.le16(16)
        extra += Self.le64(0x7FFF_FFFF_FFFF_FFFF) + Self.le64(0x7FFF_FFFF_FFFF_FFFF)
        var bytes = Self.le32(0x0403_4B50) + Self.le16(45) + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le16(0)
        bytes += Self.le32(0) + Self.le32(0xFFFF_FFFF) + Self.le32(0xFFFF_FFFF) + Self.le16(name.count) + Self.le16(extra.count)
        bytes += name + extra + Array("<doc>cut here".utf8)
        let events = try unpackAll(try CraftedOverflowTests.write(bytes, named: "zip64-local.zip"))
        let member = try #require(events.first { $0.path == "big.xml" }, "\(events)")
        #expect(member.kind == .failed && member.code == SluiceError.Code.corrupt.rawValue, "\(events)")
        #expect(member.message?.contains("cut off") == true, "\(events)")
        #expect(events.contains { $0.path == "zip64-local.zip" && $0.kind == .failed && $0.message?.contains("end-of-central-directory") == true },
                "\(events)")
    }

    @Test("a zip holding only folders is skipped as empty, with that reason")
    func zipOfFoldersOnly() throws {
        let bytes = CraftedOverflowTests.zip([("docs/", []), ("docs/2013/", [])])
        let events = try unpackAll(try CraftedOverflowTests.write(bytes, named: "folders.zip"))
        #expect(events.count == 1, "\(events)")
        let only = try #require(events.first)
        #expect(only.kind == .skipped && only.path == "folders.zip" && only.code == SluiceError.Code.empty.rawValue)
        #expect(only.message?.contains("only folders") == true, "\(events)")
    }

    @Test("a tar holding only folders is skipped as empty, with that reason")
    func tarOfFoldersOnly() throws {
        func folder(_ name: String) -> [UInt8] {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ s: String, at offset: Int) { for (i, b) in s.utf8.enumerated() { header[offset + i] = b } }
            put(name, at: 0)
            put("0000755", at: 100); put("0000000", at: 108); put("0000000", at: 116)
            put("00000000000", at: 124); put("00000000000", at: 136)
            put("5", at: 156); put("ustar", at: 257); put("00", at: 263)
            for i in 148..<156 { header[i] = 0x20 }
            let sum = header.reduce(0) { $0 + Int($1) }
            put(String(format: "%06o", sum) + "\0", at: 148)
            return header
        }
        let tar = folder("docs/") + folder("docs/2013/") + [UInt8](repeating: 0, count: 1024)
        let events = try unpackAll(try CraftedOverflowTests.write(tar, named: "folders.tar"))
        #expect(events.count == 1, "\(events)")
        let only = try #require(events.first)
        #expect(only.kind == .skipped && only.path == "folders.tar" && only.code == SluiceError.Code.empty.rawValue)
        #expect(only.message?.contains("only folders") == true, "\(events)")
    }
}
