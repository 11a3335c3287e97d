import LabelCommands
import LabelIndex
import LabelServer

extension ReplicatedNode: ChangeFeed {
    /// Entries read from etcd per request when the feed does not follow.
    static let changesPageSize = 256

    public func changes(
        of namespace: Namespace, after sequence: UInt64, follow: Bool
    ) async throws
        -> AsyncThrowingStream<AppliedChange, any Error>
    {
        let partition = partitions.partition(of: namespace)
        let start = try await log.start(partition: partition)
        if sequence < start - 1 { throw ChangesTrimmed(start: start) }
        // Without `follow`, what this node has applied now is where the feed ends.
        let end = follow ? nil : progress.applied(partition)
        return AsyncThrowingStream { continuation in
            let task = Task { [self] in
                do {
                    let entries =
                        end.map { pages(partition: partition, after: sequence, through: $0) }
                        ?? log.follow(partition: partition, from: sequence + 1)
                    for try await entry in entries {
                        // Sent once applied here, so a reader of the feed finds its data on this node.
                        guard await waitForApplied(partition: partition, sequence: entry.sequence) else { break }
                        let submissions = try Self.submissions(of: namespace, in: entry.payload)
                        if !submissions.isEmpty {
                            continuation.yield(
                                AppliedChange(
                                    partition: partition, sequence: entry.sequence, namespace: namespace,
                                    submissions: submissions))
                        }
                    }
                    continuation.finish()
                } catch ReplicationLogError.trimmed(let start) {
                    continuation.finish(throwing: ChangesTrimmed(start: start))
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The entries after `sequence` through `end`, read page by page (errors end the stream
    /// rather than being ridden out, as `follow` does).
    private func pages(
        partition: UInt32, after sequence: UInt64, through end: UInt64
    )
        -> AsyncThrowingStream<LogEntry, any Error>
    {
        AsyncThrowingStream { continuation in
            let task = Task { [log] in
                var next = sequence + 1
                do {
                    while next <= end, !Task.isCancelled {
                        let page = try await log.entries(
                            partition: partition, from: next, limit: min(Self.changesPageSize, Int(end - next + 1)))
                        guard !page.isEmpty else { break }
                        for entry in page where entry.sequence <= end { continuation.yield(entry) }
                        next = page[page.count - 1].sequence + 1
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Waits until `sequence` is applied here; false when the node stops first.
    private func waitForApplied(partition: UInt32, sequence: UInt64) async -> Bool {
        if progress.applied(partition) < sequence {
            _ = await progress.outcomes(partition: partition, sequence: sequence)
        }
        return progress.applied(partition) >= sequence
    }

    /// The submissions of `namespace` in an entry, with only that namespace's commands (never
    /// application values: API keys and job records are not a tenant's changes).
    static func submissions(of namespace: Namespace, in payload: [UInt8]) throws -> [CommandSubmission] {
        try CommandCodec.decode(payload).compactMap { submission in
            guard submission.namespace == namespace else { return nil }
            var submission = submission
            submission.commands = submission.commands.filter { $0.namespace == namespace }
            return submission.commands.isEmpty ? nil : submission
        }
    }
}
