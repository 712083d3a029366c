import Foundation
import SluiceCore
import SluiceLedger

/// The units and workers of a shared ledger, as `sluice status` shows them.
struct QueueStatus {
    var units: [(unit: WorkUnit, status: String, worker: String?)]
    var workers: [WorkerState]

    /// `leaseSeconds` is the pipeline's `ledger.lease_seconds`: a worker still noted `working` or
    /// `draining` whose heartbeat is older than a lease stopped renewing it (killed, or its machine
    /// lost) and is shown `lost`; its units go to others.
    init(units: [(unit: WorkUnit, status: String, worker: String?)], workers: [WorkerState], leaseSeconds: Double) {
        self.units = units
        self.workers = workers.map { worker in
            var worker = worker
            if worker.status == "working" || worker.status == "draining", worker.secondsSinceHeartbeat > leaseSeconds {
                worker.status = "lost"
            }
            return worker
        }
    }

    /// Units by status (pending, running, done).
    var counts: [(String, Int)] {
        ["pending", "running", "done"].map { status in (status, units.count(where: { $0.status == status })) }
    }

    var unitCounts: JSONValue { .object(counts.map { ($0.0, .int($0.1)) }) }

    var unitsJSON: JSONValue {
        .array(units.map {
            var fields: [(String, JSONValue)] = [("id", .string($0.unit.id)), ("release", .string($0.unit.release)),
                                                 ("status", .string($0.status)), ("attempts", .int($0.unit.attempts)),
                                                 ("worker", .optional($0.worker))]
            // A shard: which of the release's shards, and its central-directory entries (first, end).
            if let entries = $0.unit.entryRange {
                fields += [("shard", .int($0.unit.shard)), ("shards", .int($0.unit.shards)),
                           ("entries", .array([.int(entries.lowerBound), .int(entries.upperBound)]))]
            }
            return .object(fields)
        })
    }

    var workersJSON: JSONValue {
        .array(workers.map {
            .object([("id", .string($0.id)), ("host", .string($0.host)), ("pid", .int($0.pid)), ("status", .string($0.status)),
                     ("units", .int($0.units)), ("started_at", .string($0.startedAt)),
                     ("seconds_since_heartbeat", .double(($0.secondsSinceHeartbeat * 10).rounded() / 10))])
        })
    }

    /// Lines for the table: nothing for a ledger that never had workers (a single-process SQLite run).
    var table: [String] {
        guard !units.isEmpty || !workers.isEmpty else { return [] }
        var lines = ["", "Units: " + counts.map { "\($0.1) \($0.0)" }.joined(separator: ", ")]
        if !workers.isEmpty {
            lines.append("")
            let header = ["worker host", "pid", "status", "units", "last heartbeat"]
            let widths = [28, 9, 10, 7, 16]
            func row(_ cells: [String]) -> String {
                zip(cells, widths).map { $0.padding(toLength: max($1, $0.count + 1), withPad: " ", startingAt: 0) }.joined()
            }
            lines.append(row(header))
            for w in workers {
                lines.append(row([w.host, "\(w.pid)", w.status, "\(w.units)",
                                  String(format: "%.1f s ago", w.secondsSinceHeartbeat)]))
            }
        }
        return lines
    }
}
