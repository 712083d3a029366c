import Foundation

/// What completing a shard of a release means for the release.
public enum ShardCompletion: Sendable, Equatable {
    /// The unit was no longer this worker's (its lease ran out and another took it).
    case notHeld
    /// Marked done; other shards of the release are still to do.
    case done
    /// Every other shard is done: this worker puts the release's records together, then calls
    /// `finishShardedRelease`. The unit stays `running` (under its lease) until then, so a worker
    /// that dies meanwhile leaves it to be taken over and finished by another.
    case last
}

/// Shards of a large zip release: each is begun, done and re-taken on its own, and the release
/// is finished once, by the worker that completes its last shard.
extension Ledger {
    /// Starts (or restarts, when re-taken) one shard: the rows an earlier attempt left in the shard's
    /// range of positions are replaced by this attempt's. Returns the attempts, by member, of items
    /// that were in flight when that attempt died (a poison document is still quarantined).
    public func beginShard(_ unit: WorkUnit) throws -> [String: Int] {
        let first = unit.firstSequence
        let end = first + WorkUnit.sequenceSpan
        return try write { tx in
            var inFlight: [String: Int] = [:]
            for row in try tx.query("SELECT member, attempts FROM items WHERE release = ? AND seq >= ? AND seq < ? AND status = 'running'",
                                    [.text(unit.release), .int(first), .int(end)]) {
                inFlight[row.string("member")] = row.int("attempts") ?? 0
            }
            try tx.execute("DELETE FROM items WHERE release = ? AND seq >= ? AND seq < ?",
                           [.text(unit.release), .int(first), .int(end)])
            return inFlight
        }
    }

    /// A shard's records part is in place and its rows are in the ledger: marks it done, or says
    /// it is the release's last (`ShardCompletion`). The release's units are locked first, so of
    /// two shards completing at once exactly one sees the other done.
    public func completeShard(_ unit: WorkUnit, worker: String) throws -> ShardCompletion {
        let lock = database.dialect.rowLock
        return try write { tx in
            let rows = try tx.query("SELECT id, status, worker FROM units WHERE release = ? ORDER BY shard\(lock)",
                                    [.text(unit.release)])
            guard let mine = rows.first(where: { $0.text("id") == unit.id }), mine.text("status") == "running",
                  mine.text("worker") == worker else { return .notHeld }
            if rows.allSatisfy({ $0.text("id") == unit.id || $0.text("status") == "done" }) { return .last }
            try tx.execute("UPDATE units SET status = 'done', finished_at = ? WHERE id = ?", [.text(Ledger.now()), .text(unit.id)])
            return .done
        }
    }

    /// Finishes a sharded release whose records file `worker` (holding the last shard) put in place:
    /// in one transaction, the last shard is marked done, every shard's item rows are renumbered into
    /// archive order (as a whole-release run numbers them) and the release is marked finished
    /// (`failed` when a shard could not read the release). False, with nothing changed, when the
    /// unit was no longer `worker`'s: whoever took it over finishes the release.
    @discardableResult
    public func finishShardedRelease(_ unit: WorkUnit, worker: String, documents: Int) throws -> Bool {
        let span = WorkUnit.sequenceSpan
        return try write { tx in
            guard try tx.execute(
                "UPDATE units SET status = 'done', finished_at = ? WHERE id = ? AND worker = ? AND status = 'running'",
                [.text(Ledger.now()), .text(unit.id), .text(worker)]) > 0 else { return false }
            // Each shard's positions run 0, 1, 2, ... from its base; the order is the shards'. The
            // targets lie below every other shard's base and above the shards renumbered before,
            // so no row ever meets another's key on the way.
            var offset = 0
            for shard in 0..<unit.shards {
                let base = shard * span
                let count = try tx.query("SELECT COUNT(DISTINCT seq) AS n FROM items WHERE release = ? AND seq >= ? AND seq < ?",
                                         [.text(unit.release), .int(base), .int(base + span)]).first?.int("n") ?? 0
                if base != offset {
                    try tx.execute("UPDATE items SET seq = seq - ? WHERE release = ? AND seq >= ? AND seq < ?",
                                   [.int(base - offset), .text(unit.release), .int(base), .int(base + span)])
                }
                offset += count
            }
            // Rows of shards a different cut of an earlier run left behind.
            try tx.execute("DELETE FROM items WHERE release = ? AND seq >= ?", [.text(unit.release), .int(unit.shards * span)])
            let failure = try tx.query(
                "SELECT error_message FROM items WHERE release = ? AND seq = -1 AND stage = 'unpack' AND status = 'failed'",
                [.text(unit.release)]).first
            try tx.execute("UPDATE releases SET status = ?, documents = ?, error = ?, finished_at = ? WHERE name = ?",
                           [.text(failure == nil ? "done" : "failed"), .int(documents), LedgerValue(failure?.text("error_message")),
                            .text(Ledger.now()), .text(unit.release)])
            return true
        }
    }
}
