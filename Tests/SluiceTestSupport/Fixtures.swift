public import Foundation
internal import CSluiceZlib
import SluiceCore

/// The real documents and hostile releases the tests read, committed under `Tests/Fixtures/corpus`
/// (`Tests/Fixtures/SOURCES.md` says where each comes from). Nothing outside the repository is read.
///
/// A file larger than 100 KB is committed gzip-compressed as `NAME.packed.gz`; asking for `NAME`
/// inflates it once into a temporary folder, keyed by the packed file's SHA-256, and returns that copy.
public enum Fixtures {
    /// `<repository>/Tests/Fixtures`, found from this source file's location.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SluiceTestSupport
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    /// `Tests/Fixtures/corpus`: a subset of the shared corpus, in its folder layout.
    public static let corpus: URL = root.appendingPathComponent("corpus")

    /// The suffix of a committed compressed fixture.
    static let packedSuffix = ".packed.gz"

    /// The file at `relative` inside `corpus/` (e.g. `hostile/releases/bomb-gzip.xml.gz`),
    /// inflated from its packed form when that is how it is committed.
    public static func url(_ relative: String) throws -> URL {
        let plain = corpus.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: plain.path) { return plain }
        let packed = corpus.appendingPathComponent(relative + packedSuffix)
        guard let compressed = FileManager.default.contents(atPath: packed.path) else {
            throw FixtureError("fixture \(relative) is missing: neither \(plain.path) nor \(packed.path) exists")
        }
        let bytes = Array(compressed)
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-fixtures")
            .appendingPathComponent(String(SHA256.hex(bytes).prefix(24)))
        let target = folder.appendingPathComponent(plain.lastPathComponent)
        if FileManager.default.fileExists(atPath: target.path) { return target }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Write under a unique name, then rename: parallel tests asking for the same file each
        // finish with a complete copy, never a half-written one.
        let partial = folder.appendingPathComponent(".\(UUID().uuidString).partial")
        try Data(try gunzip(bytes, name: relative)).write(to: partial)
        if rename(partial.path, target.path) != 0 {
            throw FixtureError("cannot move the inflated \(relative) to \(target.path) (errno \(errno))")
        }
        return target
    }

    /// The path of `url(relative)`.
    public static func path(_ relative: String) throws -> String { try url(relative).path }

    /// The bytes of the file at `relative` inside `corpus/`.
    public static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: try url(relative)))
    }

    /// Relative paths (from `corpus/`) of every file under `folder`, sorted, packed files under
    /// the names they are asked for by.
    public static func files(under folder: String = "") throws -> [String] {
        let base = folder.isEmpty ? corpus : corpus.appendingPathComponent(folder)
        let prefix = folder.isEmpty ? "" : folder + "/"
        return try FileManager.default.subpathsOfDirectory(atPath: base.path)
            .filter { !isDirectory(base.appendingPathComponent($0)) }
            .map { prefix + ($0.hasSuffix(packedSuffix) ? String($0.dropLast(packedSuffix.count)) : $0) }
            .sorted()
    }

    static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }

    /// Inflates one gzip member with zlib; independent of SluiceUnpack, whose readers the fixtures test.
    static func gunzip(_ input: [UInt8], name: String) throws -> [UInt8] {
        var stream = z_stream()
        guard csluice_inflateInit2(&stream, 15 + 16) == Z_OK else { throw FixtureError("zlib cannot start for \(name)") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while true {
                let code = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                if code != Z_OK { return code }
            }
        }
        guard status == Z_STREAM_END else { throw FixtureError("\(name)\(packedSuffix) is not a complete gzip file (zlib \(status))") }
        return output
    }
}

/// A fixture that is missing or cannot be inflated: the checkout is incomplete.
public struct FixtureError: Error, CustomStringConvertible {
    /// What is wrong, with the fixture's path.
    public var description: String

    init(_ description: String) { self.description = description }
}
