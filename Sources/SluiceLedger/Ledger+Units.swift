import Foundation

/// A unit of work in a shared ledger: a release, or one shard of a large zip release.
public struct WorkUnit: Sendable, Equatable {
    /// The release name for a whole release; `NAME#k` for shard k.
    public var id: String
    public var release: String
    public var shard: Int
    public var shards: Int
    /// The shard's central-directory entries, `firstEntry..<endEntry`; `endEntry` is -1 for a whole release.
    public var firstEntry: Int
    public var endEntry: Int
    /// Times a worker claimed it, this claim included.
    public var attempts: Int
    /// On a claim: the worker that held it before (one whose lease ran out), if any.
    public var previousWorker: String?

    public init(id: String, release: String, shard: Int = 0, shards: Int = 1, firstEntry: Int = 0, endEntry: Int = -1,
                attempts: Int = 0) {
        self.id = id
        self.release = release
        self.shard = shard
        self.shards = shards
        self.firstEntry = firstEntry
        self.endEntry = endEntry
        self.attempts = attempts
    }
}

extension WorkUnit {
    /// Item rows of shard k are numbered from `k << 32` while it is worked on (its own range of
    /// `seq`, so a shard re-taken replaces only its own rows); when the release's last shard
    /// completes they are renumbered into the archive order a whole-release run gives them.
    public static let sequenceSpan = 1 << 32

    /// The first `seq` (position) of this unit's items: 0 for a whole release.
    public var firstSequence: Int { shards > 1 ? shard * WorkUnit.sequenceSpan : 0 }

    /// The central-directory entries a shard reads; nil for a whole release.
    public var entryRange: Range<Int>? {
        shards > 1 && endEntry >= firstEntry ? firstEntry..<endEntry : nil
    }

    /// A release's units: the whole release, or one shard per range of central-directory entries (`NAME#k`).
    public static func units(release: String, shardRanges: [Range<Int>]?) -> [WorkUnit] {
        guard let ranges = shardRanges, ranges.count > 1 else { return [WorkUnit(id: release, release: release)] }
        return ranges.enumerated().map { shard, range in
            WorkUnit(id: "\(release)#\(shard)", release: release, shard: shard, shards: ranges.count,
                     firstEntry: range.lowerBound, endEntry: range.upperBound)
        }
    }
}

/// A worker process as the ledger knows it (`sluice status` lists them).
public struct WorkerState: Sendable, Equatable {
    public var id: String
    public var host: String
    public var pid: Int
    /// `working`, `draining`, `stopped` or `lost`.
    public var status: String
    /// Units in hand at the last heartbeat.
    public var units: Int
    public var startedAt: String
    /// Seconds since the last heartbeat, on the database's clock.
    public var secondsSinceHeartbeat: Double
}

/// The queue of units: enqueued by `sluice run`, claimed by `sluice worker` processes with
/// `SELECT ... FOR UPDATE SKIP LOCKED` under a lease that their heartbeat renews. A unit whose
/// lease ran out (its worker was killed or its machine lost) is claimable again.
extension Ledger {
    private static func unit(_ row: LedgerRow) -> WorkUnit {
        var unit = WorkUnit(id: row.string("id"), release: row.string("release"), shard: row.int("shard") ?? 0,
                            shards: row.int("shards") ?? 1, firstEntry: row.int("first_entry") ?? 0,
                            endEntry: row.int("end_entry") ?? -1, attempts: row.int("attempts") ?? 0)
        unit.previousWorker = row.text("worker")
        return unit
    }

    /// Puts a release's units in the queue, replacing the units it had, unless one of them is
    /// in a live worker's hands (then the release is already being worked on): true when queued.
    @discardableResult
    public func enqueue(release: String, units: [WorkUnit]) throws -> Bool {
        let now = database.dialect.nowMillis
        return try write { tx in
            let held = try tx.query("SELECT id FROM units WHERE release = ? AND status = 'running' AND lease_until >= \(now)",
                                    [.text(release)])
            guard held.isEmpty else { return false }
            try tx.execute("DELETE FROM units WHERE release = ?", [.text(release)])
            for unit in units {
                try tx.execute(
                    """
                    INSERT INTO units (id, release, shard, shards, first_entry, end_entry, status, worker, lease_until,
                        attempts, enqueued_at, finished_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'pending', NULL, 0, 0, ?, NULL)
                    """,
                    [.text(unit.id), .text(release), .int(unit.shard), .int(unit.shards), .int(unit.firstEntry),
                     .int(unit.endEntry), .text(Ledger.now())])
            }
            return true
        }
    }

