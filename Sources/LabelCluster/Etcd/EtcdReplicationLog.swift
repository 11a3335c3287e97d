import Foundation
import Synchronization

/// The replication log in etcd, under the keys of `ClusterKeys`.
///
/// An append is one transaction: `head == n` (and every idempotency key absent) → `head = n+1`,
/// `log/{n+1} = payload`, `idem/{key} = p:n+1:i` on a 24-hour lease. etcd commits it on a
/// quorum before answering, so an `.appended` entry survives the loss of any minority.
public final class EtcdReplicationLog: ReplicationLog {
    package let client: EtcdClient
    package let keys: ClusterKeys
    private let idempotencyLease = Mutex<(id: Int64, granted: ContinuousClock.Instant)?>(nil)

    /// Largest entry payload: etcd refuses requests over 1.5 MiB (`--max-request-bytes`
    /// default), and the transaction also carries the head, the key and idempotency keys.
    public static let maximumEntryBytes = 1 << 20
    /// How long an idempotency key is remembered: keys are put on a lease of this TTL, and a
    /// lease is reused for `idempotencyLeaseReuse`, so a key lives at least 23 and at most 24 h.
    public static let idempotencyTTLSeconds: Int64 = 24 * 3600
    static let idempotencyLeaseReuse: Duration = .seconds(3600)
    /// Entries per range read while following (well under etcd's response limits).
    static let pageSize = 256

    /// The log of the cluster whose keys live under `keyRoot` (`/lix/`; one etcd can hold
    /// several clusters under different roots) in the etcd cluster at `endpoints`.
    public convenience init(endpoints: [String], keyRoot: String = "/lix/") {
        self.init(client: EtcdClient(endpoints: endpoints), keys: ClusterKeys(root: keyRoot))
    }

    package init(client: EtcdClient, keys: ClusterKeys = ClusterKeys()) {
        self.client = client
        self.keys = keys
    }

