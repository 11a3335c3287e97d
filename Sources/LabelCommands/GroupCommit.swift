import Foundation
import LabelIndex

/// Counters of a store's group commit since it started, for `/v1/stats`, `/metrics` and tests.
public struct GroupCommitStatistics: Sendable, Equatable {
    /// Transactions committed.
    public var commits = 0
    /// Submissions answered (applied or failed).
    public var submissions = 0
    /// Submissions that failed (their own error, or a commit that failed even alone).
    public var failedSubmissions = 0
    /// The most submissions committed in one transaction.
    public var largestBatch = 0
    /// Commits that failed; their members were retried in smaller groups.
    public var failedCommits = 0
    /// Submissions waiting for the next commit now.
    public var pending = 0
    /// Submissions the writer thread is applying or committing now (taken from the queue, not
    /// yet answered).
    public var committing = 0
}

/// The writer thread of one store: the single owner of its LMDB write transactions for
/// submissions.
///
/// Submissions queue here; the thread takes everything queued (at most `maximumBatch`), applies
/// each in its own nested transaction (a failing one rolls back alone), commits once and only
/// then answers every submission of the group. When the commit itself fails (a full disk, say),
/// the group is split in halves and each half committed on its own, down to single
/// submissions, so a submission fails only for its own reasons. LMDB ties a write transaction to
/// its thread, so nothing on the thread ever suspends; callers wait on continuations, never
/// blocking the cooperative pool.
final class GroupCommit: @unchecked Sendable {
    struct Configuration: Sendable {
        var maximumBatch = 1_024
        var onCommit: @Sendable (_ batchSize: Int, _ seconds: Double) -> Void = { _, _ in }
    }

    private final class Pending {
        let submission: CommandSubmission
        let continuation: CheckedContinuation<[CommandResult], any Error>
        init(_ submission: CommandSubmission, _ continuation: CheckedContinuation<[CommandResult], any Error>) {
            self.submission = submission
            self.continuation = continuation
        }
    }

