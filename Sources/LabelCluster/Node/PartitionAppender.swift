import LabelCommands
import LabelServer
import Synchronization

/// Group commit over etcd for one partition of one node: submissions that arrive while an
/// append is in flight go out together in the next entry, so a busy node makes one etcd
/// transaction per round trip instead of one per request.
final class PartitionAppender: Sendable {
    struct Waiting: Sendable {
        var submission: CommandSubmission
        var continuation: CheckedContinuation<Appended, any Error>
    }

    /// Where a submission landed: its entry and its place in it.
    struct Appended: Sendable {
        var sequence: UInt64
        var index: Int
        /// The submission's idempotency key had been used by an earlier write, recorded there.
        var duplicateOf: IdempotencyRecord?
    }

    /// Most submissions in one entry; the entry must also stay under the log's entry limit.
    static let maximumBatch = 256

    let partition: UInt32
    let log: any ReplicationLog
    let maximumEntryBytes: Int
    private struct State {
        var waiting: [Waiting] = []
        var appending = false
        /// The head this node last saw; the next append is tried after it.
        var head: UInt64 = 0
    }
    private let state = Mutex(State())

    init(partition: UInt32, log: any ReplicationLog, maximumEntryBytes: Int) {
        self.partition = partition
        self.log = log
        self.maximumEntryBytes = maximumEntryBytes
    }

    /// Appends `submission` (with others waiting) and returns where it landed, once the etcd
    /// transaction has committed.
    func append(_ submission: CommandSubmission) async throws -> Appended {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state -> Bool in
                state.waiting.append(Waiting(submission: submission, continuation: continuation))
                if state.appending { return false }
                state.appending = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let (batch, head) = state.withLock { state -> ([Waiting], UInt64) in
                let batch = Array(state.waiting.prefix(Self.maximumBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.appending = false }
                return (batch, state.head)
            }
            if batch.isEmpty { return }
            await appendBatch(batch, after: head)
        }
    }

    private func appendBatch(_ batch: [Waiting], after knownHead: UInt64) async {
        var batch = batch
        var head = knownHead
        while !batch.isEmpty {
            var keys: [String: Int] = [:]
            for (index, waiting) in batch.enumerated() {
                if let key = waiting.submission.idempotencyKey { keys[key] = index }
            }
            let payload = CommandCodec.encode(batch.map(\.submission))
            if payload.count > maximumEntryBytes {
                if batch.count == 1 {
                    batch[0].continuation.resume(
                        throwing: WriteTooLarge(bytes: payload.count, limit: maximumEntryBytes))
                    return
                }
                // Too much for one entry: the first half goes alone, the rest after it.
                let half = batch.count / 2
                await appendBatch(Array(batch[..<half]), after: head)
                batch.removeFirst(half)
                head = state.withLock { $0.head }
                continue
            }
            do {
                switch try await log.append(partition: partition, after: head, payload: payload, idempotencyKeys: keys)
                {
                case .appended(let sequence):
                    state.withLock { $0.head = max($0.head, sequence) }
                    for (index, waiting) in batch.enumerated() {
                        waiting.continuation.resume(returning: Appended(sequence: sequence, index: index))
                    }
                    return
                case .conflict(let newHead):
                    head = newHead
                    state.withLock { $0.head = max($0.head, newHead) }
                case .duplicate(let key, let record):
                    // That submission was written before: it is answered from the earlier
                    // write, the others go out without it.
                    guard let position = batch.firstIndex(where: { $0.submission.idempotencyKey == key }) else {
                        throw WriteUnavailable(message: "etcd reported an unknown idempotency key \(key)")
                    }
                    let duplicate = batch.remove(at: position)
                    duplicate.continuation.resume(
                        returning: Appended(sequence: record.sequence, index: record.index, duplicateOf: record))
                }
            } catch {
                let failure = Self.unavailable(error)
                for waiting in batch { waiting.continuation.resume(throwing: failure) }
                return
            }
        }
    }

    static func unavailable(_ error: any Error) -> any Error {
        switch error {
        case let error as ReplicationLogError:
            if case .entryTooLarge(let bytes, let limit) = error { return WriteTooLarge(bytes: bytes, limit: limit) }
            return WriteUnavailable(message: "the replicated log cannot take writes: \(error)")
        case let error as WriteUnavailable: return error
        default:
            return WriteUnavailable(
                message:
                    "etcd did not confirm the write in time (no quorum, or no member reachable: \(error)); it may or may not have been applied: retry with the same Idempotency-Key"
            )
        }
    }
}