    public func partitionCount() async throws -> UInt32? {
        guard let kv = try await client.get(keys.cluster) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(kv.value)) as? [String: Any],
            let count = object["partitions"] as? Int, let partitions = UInt32(exactly: count)
        else { throw EtcdError.malformedResponse("\(keys.cluster) is not a cluster record") }
        return partitions
    }

    /// Creates the cluster: the record and every partition's head and start. Fails (false)
    /// when a cluster already exists; nothing is changed then.
    public func initialize(partitions: UInt32, createdAt milliseconds: Int64) async throws -> Bool {
        let record = try JSONSerialization.data(withJSONObject: [
            "partitions": Int(partitions), "created": milliseconds,
        ])
        var operations: [EtcdOperation] = [.put(key: keys.cluster, value: Array(record))]
        for partition in 0..<partitions {
            operations.append(.put(key: keys.head(partition), value: Array("0".utf8)))
            operations.append(.put(key: keys.start(partition), value: Array("1".utf8)))
        }
        return try await client.txn(
            compare: [.versionEquals(key: keys.cluster, version: 0)], success: operations
        ).succeeded
    }

    public func head(partition: UInt32) async throws -> UInt64 {
        try await number(keys.head(partition), missing: 0)
    }

    public func start(partition: UInt32) async throws -> UInt64 {
        try await number(keys.start(partition), missing: 1)
    }

    private func number(_ key: String, missing: UInt64) async throws -> UInt64 {
        guard let kv = try await client.get(key) else { return missing }
        guard let value = UInt64(kv.valueString) else { throw EtcdError.malformedResponse("\(key) is not a number") }
        return value
    }

    public func append(
        partition: UInt32, after head: UInt64, payload: [UInt8], idempotencyKeys: [String: Int]
    )
        async throws -> AppendOutcome
    {
        guard payload.count <= Self.maximumEntryBytes else {
            throw ReplicationLogError.entryTooLarge(bytes: payload.count, limit: Self.maximumEntryBytes)
        }
        let sequence = head + 1
        let usedKeys = idempotencyKeys.sorted { $0.key < $1.key }
        var compare: [EtcdCompare] = [.valueEquals(key: keys.head(partition), value: Array(String(head).utf8))]
        var success: [EtcdOperation] = [
            .put(key: keys.head(partition), value: Array(String(sequence).utf8)),
            .put(key: keys.log(partition, sequence), value: payload),
        ]
        var failure: [EtcdOperation] = [.get(key: keys.head(partition)), .get(key: keys.log(partition, sequence))]
        if !usedKeys.isEmpty {
            let lease = try await leaseForIdempotencyKeys()
            for (key, index) in usedKeys {
                let record = IdempotencyRecord(partition: partition, sequence: sequence, index: index)
                compare.append(.versionEquals(key: keys.idempotency(key), version: 0))
                success.append(.put(key: keys.idempotency(key), value: Array(record.description.utf8), lease: lease))
                failure.append(.get(key: keys.idempotency(key)))
            }
        }
        let result = try await client.txn(compare: compare, success: success, failure: failure)
        if result.succeeded { return .appended(sequence: sequence) }
        // A retried attempt (the client library retries on another member after a timeout)
        // may find its own entry committed: the payload carries a unique id, so equal bytes
        // mean it is ours.
        if let existing = result.ranges[safe: 1]?.first, existing.value == payload {
            return .appended(sequence: sequence)
        }
        for (offset, (key, _)) in usedKeys.enumerated() {
            if let used = result.ranges[safe: 2 + offset]?.first,
                let record = IdempotencyRecord(parsing: used.valueString)
            {
                return .duplicate(key: key, record: record)
            }
        }
        guard let current = result.ranges.first?.first, let value = UInt64(current.valueString) else {
            throw ReplicationLogError.notInitialized
        }
        return .conflict(head: value)
    }

    private func leaseForIdempotencyKeys() async throws -> Int64 {
        let now = ContinuousClock.now
        if let lease = idempotencyLease.withLock({ $0 }), now - lease.granted < Self.idempotencyLeaseReuse {
            return lease.id
        }
        let id = try await client.grantLease(ttl: Self.idempotencyTTLSeconds)
        idempotencyLease.withLock { $0 = (id, now) }
        return id
    }

    public func entries(partition: UInt32, from sequence: UInt64, limit: Int) async throws -> [LogEntry] {
        try await page(partition: partition, from: sequence, limit: limit).entries
    }

    /// A page of entries from `sequence` and the revision the read saw.
    private func page(
        partition: UInt32, from sequence: UInt64, limit: Int
    ) async throws
        -> (entries: [LogEntry], revision: Int64)
    {
        let range = try await client.range(
            keys.log(partition, sequence), rangeEnd: etcdPrefixEnd(keys.logPrefix(partition)),
            limit: Int64(limit))
        let entries = range.kvs.compactMap { kv -> LogEntry? in
            guard let sequence = keys.sequence(ofLogKey: kv.keyString, partition: partition) else { return nil }
            return LogEntry(sequence: sequence, payload: kv.value)
        }
        if entries.first?.sequence != sequence {
            let start = try await start(partition: partition)
            if sequence < start { throw ReplicationLogError.trimmed(start: start) }
        }
        return (entries, range.revision)
    }

    public func follow(partition: UInt32, from sequence: UInt64) -> AsyncThrowingStream<LogEntry, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var next = sequence
                do {
                    while !Task.isCancelled {
                        do {
                            next = try await followOnce(partition: partition, from: next, into: continuation)
                        } catch let error as EtcdError {
                            // Unavailable or compacted: read again from the next sequence.
                            _ = error
                            try await Task.sleep(for: .milliseconds(200))
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Reads pages until caught up, then watches from the revision of the last read; returns
    /// the next sequence wanted when the watch ends.
    private func followOnce(
        partition: UInt32, from sequence: UInt64,
        into continuation: AsyncThrowingStream<LogEntry, any Error>.Continuation
    ) async throws -> UInt64 {
        var next = sequence
        var revision: Int64
        while true {
            let page = try await page(partition: partition, from: next, limit: Self.pageSize)
            revision = page.revision
            for entry in page.entries where entry.sequence == next {
                continuation.yield(entry)
                next += 1
            }
            if page.entries.count < Self.pageSize { break }
        }
        let prefix = keys.logPrefix(partition)
        for try await batch in client.watch(key: prefix, rangeEnd: etcdPrefixEnd(prefix), startRevision: revision + 1) {
            for event in batch.events where event.kind == .put {
                guard let sequence = keys.sequence(ofLogKey: event.kv.keyString, partition: partition) else {
                    continue
                }
                if sequence == next {
                    continuation.yield(LogEntry(sequence: sequence, payload: event.kv.value))
                    next += 1
                } else if sequence > next {
                    // Cannot happen with gapless appends; a range read settles it either way.
                    return next
                }
            }
        }
        return next
    }

    public func trim(partition: UInt32, before sequence: UInt64) async throws {
        while true {
            let current = try await start(partition: partition)
            // Never past the head: the next append must find its place after the start.
            let target = min(sequence, try await head(partition: partition) + 1)
            guard target > current else { return }
            // Only from the start just read, so two nodes trimming at once never move it
            // backwards; the one that finds it moved reads it again.
            let result = try await client.txn(
                compare: [.valueEquals(key: keys.start(partition), value: Array(String(current).utf8))],
                success: [
                    .put(key: keys.start(partition), value: Array(String(target).utf8)),
                    .deleteRange(key: keys.log(partition, 0), rangeEnd: keys.log(partition, target)),
                ])
            if result.succeeded { return }
        }
    }

    /// Discards etcd's history of every key up to now, so the trimmed entries free their
    /// space (followers that watch from an older revision read the log again and go on).
    public func compactHistory() async throws {
        let revision = try await client.range(keys.cluster).revision
        try await client.compact(revision: revision)
    }

    public func idempotencyRecord(key: String) async throws -> IdempotencyRecord? {
        guard let kv = try await client.get(keys.idempotency(key)) else { return nil }
        return IdempotencyRecord(parsing: kv.valueString)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
