/// One entry of a partition's log: its sequence and the bytes appended.
public struct LogEntry: Sendable, Hashable {
    public var sequence: UInt64
    public var payload: [UInt8]

    public init(sequence: UInt64, payload: [UInt8]) {
        self.sequence = sequence
        self.payload = payload
    }
}

/// Where an idempotency key was used: the entry and the submission's place in it.
public struct IdempotencyRecord: Sendable, Hashable, CustomStringConvertible {
    public var partition: UInt32
    public var sequence: UInt64
    public var index: Int

    public init(partition: UInt32, sequence: UInt64, index: Int) {
        self.partition = partition
        self.sequence = sequence
        self.index = index
    }

    public var description: String { "\(partition):\(sequence):\(index)" }

    init?(parsing text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let p = UInt32(parts[0]), let s = UInt64(parts[1]), let i = Int(parts[2]) else {
            return nil
        }
        self.init(partition: p, sequence: s, index: i)
    }
}

/// What an append did.
public enum AppendOutcome: Sendable, Hashable {
    /// The entry is in the log (quorum-durable) at `sequence`.
    case appended(sequence: UInt64)
    /// Another entry took the position: the head is now `head`; retry after it.
    case conflict(head: UInt64)
    /// An idempotency key of the entry was already used by an earlier write.
    case duplicate(key: String, record: IdempotencyRecord)
}

/// Why a log read cannot continue.
public enum ReplicationLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Entries before `start` were trimmed; a reader behind them needs a snapshot.
    case trimmed(start: UInt64)
    /// The cluster was never initialised (`labelindex cluster init`).
    case notInitialized
    /// The entry is larger than the log accepts.
    case entryTooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .trimmed(let start): "the log starts at sequence \(start); earlier entries were trimmed"
        case .notInitialized: "no cluster in etcd: run `labelindex cluster init --etcd URL --partitions N` first"
        case .entryTooLarge(let bytes, let limit):
            "the write encodes to \(bytes) bytes; one replicated log entry holds at most \(limit)"
        }
    }
}

/// A durable, ordered, gapless log per partition. etcd implements it (`EtcdReplicationLog`);
/// another engine (NATS JetStream, a Kafka-compatible log) could replace it behind this seam.
public protocol ReplicationLog: Sendable {
    /// The partition count fixed when the cluster was created; nil before `cluster init`.
    func partitionCount() async throws -> UInt32?
    /// The last sequence appended to `partition` (0 when empty).
    func head(partition: UInt32) async throws -> UInt64
    /// The first sequence still readable in `partition` (1 until the log is trimmed).
    func start(partition: UInt32) async throws -> UInt64
    /// Appends `payload` as entry `head + 1` if the partition's head is still `head`, and
    /// records each idempotency key (key → the submission's index in the entry) unless one of
    /// them was used already; all or nothing.
    func append(
        partition: UInt32, after head: UInt64, payload: [UInt8], idempotencyKeys: [String: Int]
    )
        async throws -> AppendOutcome
    /// Up to `limit` entries from `sequence` on, in order; throws `.trimmed` when `sequence`
    /// is before the log's start.
    func entries(partition: UInt32, from sequence: UInt64, limit: Int) async throws -> [LogEntry]
    /// Every entry from `sequence` on, in order, then new ones as they are appended; the stream
    /// rides out transient unavailability and ends only on cancellation or `.trimmed`.
    func follow(partition: UInt32, from sequence: UInt64) -> AsyncThrowingStream<LogEntry, any Error>
    /// Drops the entries before `sequence` (the log then starts at `sequence`).
    func trim(partition: UInt32, before sequence: UInt64) async throws
    /// Where `key` was used, if it was, within the idempotency window.
    func idempotencyRecord(key: String) async throws -> IdempotencyRecord?
}
