public import SluiceCore

/// The records a run removed: `Outbox/deletions/<run id>.json`,
/// `{"run": ID, "deleted": [{"id": ..., "release": ..., "member": ...}]}`.
public struct Deletions: Sendable, Equatable {
    /// One removed record.
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var release: String?
        public var member: String?

        public init(id: String, release: String? = nil, member: String? = nil) {
            self.id = id
            self.release = release
            self.member = member
        }
    }

    /// The run that removed them; nil when there is no deletions file.
    public var run: String?
    public var deleted: [Entry]

    public init(run: String?, deleted: [Entry]) {
        self.run = run
        self.deleted = deleted
    }

    /// The deletions file's JSON, as `write(to:)` writes it.
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = []
        if let run { fields.append(("run", .string(run))) }
        fields.append(("deleted", .array(deleted.map { entry in
            var item: [(String, JSONValue)] = [("id", .string(entry.id))]
            if let release = entry.release { item.append(("release", .string(release))) }
            if let member = entry.member { item.append(("member", .string(member))) }
            return .object(item)
        })))
        return .object(fields)
    }

    /// Writes the deletions file atomically (a search index never reads half of it).
    public func write(to path: String) throws(OutboxError) {
        try Outbox.writeAtomically(json.serializedBytes() + [0x0A], to: path)
    }

    /// Reads a deletions file's bytes.
    public static func parse(_ bytes: [UInt8], path: String) throws(OutboxError) -> Deletions {
        let value: JSONValue
        do throws(SluiceError) {
            value = try JSONReader.parse(bytes)
        } catch {
            throw OutboxError(.badDeletions, error.message, path: path)
        }
        guard case .array(let items)? = value["deleted"] else {
            throw OutboxError(.badDeletions, "expected {\"run\": ..., \"deleted\": [...]}", path: path)
        }
        var entries: [Entry] = []
        for (i, item) in items.enumerated() {
            guard let id = item["id"]?.stringValue, !id.isEmpty else {
                throw OutboxError(.badDeletions, "deleted[\(i)] has no string id", path: path)
            }
            entries.append(Entry(id: id, release: item["release"]?.stringValue, member: item["member"]?.stringValue))
        }
        return Deletions(run: value["run"]?.stringValue, deleted: entries)
    }

    /// The deletions minus ids that are in the records again (a record re-added by a later
    /// run is live, and must not be deleted after being indexed), first occurrence of each id.
    public func live(excluding present: Set<String>) -> [Entry] {
        var seen = Set<String>()
        return deleted.filter { !present.contains($0.id) && seen.insert($0.id).inserted }
    }
}
