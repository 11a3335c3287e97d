import Foundation
import LabelCommands
import LabelIndex
import LabelServer
import Logging
import Synchronization

/// One node of a cluster: its writes go through the partitions' logs in etcd, and it applies
/// every partition's log, in order, to its own store — so every node holds every namespace and
/// any node can answer any read.
///
/// A write is acknowledged when its entry is committed in etcd (quorum-durable) and this node
/// has applied it, so the client reads its own write on the node it wrote to; other nodes apply
/// it within their replication lag. The server uses it as its `WritePath`.
public final class ReplicatedNode: WritePath, Sendable {
    public let store: LabelStore
    public let partitions: PartitionMap
    let log: any ReplicationLog
    let logger: Logger
    let progress: ApplyProgress
    let applier: LogApplier
    private let appenders: [PartitionAppender]
    private let tailers = Mutex<[Task<Void, Never>]>([])
    /// Longest a write waits for this node to apply it after etcd committed it.
    public let applyTimeout: Duration
    /// Called when a partition's log was trimmed past what this node applied (its
    /// registration lapsed while it was cut off from etcd): only a snapshot can bring it back,
    /// which `SnapshotInstaller` installs when the node starts again.
    let onTrimmedPast: @Sendable (_ partition: UInt32, _ start: UInt64) -> Void

    /// A node over `store`; call `start()` to follow the logs.
    public init(
        store: LabelStore, log: any ReplicationLog, partitions: PartitionMap, logger: Logger,
        applyTimeout: Duration = .seconds(10), maximumEntryBytes: Int = EtcdReplicationLog.maximumEntryBytes,
        onTrimmedPast: @escaping @Sendable (_ partition: UInt32, _ start: UInt64) -> Void = { _, _ in }
    ) throws {
        self.onTrimmedPast = onTrimmedPast
        self.store = store
        self.log = log
        self.partitions = partitions
        self.logger = logger
        self.applyTimeout = applyTimeout
        let progress = ApplyProgress(applied: try store.appliedSequences())
        self.progress = progress
        self.applier = LogApplier(store: store, progress: progress, logger: logger)
        self.appenders = (0..<partitions.count).map {
            PartitionAppender(partition: $0, log: log, maximumEntryBytes: maximumEntryBytes)
        }
    }

    /// Starts one tailer per partition, each from the sequence after the last one applied.
    public func start() {
        let tasks = (0..<partitions.count).map { partition in
            Task { [self] in await tail(partition) }
        }
        tailers.withLock { $0 = tasks }
    }

    /// Stops following the logs, applies what was received, and wakes waiting writers.
    public func stop() async {
        let tasks = tailers.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        applier.stop()
        progress.stop()
    }

    /// The last applied sequence of every partition this node has applied entries of.
    public var appliedSequences: [UInt32: UInt64] { progress.allApplied }

    public func submit(_ submission: CommandSubmission) async throws -> [CommandResult] {
        let partition = partitions.partition(of: submission.namespace)
        let appended = try await appenders[Int(partition)].append(submission)
        let outcomes = try await withApplyTimeout(partition: partition, sequence: appended.sequence)
        guard let outcomes, appended.index < outcomes.count else {
            if let record = appended.duplicateOf {
                throw DuplicateWrite(partition: record.partition, sequence: record.sequence)
            }
            throw WriteUnavailable(
                message:
                    "the write is committed in the log (partition \(partition), sequence \(appended.sequence)) but its result is no longer known on this node"
            )
        }
        return try outcomes[appended.index].get()
    }

    public func appliedSequenceHeader(for namespace: Namespace?) -> String? {
        guard let namespace else {
            let applied = progress.allApplied
            return (0..<partitions.count).map { "\($0):\(applied[$0] ?? 0)" }.joined(separator: ",")
        }
        let partition = partitions.partition(of: namespace)
        return "\(partition):\(progress.applied(partition))"
    }

    /// Waits until this node has applied `sequence` of `partition` (or `timeout` passes).
    /// - Returns: whether it has.
    public func waitForApplied(partition: UInt32, sequence: UInt64, timeout: Duration) async -> Bool {
        if progress.applied(partition) >= sequence { return true }
        _ = try? await withTimeout(timeout) { await self.progress.outcomes(partition: partition, sequence: sequence) }
        return progress.applied(partition) >= sequence
    }

    private func withApplyTimeout(partition: UInt32, sequence: UInt64) async throws -> ApplyProgress.Outcomes? {
        do {
            return try await withTimeout(applyTimeout) {
                await self.progress.outcomes(partition: partition, sequence: sequence)
            }
        } catch is ApplyTimedOut {
            throw WriteUnavailable(
                message:
                    "the write is committed in the log (partition \(partition), sequence \(sequence)) but this node has not applied it within \(applyTimeout); it will be applied"
            )
        }
    }

    private func tail(_ partition: UInt32) async {
        var next = progress.applied(partition) + 1
        while !Task.isCancelled {
            do {
                for try await entry in log.follow(partition: partition, from: next) {
                    let submissions = try CommandCodec.decode(entry.payload)
                    applier.enqueue(
                        LogApplier.Entry(partition: partition, sequence: entry.sequence, submissions: submissions))
                    next = entry.sequence + 1
                }
            } catch is CancellationError {
                return
            } catch let error as ReplicationLogError {
                logger.error(
                    "partition \(partition) cannot be followed: \(error)", metadata: ["next": "\(next)"])
                if case .trimmed(let start) = error { onTrimmedPast(partition, start) }
                try? await Task.sleep(for: .seconds(5))
            } catch {
                // An entry this build cannot decode (written by a newer version): stop here
                // rather than skip it, so this node never diverges.
                logger.critical(
                    "partition \(partition) stopped at sequence \(next): \(error); upgrade this node",
                    metadata: ["partition": "\(partition)"])
                return
            }
        }
    }
}

struct ApplyTimedOut: Error {}

/// Runs `body`, throwing `ApplyTimedOut` when it takes longer than `timeout`.
func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { await body() }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        while let result = try await group.next() {
            if let result { return result }
            throw ApplyTimedOut()
        }
        throw ApplyTimedOut()
    }
}
