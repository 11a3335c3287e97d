import Foundation
import LabelIndex
import Logging

/// The server is shutting down and no longer takes writes.
struct ServiceUnavailable: Error {
    var message = "the server is shutting down"
}

/// Group commit: the single owner of the LMDB write transaction.
///
/// Requests enqueue closures over `Writer`; one dedicated thread takes everything queued,
/// runs it in one write transaction (each request in its own nested transaction, so a request
/// that throws rolls back alone), commits once, and only then answers every request of the
/// group. Under load a commit (and its fsync) is shared by all requests that arrived while the
/// previous one was being written; with one client it is a transaction per request.
///
/// LMDB ties a write transaction to its thread, so nothing in here ever suspends.
final class WriteQueue: @unchecked Sendable {
    /// Counters since start, for `/v1/stats`, `/metrics` and tests.
    struct Statistics: Sendable, Equatable {
        var commits = 0
        var requests = 0
        var failedRequests = 0
        var largestBatch = 0
        var failedCommits = 0
    }

    private final class PendingWrite {
        /// Runs the request's body (possibly more than once: the engine retries a transaction
        /// after growing the map) and keeps its latest output.
        let run: (Writer) throws -> Void
        /// Answers the request once its transaction is durable (or failed).
        let finish: (Result<Void, any Error>) -> Void

        init(run: @escaping (Writer) throws -> Void, finish: @escaping (Result<Void, any Error>) -> Void) {
            self.run = run
            self.finish = finish
        }
    }

    private final class OutputSlot<T>: @unchecked Sendable {
        var value: T?
    }

    let store: LabelStore
    private let maximumBatch: Int
    private let logger: Logger
    private let onCommit: @Sendable (_ batchSize: Int, _ seconds: Double) -> Void
    /// `Writer.nested` is unavailable with `MDB_WRITEMAP`; such stores get a transaction per
    /// request instead of shared commits.
    private let isolatesByNesting: Bool
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [PendingWrite] = []
    private var accepting = true
    private var threadFinished = false
    private var statistics = Statistics()

    init(
        store: LabelStore, maximumBatch: Int, logger: Logger,
        onCommit: @escaping @Sendable (_ batchSize: Int, _ seconds: Double) -> Void = { _, _ in }
    ) {
        self.store = store
        self.maximumBatch = max(1, maximumBatch)
        self.logger = logger
        self.onCommit = onCommit
        self.isolatesByNesting = !store.options.writeMap
        // Named from inside the thread: on Linux that is what sets the name tools like `top -H`
        // and `perf` show.
        Thread { [self] in
            Thread.current.name = "lix-writer"
            self.loop()
        }.start()
    }

    /// Runs `body` in the next group commit and returns its result once that commit is durable.
    /// If `body` throws, only its own changes are rolled back and its error is rethrown here.
    func perform<T: Sendable>(_ body: @escaping @Sendable (Writer) throws -> T) async throws -> T {
        let slot = OutputSlot<T>()
        return try await withCheckedThrowingContinuation { continuation in
            let write = PendingWrite(
                run: { writer in slot.value = try body(writer) },
                finish: { outcome in
                    switch outcome {
                    case .success:
                        // `run` succeeded in the committed attempt, so the slot is filled.
                        continuation.resume(returning: slot.value!)
                    case .failure(let error):
                        continuation.resume(throwing: error)
                    }
                })
            condition.lock()
            guard accepting else {
                condition.unlock()
                continuation.resume(throwing: ServiceUnavailable())
                return
            }
            pending.append(write)
            condition.signal()
            condition.unlock()
        }
    }

    /// Requests waiting for the next commit.
    var pendingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count
    }

    var currentStatistics: Statistics {
        condition.lock()
        defer { condition.unlock() }
        return statistics
    }

    /// Stops taking writes, commits everything already queued, and stops the thread.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                condition.lock()
                accepting = false
                condition.broadcast()
                while !threadFinished { condition.wait() }
                condition.unlock()
                continuation.resume()
            }
            thread.start()
        }
    }

    // MARK: The writer thread

    private func loop() {
        while true {
            condition.lock()
            while pending.isEmpty && accepting { condition.wait() }
            if pending.isEmpty {
                threadFinished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = Array(pending.prefix(maximumBatch))
            pending.removeFirst(batch.count)
            condition.unlock()
            if isolatesByNesting {
                commitTogether(batch)
            } else {
                batch.forEach { commitAlone($0) }
            }
        }
    }

    private func commitTogether(_ batch: [PendingWrite]) {
        let clock = ContinuousClock()
        let start = clock.now
        var outcomes: [Result<Void, any Error>] = []
        do {
            try store.write { writer in
                // Reset on every attempt: a retried transaction reruns every request.
                outcomes = []
                outcomes.reserveCapacity(batch.count)
                for write in batch {
                    outcomes.append(Result { try writer.nested { try write.run($0) } })
                }
            }
        } catch {
            // Requests are counted once, by the commit that answers them.
            record(batchSize: batch.count > 1 ? 0 : 1, failed: batch.count > 1 ? 0 : 1, commitFailed: true)
            // A commit fails for the group (a full disk, say) while one large member may be the
            // only one that does not fit: halves retry alone, down to single requests, so each
            // request fails only for its own reasons.
            if batch.count > 1 {
                logger.warning(
                    "group commit failed; retrying its requests in smaller groups",
                    metadata: ["error": "\(error)", "requests": "\(batch.count)"])
                let half = batch.count / 2
                commitTogether(Array(batch[..<half]))
                commitTogether(Array(batch[half...]))
            } else {
                logger.error("commit failed", metadata: ["error": "\(error)"])
                batch[0].finish(.failure(error))
            }
            return
        }
        let elapsed = clock.now - start
        onCommit(batch.count, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        record(batchSize: batch.count, failed: outcomes.count { if case .failure = $0 { true } else { false } })
        for (write, outcome) in zip(batch, outcomes) { write.finish(outcome) }
    }

    private func commitAlone(_ write: PendingWrite) {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try store.write { try write.run($0) }
            let elapsed = clock.now - start
            onCommit(1, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            record(batchSize: 1, failed: 0)
            write.finish(.success(()))
        } catch {
            record(batchSize: 1, failed: 1)
            write.finish(.failure(error))
        }
    }

    private func record(batchSize: Int, failed: Int, commitFailed: Bool = false) {
        condition.lock()
        if commitFailed { statistics.failedCommits += 1 } else { statistics.commits += 1 }
        statistics.requests += batchSize
        statistics.failedRequests += failed
        statistics.largestBatch = max(statistics.largestBatch, batchSize)
        condition.unlock()
    }
}