    /// What the thread shares with submitters; the thread holds this, not the store, so a store
    /// nobody uses any more is released (and its thread ends).
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        // Guarded by `condition`.
        var pending: [Pending] = []
        var closed = false
        var configuration = Configuration()
        var statistics = GroupCommitStatistics()
    }

    private let queue = Queue()

    private final class WeakStore: Sendable {
        weak let store: LabelStore?
        init(_ store: LabelStore) { self.store = store }
    }

    init(store: LabelStore) {
        let queue = queue
        // `writeMap` stores cannot nest transactions: each submission commits alone there.
        let nests = !store.options.writeMap
        let reference = WeakStore(store)
        // Named from inside the thread: on Linux that is what sets the name `top -H` shows.
        Thread {
            Thread.current.name = "lix-writer"
            Self.loop(queue: queue, nests: nests) { reference.store }
        }.start()
    }

    deinit {
        queue.condition.lock()
        queue.closed = true
        queue.condition.broadcast()
        queue.condition.unlock()
    }

    func configure(_ change: (inout Configuration) -> Void) {
        queue.condition.lock()
        change(&queue.configuration)
        queue.condition.unlock()
    }

    var statistics: GroupCommitStatistics {
        queue.condition.lock()
        defer { queue.condition.unlock() }
        var statistics = queue.statistics
        statistics.pending = queue.pending.count
        return statistics
    }

    func submit(_ submission: CommandSubmission) async throws -> [CommandResult] {
        try await withCheckedThrowingContinuation { continuation in
            queue.condition.lock()
            queue.pending.append(Pending(submission, continuation))
            queue.condition.signal()
            queue.condition.unlock()
        }
    }

    // MARK: The writer thread

    private static func loop(queue: Queue, nests: Bool, store: () -> LabelStore?) {
        while true {
            queue.condition.lock()
            while queue.pending.isEmpty && !queue.closed { queue.condition.wait() }
            if queue.pending.isEmpty {
                queue.condition.unlock()
                return
            }
            let batch = Array(queue.pending.prefix(max(1, queue.configuration.maximumBatch)))
            queue.pending.removeFirst(batch.count)
            queue.statistics.committing += batch.count
            let onCommit = queue.configuration.onCommit
            queue.condition.unlock()
            guard let store = store() else {
                record(queue, batchSize: batch.count, failed: batch.count, committed: false)
                for member in batch {
                    member.continuation.resume(throwing: LabelIndexError.corrupted("the store was closed"))
                }
                continue
            }
            if nests {
                commit(batch, store: store, queue: queue, onCommit: onCommit)
            } else {
                for member in batch { commit([member], store: store, queue: queue, onCommit: onCommit) }
            }
        }
    }

    /// Commits `batch` together; on a failed commit retries each half, down to one submission.
    private static func commit(
        _ batch: [Pending], store: LabelStore, queue: Queue, onCommit: @Sendable (Int, Double) -> Void
    ) {
        let clock = ContinuousClock()
        let start = clock.now
        if batch.count == 1 {
            // Alone in its transaction: no nested transaction needed; its own failure and a failed
            // commit both abort the transaction and are its answer.
            do {
                let results = try store.write { try CommandApplier.apply(batch[0].submission, in: $0) }
                finished(batch.count, since: start, clock: clock, onCommit: onCommit)
                record(queue, batchSize: 1, failed: 0)
                batch[0].continuation.resume(returning: results)
            } catch {
                record(queue, batchSize: 1, failed: 1, committed: false)
                batch[0].continuation.resume(throwing: error)
            }
            return
        }
        var outcomes: [Result<[CommandResult], any Error>] = []
        do {
            try store.write { writer in
                // Reset on every attempt: a retried transaction (after the map grew) reruns all.
                outcomes = []
                outcomes.reserveCapacity(batch.count)
                for member in batch {
                    outcomes.append(
                        Result { try writer.nested { try CommandApplier.apply(member.submission, in: $0) } })
                }
            }
        } catch {
            record(queue, batchSize: batch.count, failed: 0, commitFailed: true)
            let middle = batch.count / 2
            commit(Array(batch[..<middle]), store: store, queue: queue, onCommit: onCommit)
            commit(Array(batch[middle...]), store: store, queue: queue, onCommit: onCommit)
            return
        }
        finished(batch.count, since: start, clock: clock, onCommit: onCommit)
        record(queue, batchSize: batch.count, failed: outcomes.count { if case .failure = $0 { true } else { false } })
        for (member, outcome) in zip(batch, outcomes) { member.continuation.resume(with: outcome) }
    }

    private static func finished(
        _ size: Int, since start: ContinuousClock.Instant, clock: ContinuousClock, onCommit: (Int, Double) -> Void
    ) {
        let elapsed = clock.now - start
        onCommit(size, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Counts a transaction's end; called before its members are answered, so a submitter that
    /// has its answer sees the counters that include it.
    private static func record(
        _ queue: Queue, batchSize: Int, failed: Int, commitFailed: Bool = false, committed: Bool = true
    ) {
        queue.condition.lock()
        if commitFailed {
            // Its members are counted when their smaller groups are answered.
            queue.statistics.failedCommits += 1
        } else {
            if committed {
                queue.statistics.commits += 1
                queue.statistics.largestBatch = max(queue.statistics.largestBatch, batchSize)
            }
            queue.statistics.submissions += batchSize
            queue.statistics.committing -= batchSize
        }
        queue.statistics.failedSubmissions += failed
        queue.condition.unlock()
    }
}

extension LabelStore {
    /// Single-node group commit: batches concurrent submissions into one LMDB transaction on the
    /// store's writer thread, each in a nested transaction (a failing submission rolls back
    /// alone and its error is thrown here); returns when the commit is durable (with `.durable`
    /// durability). When a group's commit fails, its members are retried in halves down to one,
    /// so a submission fails only for its own reasons.
    public func submit(_ submission: CommandSubmission) async throws -> [CommandResult] {
        try await groupCommit.submit(submission)
    }

    /// Applies one submission now, in its own transaction on the calling thread (for tools that
    /// write once, such as the CLI). It waits for the writer lock like any write.
    @discardableResult
    public func apply(_ submission: CommandSubmission) throws -> [CommandResult] {
        try write { try CommandApplier.apply(submission, in: $0) }
    }

    /// Sets the group commit's largest batch (default 1,024 submissions) and a callback run after
    /// every commit with its size and duration (metrics).
    public func configureGroupCommit(
        maximumBatch: Int, onCommit: @escaping @Sendable (_ batchSize: Int, _ seconds: Double) -> Void = { _, _ in }
    ) {
        groupCommit.configure {
            $0.maximumBatch = max(1, maximumBatch)
            $0.onCommit = onCommit
        }
    }

    /// The group commit's counters since the store was opened.
    public var groupCommitStatistics: GroupCommitStatistics { groupCommit.statistics }

    var groupCommit: GroupCommit { attachment.value(orMake: { GroupCommit(store: self) }) }
}
