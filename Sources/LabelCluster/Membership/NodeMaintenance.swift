import Foundation
import LabelIndex
import Logging
import Synchronization

/// What a replicated node does beside applying the log: it keeps its registration in etcd
/// (URL, applied sequences, newest snapshot) on a lease, takes a snapshot of its store every
/// `snapshotInterval` when it has applied something new, and trims every partition's log
/// behind what no live node and no catch-up from the best snapshot needs (`TrimPolicy`), then
/// compacts etcd's history, so the log stays within etcd's quota however long the cluster runs.
public final class NodeMaintenance: Sendable {
    public struct Options: Sendable {
        /// The node's name in the cluster; stable across restarts.
        public var name: String
        /// Time between snapshots (taken only when something new was applied); nil takes none.
        public var snapshotInterval: Duration? = .seconds(600)
        /// Time between trims of the log; nil never trims.
        public var trimInterval: Duration? = .seconds(60)
        /// Newest entries of each partition never trimmed, so a node that restarts within them
        /// replays rather than fetches a snapshot.
        public var retainedEntries: UInt64 = 10_000
        /// Seconds a registration outlives its node's last renewal.
        public var registrationTTL: Int64 = 10

        public init(name: String) { self.name = name }
    }

    public let options: Options
    /// What the server serves at `GET /v1/cluster/snapshot`.
    public let snapshots: SnapshotKeeper
    let node: ReplicatedNode
    let log: EtcdReplicationLog
    let logger: Logger
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let lease = Mutex<Int64?>(nil)

    public init(node: ReplicatedNode, log: EtcdReplicationLog, options: Options, logger: Logger) {
        self.node = node
        self.log = log
        self.options = options
        self.logger = logger
        snapshots = SnapshotKeeper(store: node.store)
    }

    /// Starts the loops; peers fetch this node's snapshots from `url`.
    public func start(advertising url: String) {
        var started = [Task { [self] in await keepRegistered(url: url) }]
        if let interval = options.snapshotInterval {
            started.append(Task { [self] in await takeSnapshots(every: interval, url: url) })
        }
        if let interval = options.trimInterval { started.append(Task { [self] in await trim(every: interval) }) }
        tasks.withLock { $0 += started }
    }

    public func stop() async {
        let running = tasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
        // Gone at once rather than after the TTL: trimming waits for no stopped node.
        if let current = lease.withLock({ $0 }) { try? await log.client.revokeLease(current) }
    }

    private func registration(url: String) -> NodeRegistration {
        NodeRegistration(
            name: options.name, url: url, applied: node.appliedSequences, snapshot: snapshots.manifest,
            updated: Int64(Date().timeIntervalSince1970 * 1000))
    }

    /// Renews the lease and rewrites the registration every third of the TTL; a lease lost
    /// (etcd unreachable for longer than the TTL) is replaced by a new one.
    private func keepRegistered(url: String) async {
        var lease: Int64?
        var haveSecret = false
        while !Task.isCancelled {
            do {
                if !haveSecret {
                    snapshots.setSecret(try await log.clusterSecret())
                    haveSecret = true
                }
                if let current = lease {
                    do { try await log.client.keepAlive(lease: current) } catch { lease = nil }
                }
                let current: Int64
                if let lease {
                    current = lease
                } else {
                    current = try await log.client.grantLease(ttl: options.registrationTTL)
                }
                lease = current
                self.lease.withLock { $0 = current }
                try await log.register(registration(url: url), lease: current)
            } catch {
                lease = nil
                logger.warning("cannot renew this node's registration in etcd", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(max(1, Double(options.registrationTTL) / 3)))
        }
    }

    private func takeSnapshots(every interval: Duration, url: String) async {
        var taken = snapshots.manifest.map { manifest in
            Dictionary(
                uniqueKeysWithValues: manifest.sequences.compactMap { key, value in UInt32(key).map { ($0, value) } })
        }
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let applied = node.appliedSequences
            guard !applied.isEmpty, applied != taken, !Task.isCancelled else { continue }
            let keeper = snapshots
            let milliseconds = Int64(Date().timeIntervalSince1970 * 1000)
            do {
                // Off the cooperative pool: a large store takes seconds to copy.
                let manifest = try await onThread { try keeper.make(now: milliseconds) }
                taken = applied
                // The registration loop publishes it within a third of the TTL.
                logger.info(
                    "snapshot taken",
                    metadata: ["bytes": "\(manifest.bytes)", "sequences": "\(manifest.header)"])
            } catch {
                logger.error("cannot take a snapshot", metadata: ["error": "\(error)"])
            }
        }
    }

    private func trim(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            do {
                let nodes = try await log.liveNodes()
                var heads: [UInt32: UInt64] = [:]
                for partition in 0..<node.partitions.count {
                    heads[partition] = try await log.head(partition: partition)
                }
                let firstKept = TrimPolicy.firstKept(
                    partitions: node.partitions.count, heads: heads, nodes: nodes, retained: options.retainedEntries)
                var trimmed = false
                for (partition, first) in firstKept.sorted(by: { $0.key < $1.key }) where first > 1 {
                    let before = try await log.start(partition: partition)
                    guard first > before else { continue }
                    try await log.trim(partition: partition, before: first)
                    trimmed = true
                    logger.info("log trimmed", metadata: ["partition": "\(partition)", "start": "\(first)"])
                }
                if trimmed { try await log.compactHistory() }
            } catch {
                logger.warning("cannot trim the log", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Runs `body` on a thread of its own and returns its result.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
