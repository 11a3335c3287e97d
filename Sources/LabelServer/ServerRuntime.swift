import Foundation
import LabelCommands
import LabelIndex
import LabelQuery
import Logging

/// Everything the route handlers share: the store, the write path, the read threads,
/// the key store, the job runner and the metrics.
final class ServerRuntime: Sendable {
    let store: LabelStore
    let configuration: ServerConfiguration
    let logger: Logger
    /// Where handlers send their write commands: `ServerConfiguration.writePath`, else the
    /// store's own group commit.
    let writePath: any WritePath
    let reads: WorkerPool
    /// The expensive-query lane (`QueryCostLimits`).
    let expensiveReads: WorkerPool
    let keys: KeyVerifier
    let jobs: JobRunner
    let metrics: ServerMetrics

    init(store: LabelStore, configuration: ServerConfiguration, logger: Logger) throws {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        let metrics = ServerMetrics()
        self.metrics = metrics
        self.keys = KeyVerifier(store: store)
        store.configureGroupCommit(
            maximumBatch: configuration.maximumWriteBatch,
            onCommit: { size, seconds in metrics.recordCommit(batchSize: size, seconds: seconds) })
        self.writePath = configuration.writePath ?? LocalWritePath(store: store)
        self.reads = WorkerPool(threads: configuration.readThreads)
        let cost = configuration.limits.queryCost
        self.expensiveReads = WorkerPool(
            threads: cost.expensiveThreads, name: "lix-expensive", perTenant: cost.expensivePerAccount)
        self.jobs = JobRunner(
            writePath: writePath, chunkSize: configuration.jobChunkSize, logger: logger, metrics: metrics)
        // Jobs that were queued or running when a previous process stopped cannot resume
        // (their match set lived in memory): mark them so their status tells the truth.
        let interrupted = try store.write { try BulkJob.markInterruptedJobs(in: $0) }
        if interrupted > 0 {
            logger.warning("marked \(interrupted) unfinished bulk job(s) of a previous run as interrupted")
        }
    }

    var limits: ServerLimits { configuration.limits }

    /// The longest label name accepted: the server limit, never more than the store's.
    var maxLabelBytes: Int { min(limits.maxLabelBytes, store.options.maxLabelNameBytes) }

    /// The grant of a presented key; `nil` when it is missing or not a live key.
    func authenticate(_ presentedKey: String?) throws -> AccessGrant? {
        switch configuration.authentication {
        case .disabled:
            return .development
        case .apiKeys:
            guard let presentedKey, !presentedKey.isEmpty else { return nil }
            return try keys.grant(forPresentedKey: presentedKey)
        }
    }

    /// Runs `body` on a snapshot, on a read thread.
    func read<T: Sendable>(_ body: @escaping @Sendable (Snapshot) throws -> T) async throws -> T {
        let store = store
        return try await reads.run { try store.read(body) }
    }

    /// Applies `commands` as one submission (all or nothing) through the write path; returns
    /// their results once durable. The submission's time is now.
    @discardableResult
    func submit(_ commands: [WriteCommand], namespace: Namespace?) async throws -> [CommandResult] {
        try await writePath.submit(
            CommandSubmission(
                commands: commands, namespace: namespace, idempotencyKey: IdempotencyScope.current?.nextKey()))
    }

    /// Stops the background machinery (after the HTTP server has stopped).
    func shutdown() async {
        await jobs.waitForAll()
        reads.shutdown()
        expensiveReads.shutdown()
    }
}
