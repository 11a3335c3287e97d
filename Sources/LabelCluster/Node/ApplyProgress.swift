import LabelCommands
import Synchronization

/// What the node has applied, partition by partition: the applied sequence, the results of the
/// most recent entries (so a submitter can collect its reply after the apply), and the
/// submitters waiting for a sequence.
final class ApplyProgress: Sendable {
    typealias Outcomes = [Result<[CommandResult], any Error>]

    /// Entries whose results are kept per partition; a submitter registers within
    /// microseconds of its append, so this only has to outlast a burst of other nodes' writes.
    static let retainedResults = 4_096

    private struct Partition {
        var applied: UInt64 = 0
        var results: [UInt64: Outcomes] = [:]
        var waiters: [UInt64: [CheckedContinuation<Outcomes?, Never>]] = [:]
    }

    private struct State {
        var partitions: [UInt32: Partition] = [:]
        var stopped = false
    }

    private let state = Mutex(State())

    init(applied: [UInt32: UInt64]) {
        state.withLock { state in
            for (partition, sequence) in applied {
                state.partitions[partition, default: Partition()].applied = sequence
            }
        }
    }

    func applied(_ partition: UInt32) -> UInt64 { state.withLock { $0.partitions[partition]?.applied ?? 0 } }

    var allApplied: [UInt32: UInt64] { state.withLock { $0.partitions.mapValues(\.applied) } }

    /// Records an applied entry (`outcomes` nil: it had been applied before) and wakes its
    /// waiters.
    func record(partition: UInt32, sequence: UInt64, outcomes: Outcomes?) {
        let woken = state.withLock { state -> [CheckedContinuation<Outcomes?, Never>] in
            var entry = state.partitions[partition, default: Partition()]
            entry.applied = max(entry.applied, sequence)
            if let outcomes {
                entry.results[sequence] = outcomes
                entry.results.removeValue(forKey: sequence &- UInt64(Self.retainedResults))
            }
            var woken: [CheckedContinuation<Outcomes?, Never>] = []
            for (waited, continuations) in entry.waiters where waited <= entry.applied {
                woken += continuations
                entry.waiters.removeValue(forKey: waited)
            }
            state.partitions[partition] = entry
            return woken
        }
        // Each waiter reads its own results once resumed.
        for continuation in woken { continuation.resume(returning: nil) }
    }

    /// Waits until `sequence` of `partition` is applied and returns its outcomes, `nil` when
    /// they are no longer known (applied long ago, or by an earlier process).
    func outcomes(partition: UInt32, sequence: UInt64) async -> Outcomes? {
        _ = await withCheckedContinuation { (continuation: CheckedContinuation<Outcomes?, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.stopped { return true }
                let entry = state.partitions[partition, default: Partition()]
                if entry.applied >= sequence { return true }
                state.partitions[partition, default: Partition()].waiters[sequence, default: []].append(continuation)
                return false
            }
            if ready { continuation.resume(returning: nil) }
        }
        return state.withLock { $0.partitions[partition]?.results[sequence] }
    }

    /// Wakes every waiter (the node is stopping); they find no results.
    func stop() {
        let woken = state.withLock { state -> [CheckedContinuation<Outcomes?, Never>] in
            state.stopped = true
            var woken: [CheckedContinuation<Outcomes?, Never>] = []
            for key in state.partitions.keys {
                woken += state.partitions[key]!.waiters.values.flatMap { $0 }
                state.partitions[key]!.waiters = [:]
            }
            return woken
        }
        for continuation in woken { continuation.resume(returning: nil) }
    }
}
