import Foundation
import LabelIndex
import LabelTestSupport
import Testing

@testable import LabelCluster

@Suite("Replication log in etcd")
struct ReplicationLogTests {
    let etcd: EtcdTestCluster
    let log: EtcdReplicationLog

    init() throws {
        etcd = try EtcdTestCluster.shared()
        log = EtcdReplicationLog(
            client: EtcdClient(endpoints: etcd.endpoints), keys: ClusterKeys(root: uniqueKeyRoot()))
    }

    @Test func initializeFixesThePartitionCountOnce() async throws {
        #expect(try await log.partitionCount() == nil)
        #expect(try await log.initialize(partitions: 4, createdAt: 1))
        #expect(try await log.partitionCount() == 4)
        #expect(try await !log.initialize(partitions: 8, createdAt: 2))
        #expect(try await log.partitionCount() == 4)
        #expect(try await log.head(partition: 3) == 0)
        #expect(try await log.start(partition: 3) == 1)
    }

    @Test func appendsAreGaplessAndCompareTheHead() async throws {
        _ = try await log.initialize(partitions: 2, createdAt: 1)
        #expect(
            try await log.append(partition: 1, after: 0, payload: [1], idempotencyKeys: [:]) == .appended(sequence: 1))
        #expect(
            try await log.append(partition: 1, after: 1, payload: [2], idempotencyKeys: [:]) == .appended(sequence: 2))
        // A stale head loses: the caller learns the current one.
        #expect(try await log.append(partition: 1, after: 1, payload: [3], idempotencyKeys: [:]) == .conflict(head: 2))
        // Re-sending an entry that is already at its position is recognised as committed.
        #expect(
            try await log.append(partition: 1, after: 1, payload: [2], idempotencyKeys: [:]) == .appended(sequence: 2))
        #expect(try await log.head(partition: 1) == 2)
        #expect(try await log.head(partition: 0) == 0)
        let entries = try await log.entries(partition: 1, from: 1, limit: 10)
        #expect(entries == [LogEntry(sequence: 1, payload: [1]), LogEntry(sequence: 2, payload: [2])])
    }

    @Test func idempotencyKeysAreUsedOnce() async throws {
        _ = try await log.initialize(partitions: 1, createdAt: 1)
        #expect(
            try await log.append(partition: 0, after: 0, payload: [1], idempotencyKeys: ["k1": 0, "k2": 1])
                == .appended(sequence: 1))
        let record = IdempotencyRecord(partition: 0, sequence: 1, index: 1)
        #expect(try await log.idempotencyRecord(key: "k2") == record)
        #expect(try await log.idempotencyRecord(key: "k3") == nil)
        #expect(
            try await log.append(partition: 0, after: 1, payload: [2], idempotencyKeys: ["k2": 0])
                == .duplicate(key: "k2", record: record))
        #expect(try await log.head(partition: 0) == 1)
    }

    @Test func oversizedEntriesAreRefused() async throws {
        _ = try await log.initialize(partitions: 1, createdAt: 1)
        let payload = [UInt8](repeating: 7, count: EtcdReplicationLog.maximumEntryBytes + 1)
        await #expect(
            throws: ReplicationLogError.entryTooLarge(bytes: payload.count, limit: EtcdReplicationLog.maximumEntryBytes)
        ) {
            try await log.append(partition: 0, after: 0, payload: payload, idempotencyKeys: [:])
        }
        // The largest entry fits in one etcd request.
        let largest = [UInt8](repeating: 7, count: EtcdReplicationLog.maximumEntryBytes)
        #expect(
            try await log.append(partition: 0, after: 0, payload: largest, idempotencyKeys: ["big": 0])
                == .appended(sequence: 1))
    }

    @Test func followReadsTheBacklogThenNewEntries() async throws {
        _ = try await log.initialize(partitions: 1, createdAt: 1)
        for sequence in 1...300 as ClosedRange<UInt64> {
            _ = try await log.append(
                partition: 0, after: sequence - 1, payload: [UInt8(sequence % 256)], idempotencyKeys: [:])
        }
        let log = log
        let follower = Task {
            var seen: [UInt64] = []
            for try await entry in log.follow(partition: 0, from: 2) {
                #expect(entry.payload == [UInt8(entry.sequence % 256)])
                seen.append(entry.sequence)
                if seen.count == 304 { break }
            }
            return seen
        }
        try await Task.sleep(for: .milliseconds(300))
        for sequence in 301...305 as ClosedRange<UInt64> {
            _ = try await log.append(
                partition: 0, after: sequence - 1, payload: [UInt8(sequence % 256)], idempotencyKeys: [:])
        }
        let seen = try await withTimeout(.seconds(20)) { try await follower.value }
        #expect(seen == Array(2...305))
    }

    @Test func trimmedPositionsAreReported() async throws {
        _ = try await log.initialize(partitions: 1, createdAt: 1)
        for sequence in 1...5 as ClosedRange<UInt64> {
            _ = try await log.append(partition: 0, after: sequence - 1, payload: [1], idempotencyKeys: [:])
        }
        try await log.trim(partition: 0, before: 4)
        #expect(try await log.start(partition: 0) == 4)
        #expect(try await log.entries(partition: 0, from: 4, limit: 10).map(\.sequence) == [4, 5])
        await #expect(throws: ReplicationLogError.trimmed(start: 4)) {
            try await log.entries(partition: 0, from: 3, limit: 10)
        }
        var iterator = log.follow(partition: 0, from: 2).makeAsyncIterator()
        await #expect(throws: ReplicationLogError.trimmed(start: 4)) { _ = try await iterator.next() }
    }

    @Test func trimsNeverMoveTheStartBackOrPastTheHead() async throws {
        _ = try await log.initialize(partitions: 1, createdAt: 1)
        for sequence in 1...6 as ClosedRange<UInt64> {
            _ = try await log.append(partition: 0, after: sequence - 1, payload: [1], idempotencyKeys: [:])
        }
        // Two nodes trimming at once, at different points: the later start wins either way.
        async let first: Void = log.trim(partition: 0, before: 5)
        async let second: Void = log.trim(partition: 0, before: 3)
        _ = try await (first, second)
        #expect(try await log.start(partition: 0) == 5)
        try await log.trim(partition: 0, before: 2)
        #expect(try await log.start(partition: 0) == 5)
        // Past the head it stops right after it, and the next append still lands in order.
        try await log.trim(partition: 0, before: 100)
        #expect(try await log.start(partition: 0) == 7)
        #expect(try await log.entries(partition: 0, from: 7, limit: 10).isEmpty)
        #expect(
            try await log.append(partition: 0, after: 6, payload: [7], idempotencyKeys: [:]) == .appended(sequence: 7))
        #expect(try await log.entries(partition: 0, from: 7, limit: 10).map(\.payload) == [[7]])
        try await log.compactHistory()
        #expect(try await log.entries(partition: 0, from: 7, limit: 10).count == 1)
    }

    @Test func theClusterSecretIsMadeOnceAndSharedByEveryNode() async throws {
        let other = EtcdReplicationLog(client: EtcdClient(endpoints: etcd.endpoints), keys: log.keys)
        async let mine = log.clusterSecret()
        async let theirs = other.clusterSecret()
        let (a, b) = try await (mine, theirs)
        #expect(a == b)
        #expect(a.count == 64 && a.allSatisfy(\.isHexDigit))
        #expect(try await log.clusterSecret() == a)
    }

    @Test func registrationsLiveOnTheirLease() async throws {
        let lease = try await log.client.grantLease(ttl: 60)
        let manifest = SnapshotManifest(sequences: [0: 4, 1: 2], bytes: 10, sha256: "ab", created: 5)
        try await log.register(
            NodeRegistration(name: "n1", url: "http://a", applied: [0: 7], snapshot: manifest, updated: 1), lease: lease
        )
        let nodes = try await log.liveNodes()
        #expect(nodes.map(\.name) == ["n1"])
        #expect(nodes.first?.applied(0) == 7 && nodes.first?.applied(1) == 0)
        #expect(nodes.first?.snapshot == manifest)
        #expect(manifest.header == "0:4,1:2")
        // Gone with its lease (a stopping node revokes it; a dead one's runs out).
        try await log.client.revokeLease(lease)
        #expect(try await log.liveNodes().isEmpty)
    }

    @Test func partitionsAreStable() {
        let map = PartitionMap(count: 4)
        #expect(map.partition(of: nil) == 0)
        // FNV-1a 32 reference values (offset basis; "a" from the published test vectors).
        #expect(PartitionMap.fnv1a("") == 2_166_136_261)
        #expect(PartitionMap.fnv1a("a") == 0xE40C_292C)
        let namespaces = (0..<400).map { Namespace("acct\($0)/default") }
        let spread = Dictionary(grouping: namespaces, by: map.partition(of:)).mapValues(\.count)
        #expect(spread.keys.sorted() == [0, 1, 2, 3])
        #expect(spread.values.allSatisfy { $0 > 50 })
    }
}

/// Fails instead of hanging when `body` takes longer than `limit` (a hang guard, not a speed test).
func withTimeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        guard let first = try await group.next(), let value = first else {
            group.cancelAll()
            throw TestClusterError(message: "timed out after \(limit)")
        }
        group.cancelAll()
        return value
    }
}
