/// Where each partition's log may start: entries before it are needed by no live node and by
/// no one catching up from the best snapshot, and are not among the newest `retained`.
///
/// The best snapshot is the one that has applied the most entries; a node that installs it
/// tails each partition from the snapshot's sequence + 1, and a live node from its applied
/// sequence + 1, so the log keeps both. Without any snapshot nothing is trimmed (a new node
/// must be able to replay the whole log).
public enum TrimPolicy {
    public static func firstKept(
        partitions: UInt32, heads: [UInt32: UInt64], nodes: [NodeRegistration], retained: UInt64
    ) -> [UInt32: UInt64] {
        guard let best = nodes.compactMap(\.snapshot).max(by: { $0.total < $1.total }) else {
            return Dictionary(uniqueKeysWithValues: (0..<partitions).map { ($0, 1) })
        }
        var result: [UInt32: UInt64] = [:]
        for partition in 0..<partitions {
            var first = best.sequence(partition) + 1
            for node in nodes { first = min(first, node.applied(partition) + 1) }
            let head = heads[partition] ?? 0
            first = min(first, head >= retained ? head - retained + 1 : 1)
            result[partition] = max(first, 1)
        }
        return result
    }

    /// The snapshots a node can catch up from, best first: those whose every partition's
    /// sequence + 1 is still in the log (`starts`).
    static func usable(_ nodes: [NodeRegistration], starts: [UInt32: UInt64]) -> [NodeRegistration] {
        nodes.filter { node in
            guard let snapshot = node.snapshot else { return false }
            return starts.allSatisfy { partition, start in snapshot.sequence(partition) + 1 >= start }
        }.sorted { ($0.snapshot?.total ?? 0) > ($1.snapshot?.total ?? 0) }
    }
}
