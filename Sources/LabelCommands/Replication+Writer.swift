import LabelIndex

extension Writer {
    /// Applies one log entry inside this transaction (each submission in its own nested
    /// transaction) and records `sequence` as `partition`'s applied sequence, so a replica can
    /// apply several entries, of several partitions, in one commit.
    ///
    /// - Returns: each submission's results or error, in order; `nil` when `sequence` was
    ///   applied before (it is ignored).
    /// - Throws: `LogSequenceGap` when `sequence` is not the applied sequence + 1.
    public func applyLogEntry(
        partition: UInt32, sequence: UInt64, submissions: [CommandSubmission]
    ) throws -> [Result<[CommandResult], any Error>]? {
        let key = AppliedSequences.key(partition)
        let applied = try applicationValue(forKey: key).flatMap(AppliedSequences.decode) ?? 0
        if sequence <= applied { return nil }
        guard sequence == applied + 1 else {
            throw LogSequenceGap(partition: partition, applied: applied, received: sequence)
        }
        var outcomes: [Result<[CommandResult], any Error>] = []
        outcomes.reserveCapacity(submissions.count)
        for submission in submissions {
            outcomes.append(Result { try nested { try CommandApplier.apply(submission, in: $0) } })
        }
        try setApplicationValue(AppliedSequences.encode(sequence), forKey: key)
        return outcomes
    }
}
