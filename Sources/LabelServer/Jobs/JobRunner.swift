import LabelIndex
import Logging
import Roaring
import Synchronization

/// Runs queued bulk label jobs: each job applies its change chunk by chunk through the group
/// commit writer, so other writes keep flowing while a large job runs.
final class JobRunner: Sendable {
    private let writes: WriteQueue
    private let chunkSize: Int
    private let logger: Logger
    private let metrics: ServerMetrics
    private let running = Mutex<[String: Task<Void, Never>]>([:])

    init(writes: WriteQueue, chunkSize: Int, logger: Logger, metrics: ServerMetrics) {
        self.writes = writes
        self.chunkSize = max(1, chunkSize)
        self.logger = logger
        self.metrics = metrics
    }

    /// Starts a job whose record is already stored as `queued`. `ordinals` are the assets the
    /// filters matched on the snapshot the job was accepted on.
    func start(_ job: BulkJob, namespace: Namespace, change: LabelChange, ordinals: [UInt32]) {
        // Registered under the lock the task needs to deregister itself, so it cannot finish
        // before it is registered.
        running.withLock { tasks in
            tasks[job.id] = Task { [self] in
                await self.execute(job, namespace: namespace, change: change, ordinals: ordinals)
                _ = running.withLock { $0.removeValue(forKey: job.id) }
            }
        }
    }

    /// Waits until every started job has finished (graceful shutdown).
    func waitForAll() async {
        while let (_, task) = running.withLock({ $0.first }) {
            await task.value
            _ = running.withLock { tasks in
                tasks.first(where: { $0.value == task }).map { tasks.removeValue(forKey: $0.key) }
            }
        }
    }

    private func execute(_ job: BulkJob, namespace: Namespace, change: LabelChange, ordinals: [UInt32]) async {
        let chunks = stride(from: 0, to: ordinals.count, by: chunkSize).map {
            Array(ordinals[$0..<min($0 + chunkSize, ordinals.count)])
        }
        do {
            for (position, chunk) in chunks.enumerated() {
                let isLast = position == chunks.count - 1
                try await writes.perform { writer in
                    let changed = try writer.namespace(namespace).apply(change, toOrdinals: RoaringBitmap(chunk))
                    var record = try BulkJob.load(id: job.id, from: writer) ?? job
                    record.status = isLast ? .succeeded : .running
                    record.startedAt = record.startedAt ?? BulkJob.nowMilliseconds()
                    record.processed += chunk.count
                    record.changed += changed
                    if isLast { record.finishedAt = BulkJob.nowMilliseconds() }
                    try record.store(in: writer)
                }
            }
            metrics.recordJob(outcome: "succeeded")
        } catch {
            logger.error("bulk job failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            metrics.recordJob(outcome: "failed")
            let message = String(describing: error)
            _ = try? await writes.perform { writer in
                var record = try BulkJob.load(id: job.id, from: writer) ?? job
                record.status = .failed
                record.finishedAt = BulkJob.nowMilliseconds()
                record.error = message
                try record.store(in: writer)
            }
        }
    }
}
