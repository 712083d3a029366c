public import SluiceCore
public import SluiceUnpack
public import SluiceParse
public import SluiceExtract

/// How one stage's pool runs.
public struct StageSettings: Sendable, Equatable {
    /// Concurrent workers in the pool.
    public var workers: Int
    /// Items that may wait in the bounded queue in front of the pool.
    public var queue: Int
    /// Seconds one item may take in this stage before it counts as hung.
    public var timeout: Double
    /// Attempts before an item is quarantined.
    public var attempts: Int

    public init(workers: Int, queue: Int, timeout: Double, attempts: Int) {
        self.workers = workers
        self.queue = queue
        self.timeout = timeout
        self.attempts = attempts
    }
}

/// Output options.
public struct OutputSettings: Sendable, Equatable {
    /// Whether records carry the document's text.
    public var includeText = true
    /// Characters of text kept in a record (nil: all of it).
    public var maxTextCharacters: Int?
    /// `output.postgres`: a PostgreSQL search database (`postgres://user@host:port/db`) that
    /// `sluice run` brings in step with the Outbox when it ends, as `sluice export --format
    /// postgres` does; nil (the default): none.
    public var postgres: String?

    public init() {}
}

/// Where the parse and extract work runs (`parse.isolation`, `parse.memory_limit`, `parse.cpu_limit`).
public struct IsolationSettings: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Supervised child processes (`sluice _child`): a document that crashes, exhausts memory or
        /// hangs costs its child, not the run.
        case process
        /// In the run's own process: no child start-up or pipe traffic, but a crash ends the run.
        case none
    }

    public var mode = Mode.process
    /// RLIMIT_AS of each child, in bytes.
    public var memoryBytes: Int64 = 2 << 30
    /// RLIMIT_CPU of each child per document, in seconds of CPU time.
    public var cpuSeconds = 60

    public init() {}
}

/// A pipeline file, decoded. Every field has a documented default, so an empty
/// file is a valid pipeline.
public struct PipelineConfig: Sendable, Equatable {
    /// The pipeline's name, written into every record's `produced_by`.
    public var name = "default"
    public var unpackStage = StageSettings(workers: 1, queue: 16, timeout: 600, attempts: 2)
    public var parseStage = StageSettings(workers: 2, queue: 64, timeout: 60, attempts: 2)
    public var extractStage = StageSettings(workers: 2, queue: 64, timeout: 60, attempts: 2)
    public var writeStage = StageSettings(workers: 1, queue: 128, timeout: 60, attempts: 2)
    public var unpack = UnpackBudgets()
    public var parse = ParseLimits()
    /// Process isolation of parse and extract, from the `parse` section.
    public var isolation = IsolationSettings()
    public var extract = ExtractConfiguration()
    /// Whether the schema-aware extractors (FOIA annual report, FR, CFR, BILLSTATUS) run.
    public var formats = true
    public var output = OutputSettings()
    /// The ledger's path, relative to the Outbox unless absolute (SQLite, when `ledgerURL` is nil).
    public var ledgerPath = "ledger.sqlite"
    /// `ledger.url`: a shared PostgreSQL ledger (`postgres://user@host:port/db`) or a SQLite one
    /// (`sqlite:PATH`, relative to the Outbox); nil: the SQLite file at `ledgerPath`.
    public var ledgerURL: String?
    /// `ledger.lease_seconds`: how long a worker's claim on a unit lasts without a heartbeat;
    /// a unit whose worker died is taken over after this long.
    public var leaseSeconds = 30.0
    /// `ledger.retry_seconds`: how long a worker keeps retrying a ledger it lost before it gives
    /// up (exit 3, its units released).
    public var ledgerRetrySeconds = 60.0
    /// `ledger.shard_members`: with a shared ledger, a zip release of more entries than this (its
    /// central directory's) is queued as shards of at most this many consecutive entries, which
    /// workers take on their own; its records file is still one, in archive order. Nil: no limit.
    public var shardMembers: Int? = 5000
    /// `ledger.shard_bytes`: likewise for stored (compressed) member bytes: a zip release with more
    /// than this is cut into shards of about this much. Nil: no limit.
    public var shardBytes: Int64? = 1 << 30
    /// `text` or `json`.
    public var logFormat = "text"
    public var quiet = false
    /// Where this configuration was read from (the run manifest's `pipeline_source`); set by
    /// `load`, and `builtIn` for one built in code.
    public var source = PipelineSource.builtIn

    public init() {}

    /// Items worked on at once across all stages: the parse and extract worker count, so
    /// `--workers N` keeps about N cores busy (unpack and write take their turn within it).
    public var cpuBudget: Int { max(parseStage.workers, extractStage.workers) }

    /// The settings of one stage.
    public func settings(for stage: Stage) -> StageSettings {
        switch stage {
        case .unpack: unpackStage
        case .parse: parseStage
        case .extract: extractStage
        case .write: writeStage
        }
    }

    /// Sets the worker count of the parallel stages (parse and extract), as `--workers` does.
    public mutating func setWorkers(_ n: Int) {
        parseStage.workers = n
        extractStage.workers = n
    }
}
