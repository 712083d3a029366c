import Foundation
import SluiceCore

/// The content-addressed work area in `Outbox/work/`: the outputs of the unpack
/// and parse stages, keyed by the member's SHA-256, so `rerun --stage` can start
/// a later stage without redoing the ones before it.
struct WorkArea: Sendable {
    let root: String

    init(outbox: String) {
        root = "\(outbox)/work"
    }

    private func path(_ kind: String, _ name: String) -> String {
        "\(root)/\(kind)/\(name.prefix(2))/\(name)"
    }

    /// Stores a member's bytes (once per distinct content).
    func storeMember(sha256: String, data: [UInt8]) throws {
        try store(path("members", sha256), bytes: data)
    }

    func hasMember(sha256: String) -> Bool {
        FileManager.default.fileExists(atPath: path("members", sha256))
    }

    func hasParsed(sha256: String, parserKey: String) -> Bool {
        FileManager.default.fileExists(atPath: path("parsed", "\(sha256)-\(parserKey)"))
    }

    func memberSize(sha256: String) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path("members", sha256))
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    func member(sha256: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path("members", sha256)).map { [UInt8]($0) }
    }

    /// Stores a member's parse output under its content and the parser's settings.
    func storeParsed(sha256: String, parserKey: String, documents: [ParsedDocument]) throws {
        try store(path("parsed", "\(sha256)-\(parserKey)"), bytes: ParsedDocumentCodec.encode(documents))
    }

    func parsed(sha256: String, parserKey: String) -> [ParsedDocument]? {
        guard let data = FileManager.default.contents(atPath: path("parsed", "\(sha256)-\(parserKey)")) else { return nil }
        return ParsedDocumentCodec.decode([UInt8](data))
    }

    /// Write to a temporary name, then rename: a crash never leaves a torn entry.
    ///
    /// Plain POSIX calls: this runs for every member and every parse output, and the
    /// directory is created only when the first open finds it missing.
    private func store(_ target: String, bytes: [UInt8]) throws {
        if access(target, F_OK) == 0 { return }
        let temp = "\(target).tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        var fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0, errno == ENOENT {
            try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw SluiceError(.io, "cannot write the work area entry \(temp)") }
        let written = bytes.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress.unsafelyUnwrapped + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        close(fd)
        guard written, rename(temp, target) == 0 else {
            unlink(temp)
            throw SluiceError(.io, "cannot move \(temp) into the work area")
        }
    }
}
