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
    private func store(_ target: String, bytes: [UInt8]) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: target) { return }
        try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temp = "\(target).tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        guard fm.createFile(atPath: temp, contents: Data(bytes)) else {
            throw SluiceError(.io, "cannot write the work area entry \(temp)")
        }
        if rename(temp, target) != 0 {
            try? fm.removeItem(atPath: temp)
            throw SluiceError(.io, "cannot move \(temp) into the work area")
        }
    }
}
