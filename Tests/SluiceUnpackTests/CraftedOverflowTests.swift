import Foundation
import SluiceCore
import SluiceUnpack
import Testing

/// Inputs of the shapes the black-box fuzz round found (issue 12): numbers read
/// from the file that overflowed Sluice's arithmetic and trapped the process.
/// Each now gets a clear failure on its item and nothing else is lost.
@Suite struct CraftedOverflowTests {
    /// A stored (method 0) zip of `files`, built byte by byte; `zip64Sizes`
    /// replaces the central-directory sizes of the first entry with a Zip64
    /// extra field holding these values.
    static func zip(_ files: [(String, [UInt8])], zip64Sizes: (UInt64, UInt64)? = nil,
                    zip64End: (offset: UInt64, size: UInt64)? = nil) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func le16(_ v: Int, _ into: inout [UInt8]) { into += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: UInt32, _ into: inout [UInt8]) { for s in stride(from: 0, to: 32, by: 8) { into.append(UInt8(v >> UInt32(s) & 0xFF)) } }
        func le64(_ v: UInt64, _ into: inout [UInt8]) { for s in stride(from: 0, to: 64, by: 8) { into.append(UInt8(v >> UInt64(s) & 0xFF)) } }
        for (index, (name, data)) in files.enumerated() {
            let offset = UInt32(out.count)
            let crc = TestCRC32.checksum(data)
            le32(0x0403_4B50, &out); le16(20, &out); le16(0, &out); le16(0, &out); le16(0, &out); le16(0, &out)
            le32(crc, &out); le32(UInt32(data.count), &out); le32(UInt32(data.count), &out)
            le16(name.utf8.count, &out); le16(0, &out)
            out += Array(name.utf8) + data
            var extra: [UInt8] = []
            var sizes = (UInt32(data.count), UInt32(data.count))
            if index == 0, let (size, compressed) = zip64Sizes {
                le16(1, &extra); le16(16, &extra); le64(size, &extra); le64(compressed, &extra)
                sizes = (0xFFFF_FFFF, 0xFFFF_FFFF)
            }
            le32(0x0201_4B50, &central); le16(20, &central); le16(20, &central); le16(0, &central); le16(0, &central)
            le16(0, &central); le16(0, &central); le32(crc, &central); le32(sizes.1, &central); le32(sizes.0, &central)
            le16(name.utf8.count, &central); le16(extra.count, &central); le16(0, &central); le16(0, &central)
            le16(0, &central); le32(0, &central); le32(offset, &central)
            central += Array(name.utf8) + extra
        }
        let directoryOffset = out.count
        out += central
        if let end = zip64End {
            let recordOffset = UInt64(out.count)
            le32(0x0606_4B50, &out); le64(44, &out); le16(45, &out); le16(45, &out); le32(0, &out); le32(0, &out)
            le64(UInt64(files.count), &out); le64(UInt64(files.count), &out); le64(end.size, &out); le64(end.offset, &out)
            le32(0x0706_4B50, &out); le32(0, &out); le64(recordOffset, &out); le32(1, &out)
        }
        le32(0x0605_4B50, &out); le16(0, &out); le16(0, &out); le16(files.count, &out); le16(files.count, &out)
        le32(UInt32(central.count), &out); le32(UInt32(directoryOffset), &out); le16(0, &out)
        return out
    }

    static func write(_ bytes: [UInt8], named name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-crafted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static let good = Array("<doc><p>Office of Information Policy</p></doc>".utf8)

    @Test("a Zip64 extra field with a size near 2^63 fails that member as corrupt; the next member is read")
    func zip64ExtraFieldSize() throws {
        let bytes = Self.zip([("huge.xml", Self.good), ("good.xml", Self.good)],
                             zip64Sizes: (0x7FFF_FFFF_FFFF_FFF0, 0x7FFF_FFFF_FFFF_FFF0))
        let events = try unpackAll(try Self.write(bytes, named: "zip64-extra.zip"))
        let huge = try #require(events.first { $0.path == "huge.xml" })
        #expect(huge.kind == .failed)
        #expect(huge.code == SluiceError.Code.corrupt.rawValue)
        #expect(events.contains { $0.path == "good.xml" && $0.kind == .document && $0.data == Self.good })
    }

    @Test("a Zip64 end record whose offset and size overflow when added fails the release as corrupt")
    func zip64EndRecord() throws {
        let bytes = Self.zip([("good.xml", Self.good)], zip64End: (offset: 0x7FFF_FFFF_FFFF_FF00, size: 0x7FFF_FFFF_FFFF_FF00))
        let path = try Self.write(bytes, named: "zip64-end.zip")
        do {
            let events = try unpackAll(path)
            #expect(events.contains { $0.kind == .failed && $0.code == SluiceError.Code.corrupt.rawValue }, "\(events)")
        } catch let error as SluiceError {
            #expect(error.code == .corrupt)
            #expect(error.message.contains("central directory"))
        }
    }

    @Test("a pax record whose length is near Int.max in a truncated tar fails as corrupt")
    func paxLengthOverflow() throws {
        // A good record first, so the second starts past offset 0 (where `at + length` overflowed).
        let record = Array("12 a=bcdefg\n9223372036854775807 path=x\n".utf8)
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, at offset: Int) { for (i, b) in s.utf8.enumerated() { header[offset + i] = b } }
        put("PaxHeader/x", at: 0)
        put("0000644", at: 100); put("0000000", at: 108); put("0000000", at: 116)
        put(String(format: "%011o", record.count), at: 124)
        put("00000000000", at: 136)
        put("x", at: 156); put("ustar", at: 257); put("00", at: 263)
        for i in 148..<156 { header[i] = 0x20 }
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum) + "\0", at: 148)
        let tar = header + record + [UInt8](repeating: 0, count: 512 - record.count)  // truncated: no member follows
        let path = try Self.write(tar, named: "pax-overflow.tar")
        do {
            let events = try unpackAll(path)
            #expect(events.contains { $0.kind == .failed && $0.code == SluiceError.Code.corrupt.rawValue }, "\(events)")
            #expect(events.contains { $0.message?.contains("pax") == true }, "\(events)")
        } catch let error as SluiceError {
            #expect(error.code == .corrupt)
            #expect(error.message.contains("pax"), "\(error.message)")
        }
    }
}
