import LabelIndex

/// A log entry arrived out of order: entries must be applied in sequence, without gaps.
public struct LogSequenceGap: Error, Hashable, Sendable, CustomStringConvertible {
    public var partition: UInt32
    /// The sequence applied so far (0: none).
    public var applied: UInt64
    public var received: UInt64

    public init(partition: UInt32, applied: UInt64, received: UInt64) {
        self.partition = partition
        self.applied = applied
        self.received = received
    }

    public var description: String {
        "log entry \(received) of partition \(partition) cannot be applied: the store has applied up to \(applied)"
    }
}

/// Log entries cannot be applied to a store opened with `writeMap`.
public struct ReplicationUnsupported: Error, Hashable, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String {
        "a replicated store must be opened without writeMap (log entries need nested transactions)"
    }
}

extension LabelStore {
    /// Replication: applies one log entry (all its submissions, each isolated in a nested
    /// transaction) in ONE transaction that also records `sequence` as the applied sequence of
    /// `partition`, so a crash never applies an entry twice or skips one.
    ///
    /// - Returns: each submission's results or error, in order; `nil` when `sequence` is at or
    ///   below the partition's applied sequence (the entry was applied before and is ignored).
    /// - Throws: `LogSequenceGap` when `sequence` is not the applied sequence + 1;
    ///   `ReplicationUnsupported` for a store opened with `writeMap` (it cannot nest transactions,
    ///   so one failing submission could not roll back alone); storage errors.
    public func applyLogEntry(
        partition: UInt32, sequence: UInt64, submissions: [CommandSubmission]
    )
        throws -> [Result<[CommandResult], any Error>]?
    {
        guard !options.writeMap else { throw ReplicationUnsupported() }
        return try write { writer -> [Result<[CommandResult], any Error>]? in
            let key = AppliedSequences.key(partition)
            let applied = try writer.applicationValue(forKey: key).flatMap(AppliedSequences.decode) ?? 0
            if sequence <= applied { return nil }
            guard sequence == applied + 1 else {
                throw LogSequenceGap(partition: partition, applied: applied, received: sequence)
            }
            var outcomes: [Result<[CommandResult], any Error>] = []
            outcomes.reserveCapacity(submissions.count)
            for submission in submissions {
                outcomes.append(Result { try writer.nested { try CommandApplier.apply(submission, in: $0) } })
            }
            try writer.setApplicationValue(AppliedSequences.encode(sequence), forKey: key)
            return outcomes
        }
    }

    /// The last applied log sequence of every partition that has applied one.
    public func appliedSequences() throws -> [UInt32: UInt64] {
        try read { try $0.appliedSequences() }
    }
}

extension Snapshot {
    /// The last applied log sequence of every partition, as of this snapshot (a backup taken
    /// from it resumes the log exactly there).
    public func appliedSequences() throws -> [UInt32: UInt64] {
        var result: [UInt32: UInt64] = [:]
        for entry in try applicationEntries(withPrefix: AppliedSequences.prefix) {
            guard let partition = AppliedSequences.partition(of: entry.key),
                let sequence = AppliedSequences.decode(entry.value)
            else { continue }
            result[partition] = sequence
        }
        return result
    }
}

/// Where applied sequences live: application data keys `\0labelcommands/applied/` + the
/// partition (u32 big-endian), values u64 big-endian. The leading zero byte keeps them apart
/// from every application's own keys (which are text).
enum AppliedSequences {
    static let prefix: [UInt8] = [0] + Array("labelcommands/applied/".utf8)

    static func key(_ partition: UInt32) -> [UInt8] {
        prefix + [
            UInt8(partition >> 24), UInt8(truncatingIfNeeded: partition >> 16),
            UInt8(truncatingIfNeeded: partition >> 8), UInt8(truncatingIfNeeded: partition),
        ]
    }

    static func partition(of key: [UInt8]) -> UInt32? {
        guard key.count == prefix.count + 4 else { return nil }
        return key[prefix.count...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    static func encode(_ sequence: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: sequence >> (56 - 8 * $0)) }
    }

    static func decode(_ bytes: [UInt8]) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