    /// Claims one unit, pending or with an expired lease, for `worker`: nil when there is none.
    public func claimUnit(worker: String, leaseMilliseconds: Int) throws -> WorkUnit? {
        let dialect = database.dialect
        return try write { tx in
            guard let row = try tx.query(
                """
                SELECT id, release, shard, shards, first_entry, end_entry, attempts, worker FROM units
                WHERE status = 'pending' OR (status = 'running' AND lease_until < \(dialect.nowMillis))
                ORDER BY release, shard LIMIT 1\(dialect.claimLock)
                """, []).first else { return nil }
            var unit = Ledger.unit(row)
            unit.attempts += 1
            try tx.execute(
                "UPDATE units SET status = 'running', worker = ?, lease_until = \(dialect.nowMillis) + ?, attempts = ? WHERE id = ?",
                [.text(worker), .int(leaseMilliseconds), .int(unit.attempts), .text(unit.id)])
            return unit
        }
    }

    /// The heartbeat: extends the leases of the units `worker` has in hand and notes it alive.
    public func heartbeat(worker: String, leaseMilliseconds: Int, units: [String], status: String) throws {
        let now = database.dialect.nowMillis
        try write { tx in
            for unit in units {
                try tx.execute("UPDATE units SET lease_until = \(now) + ? WHERE id = ? AND worker = ? AND status = 'running'",
                               [.int(leaseMilliseconds), .text(unit), .text(worker)])
            }
            try tx.execute("UPDATE workers SET heartbeat_at = \(now), units = ?, status = ? WHERE id = ?",
                           [.int(units.count), .text(status), .text(worker)])
        }
    }

    /// Gives one unit back, for others to claim at once.
    public func releaseUnit(id: String, worker: String) throws {
        try writeAlone("UPDATE units SET status = 'pending', lease_until = 0 WHERE id = ? AND worker = ? AND status = 'running'",
                       [.text(id), .text(worker)])
    }

    /// Marks a unit done (its `worker` stays, saying who did it); false when it was no longer
    /// `worker`'s (its lease ran out and another took it).
    @discardableResult
    public func completeUnit(id: String, worker: String) throws -> Bool {
        try writeAlone("UPDATE units SET status = 'done', finished_at = ? WHERE id = ? AND worker = ? AND status = 'running'",
                       [.text(Ledger.now()), .text(id), .text(worker)]) > 0
    }

    /// Gives back the units `worker` holds, for others to claim at once.
    public func releaseUnits(worker: String) throws {
        try writeAlone("UPDATE units SET status = 'pending', lease_until = 0 WHERE worker = ? AND status = 'running'",
                       [.text(worker)])
    }

    /// Units not yet done: while there are any, an idle worker waits (a running one may yet be abandoned).
    public func openUnitCount() throws -> Int {
        try read { tx in try tx.query("SELECT COUNT(*) AS n FROM units WHERE status != 'done'", []).first?.int("n") ?? 0 }
    }

    /// Every unit, in queue order, with its status.
    public func units() throws -> [(unit: WorkUnit, status: String, worker: String?)] {
        try read { tx in
            try tx.query("""
                SELECT id, release, shard, shards, first_entry, end_entry, attempts, status, worker FROM units
                ORDER BY release, shard
                """, []).map { (unit: Ledger.unit($0), status: $0.string("status"), worker: $0.text("worker")) }
        }
    }

    /// Notes a worker process starting.
    public func registerWorker(id: String, host: String, pid: Int) throws {
        let now = database.dialect.nowMillis
        try writeAlone(
            """
            INSERT INTO workers (id, host, pid, status, units, started_at, heartbeat_at) VALUES (?, ?, ?, 'working', 0, ?, \(now))
            ON CONFLICT(id) DO UPDATE SET status = 'working', heartbeat_at = excluded.heartbeat_at
            """,
            [.text(id), .text(host), .int(pid), .text(Ledger.now())])
    }

    /// Notes a worker's last state (`stopped`, `lost`).
    public func retireWorker(id: String, status: String) throws {
        try writeAlone("UPDATE workers SET status = ?, units = 0 WHERE id = ?", [.text(status), .text(id)])
    }

    /// The workers that ever worked on this ledger, the most recently alive first.
    public func workers() throws -> [WorkerState] {
        let now = database.dialect.nowMillis
        return try read { tx in
            try tx.query("""
                SELECT id, host, pid, status, units, started_at, \(now) - heartbeat_at AS age FROM workers
                ORDER BY heartbeat_at DESC, id
                """, []).map {
                WorkerState(id: $0.string("id"), host: $0.string("host"), pid: $0.int("pid") ?? 0, status: $0.string("status"),
                            units: $0.int("units") ?? 0, startedAt: $0.string("started_at"),
                            secondsSinceHeartbeat: Double($0.int("age") ?? 0) / 1000)
            }
        }
    }
}

extension Ledger {
    /// Whether a release has a unit waiting or in a live worker's hands.
    public func isQueued(release: String) throws -> Bool {
        let now = database.dialect.nowMillis
        return try read { tx in
            try tx.query("""
                SELECT COUNT(*) AS n FROM units
                WHERE release = ? AND (status = 'pending' OR (status = 'running' AND lease_until >= \(now)))
                """, [.text(release)]).first?.int("n") ?? 0 > 0
        }
    }
}
