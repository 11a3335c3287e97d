import LabelCommands
import LabelIndex
import Logging
import Synchronization

/// Runs queued bulk label jobs: each job applies its change chunk by chunk through the write
/// path, so other writes keep flowing while a large job runs. A chunk is a command over an
/// ordinal range of the matched assets: the job's selector is evaluated again, within that
/// range, when the chunk is applied (the query, never its expansion, is what a command carries),
/// so an asset that stopped matching since the job was accepted is left alone.
final class JobRunner: Sendable {
    private let writePath: any WritePath
    private let chunkSize: Int
    private let logger: Logger
    private let metrics: ServerMetrics
    private let running = Mutex<[String: Task<Void, Never>]>([:])

    init(writePath: any WritePath, chunkSize: Int, logger: Logger, metrics: ServerMetrics) {
        self.writePath = writePath
        self.chunkSize = max(1, chunkSize)
        self.logger = logger
        self.metrics = metrics
    }

    /// Starts a job whose record is already stored as `queued`. `ordinals` are the assets
    /// `selector` matched on the snapshot the job was accepted on, ascending.
    func start(
        _ job: BulkJob, namespace: Namespace, selector: AssetSelector, change: LabelChange, ordinals: [UInt32]
    ) {
        // Registered under the lock the task needs to deregister itself, so it cannot finish
        // before it is registered.
        running.withLock { tasks in
            tasks[job.id] = Task { [self] in
                await self.execute(job, namespace: namespace, selector: selector, change: change, ordinals: ordinals)
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

    private func execute(
        _ job: BulkJob, namespace: Namespace, selector: AssetSelector, change: LabelChange, ordinals: [UInt32]
    ) async {
        let chunks = stride(from: 0, to: ordinals.count, by: chunkSize).map {
            ordinals[$0..<min($0 + chunkSize, ordinals.count)]
        }
        // Only this runner writes the record once it is queued: it is kept here, not reloaded.
        var record = job
        do {
            for (position, chunk) in chunks.enumerated() {
                var range = selector
                range.ordinals = chunk.first!..<(chunk.last! + 1)
                let changed = try await writePath.submit(
                    CommandSubmission(commands: [.changeLabelsMatching(namespace, range, change)], namespace: namespace)
                ).result(0) { result -> Int? in
                    if case .matched(_, let changed) = result { changed } else { nil }
                }
                let isLast = position == chunks.count - 1
                record.status = isLast ? .succeeded : .running
                record.startedAt = record.startedAt ?? BulkJob.nowMilliseconds()
                record.processed += chunk.count
                record.changed += changed
                if isLast { record.finishedAt = BulkJob.nowMilliseconds() }
                _ = try await writePath.submit(
                    CommandSubmission(commands: [try record.storeCommand()], namespace: namespace))
            }
            metrics.recordJob(outcome: "succeeded")
        } catch {
            logger.error("bulk job failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            metrics.recordJob(outcome: "failed")
            record.status = .failed
            record.finishedAt = BulkJob.nowMilliseconds()
            record.error = String(describing: error)
            if let command = try? record.storeCommand() {
                _ = try? await writePath.submit(CommandSubmission(commands: [command], namespace: namespace))
            }
        }
    }
}
