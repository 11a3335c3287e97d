import Foundation
import LabelCommands
import LabelIndex
import Logging

/// The thread that applies log entries to the local store. Tailers hand it entries as they
/// arrive; it applies everything waiting (of every partition, each in order) in one
/// transaction, so a burst of entries costs one commit, and records each entry's applied
/// sequence in that same transaction (a crash never applies an entry twice or skips one).
/// LMDB ties a write transaction to its thread, so the tailers' tasks never block on it.
final class LogApplier: @unchecked Sendable {
    struct Entry {
        var partition: UInt32
        var sequence: UInt64
        var submissions: [CommandSubmission]
    }

    /// Most entries applied in one transaction.
    static let maximumBatch = 512

    let store: LabelStore
    let progress: ApplyProgress
    let logger: Logger
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: [Entry] = []
    private var stopping = false
    private var finished = false

    init(store: LabelStore, progress: ApplyProgress, logger: Logger) {
        self.store = store
        self.progress = progress
        self.logger = logger
        Thread { [self] in
            Thread.current.name = "lix-apply"
            loop()
        }.start()
    }

    func enqueue(_ entry: Entry) {
        condition.lock()
        pending.append(entry)
        condition.signal()
        condition.unlock()
    }

    /// Applies what is queued, then ends the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            if pending.isEmpty {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = Array(pending.prefix(Self.maximumBatch))
            pending.removeFirst(batch.count)
            condition.unlock()
            apply(batch)
        }
    }

    private func apply(_ batch: [Entry]) {
        var outcomes: [ApplyProgress.Outcomes?] = []
        do {
            try store.write { writer in
                outcomes = []
                for entry in batch {
                    outcomes.append(
                        try writer.applyLogEntry(
                            partition: entry.partition, sequence: entry.sequence, submissions: entry.submissions))
                }
            }
        } catch {
            // The store cannot take the entries (a full disk, say): nothing of the batch was
            // applied. Retrying keeps the order; the tailers stay behind until it succeeds.
            logger.error(
                "cannot apply log entries; retrying in 1 s",
                metadata: ["error": "\(error)", "entries": "\(batch.count)"])
            Thread.sleep(forTimeInterval: 1)
            condition.lock()
            // On stop they stay in the log, and the next start applies them.
            if !stopping { pending.insert(contentsOf: batch, at: 0) }
            condition.unlock()
            return
        }
        for (entry, outcome) in zip(batch, outcomes) {
            progress.record(partition: entry.partition, sequence: entry.sequence, outcomes: outcome)
        }
    }
}
