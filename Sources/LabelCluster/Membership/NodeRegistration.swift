import Foundation

/// What a live node publishes at `/lix/nodes/{name}`, on a lease it keeps renewing: where its
/// peers reach it, what it has applied (the log is never trimmed past a live node), and its
/// newest snapshot. The key disappears within the lease's TTL of the node's death.
public struct NodeRegistration: Codable, Sendable, Hashable {
    public var name: String
    /// The node's base URL (`--advertise-url`), where peers fetch its snapshot.
    public var url: String
    /// The last applied sequence of each partition, keyed by the partition's decimal number.
    public var applied: [String: UInt64]
    public var snapshot: SnapshotManifest?
    /// Milliseconds since 1970 when the node wrote this.
    public var updated: Int64

    public init(
        name: String, url: String, applied: [UInt32: UInt64], snapshot: SnapshotManifest?, updated: Int64
    ) {
        self.name = name
        self.url = url
        self.applied = SnapshotManifest.keyed(applied)
        self.snapshot = snapshot
        self.updated = updated
    }

    public func applied(_ partition: UInt32) -> UInt64 { applied[String(partition)] ?? 0 }
}

/// A snapshot as its node records it in etcd: what it holds and how to check the copy fetched.
public struct SnapshotManifest: Codable, Sendable, Hashable {
    /// What the snapshot has applied, at least, per partition (decimal keys).
    public var sequences: [String: UInt64]
    public var bytes: Int
    /// Lower-case hex SHA-256 of the snapshot's `data.mdb`.
    public var sha256: String
    /// Milliseconds since 1970 when the snapshot was taken.
    public var created: Int64

    public init(sequences: [UInt32: UInt64], bytes: Int, sha256: String, created: Int64) {
        self.sequences = Self.keyed(sequences)
        self.bytes = bytes
        self.sha256 = sha256
        self.created = created
    }

    public func sequence(_ partition: UInt32) -> UInt64 { sequences[String(partition)] ?? 0 }

    /// Entries applied in all, to rank snapshots (the newest covers the most).
    var total: UInt64 { sequences.values.reduce(0, &+) }

    /// `X-Applied-Seq` syntax, partitions in order: `0:120,1:98`.
    public var header: String {
        sequences.compactMap { key, value in UInt32(key).map { ($0, value) } }.sorted { $0.0 < $1.0 }
            .map { "\($0.0):\($0.1)" }.joined(separator: ",")
    }

    static func keyed(_ sequences: [UInt32: UInt64]) -> [String: UInt64] {
        Dictionary(uniqueKeysWithValues: sequences.map { (String($0.key), $0.value) })
    }
}

extension EtcdReplicationLog {
    /// Writes `registration` at its node's key, on `lease`.
    func register(_ registration: NodeRegistration, lease: Int64) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try await client.put(keys.node(registration.name), Array(try encoder.encode(registration)), lease: lease)
    }

    /// Every node registered now (live within its lease's TTL), by name.
    public func liveNodes() async throws -> [NodeRegistration] {
        let range = try await client.range(keys.nodesPrefix, rangeEnd: etcdPrefixEnd(keys.nodesPrefix))
        return range.kvs.compactMap { try? JSONDecoder().decode(NodeRegistration.self, from: Data($0.value)) }
            .sorted { $0.name < $1.name }
    }

    /// The secret nodes of this cluster present to fetch each other's snapshots: made by the
    /// first node that asks (random, 256 bits) and the same for every node after that.
    func clusterSecret() async throws -> String {
        if let existing = try await client.get(keys.secret) { return existing.valueString }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
        let created = try await client.txn(
            compare: [.versionEquals(key: keys.secret, version: 0)],
            success: [.put(key: keys.secret, value: Array(secret.utf8))], failure: [.get(key: keys.secret)])
        if created.succeeded { return secret }
        guard let winner = created.ranges.first?.first else { throw EtcdError.malformedResponse("no cluster secret") }
        return winner.valueString
    }
}
