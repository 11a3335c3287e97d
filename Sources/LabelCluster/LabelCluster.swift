// LabelCluster: replication of a LabelIndex store through an ordered log in etcd.
//
// This target owns the cluster mode: the `ReplicationLog` seam and its etcd implementation
// (an HTTP/JSON gateway client, the key layout under `/lix/`, compare-and-swap appends, range
// reads, watches, trimming), the partition function, the replicated write path
// (`ReplicatedNode`, a `ReplicationService` of LabelServer: group commit over etcd, idempotency
// keys, waiting for the local apply), the tailers that apply every partition's log in order,
// node registrations, and snapshots (publishing, serving, fetching for catch-up). The engine
// and the server know nothing of etcd; embedded single-node use never loads this target.

import LabelIndex

/// How namespaces map to partitions: FNV-1a (32-bit) of the namespace's UTF-8 name, modulo the
/// partition count fixed by `labelindex cluster init`. System commands (API keys; submissions
/// without a namespace) go to partition 0. The function never changes, so a cluster's data
/// stays where it was written.
public struct PartitionMap: Sendable, Hashable {
    public let count: UInt32

    /// Largest partition count `cluster init` accepts (each partition is one tailer per node).
    public static let maximumCount: UInt32 = 256

    public init(count: UInt32) {
        precondition((1...Self.maximumCount).contains(count), "partition count must be in 1...\(Self.maximumCount)")
        self.count = count
    }

    public func partition(of namespace: Namespace?) -> UInt32 {
        guard let namespace else { return 0 }
        return Self.fnv1a(namespace.name) % count
    }

    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }
}

/// The etcd keys of a cluster, all under `/lix/`:
///
/// | Key                          | Value                                                   |
/// |------------------------------|---------------------------------------------------------|
/// | `/lix/cluster`               | JSON `{"partitions": N, "created": ms}` (`cluster init`) |
/// | `/lix/p/{p}/head`            | the partition's last sequence, decimal                  |
/// | `/lix/p/{p}/start`           | the first sequence still in the log (after trims)       |
/// | `/lix/p/{p}/log/{seq:020}`   | one log entry (`LogEntryEnvelope`)                      |
/// | `/lix/idem/{key}`            | `p:seq:index` of the write that used the key, on a lease |
/// | `/lix/nodes/{name}`          | a live node's `NodeRegistration` (JSON: URL, applied    |
/// |                              | sequences, newest snapshot), on a 10 s lease            |
/// | `/lix/secret`                | the secret nodes present to fetch snapshots from peers  |
package struct ClusterKeys: Sendable, Hashable {
    /// Every key starts with this; `/lix/` in production (tests use their own roots).
    package let root: String

    package init(root: String = "/lix/") {
        precondition(root.hasPrefix("/") && root.hasSuffix("/"), "a key root starts and ends with /")
        self.root = root
    }

    package var cluster: String { root + "cluster" }
    package func head(_ partition: UInt32) -> String { root + "p/\(partition)/head" }
    package func start(_ partition: UInt32) -> String { root + "p/\(partition)/start" }
    package func logPrefix(_ partition: UInt32) -> String { root + "p/\(partition)/log/" }
    package func log(_ partition: UInt32, _ sequence: UInt64) -> String { logPrefix(partition) + Self.padded(sequence) }
    package var idempotencyPrefix: String { root + "idem/" }
    package func idempotency(_ key: String) -> String { idempotencyPrefix + key }
    package var nodesPrefix: String { root + "nodes/" }
    package func node(_ name: String) -> String { nodesPrefix + name }
    package var secret: String { root + "secret" }

    /// The sequence of a log key, or nil when `key` is not one of `partition`'s log keys.
    package func sequence(ofLogKey key: String, partition: UInt32) -> UInt64? {
        let prefix = logPrefix(partition)
        guard key.hasPrefix(prefix) else { return nil }
        return UInt64(key.dropFirst(prefix.count))
    }

    static func padded(_ sequence: UInt64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
