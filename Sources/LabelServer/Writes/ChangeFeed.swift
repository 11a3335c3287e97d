import LabelCommands
import LabelIndex

/// A replicated node's applied log entries, one namespace at a time (`GET /v1/changes`).
/// `ReplicatedNode` provides it; a single node keeps no log, so it serves none.
public protocol ChangeFeed: Sendable {
    /// The entries of `namespace`'s partition after sequence `sequence` that carry commands of
    /// `namespace`, each once this node has applied it, in order; with `follow`, then new ones
    /// as this node applies them (until the stream is cancelled), else only those already
    /// applied. Throws `ChangesTrimmed` when entries after `sequence` were trimmed.
    func changes(
        of namespace: Namespace, after sequence: UInt64, follow: Bool
    ) async throws
        -> AsyncThrowingStream<AppliedChange, any Error>
}

/// One log entry as the changes feed carries it: the submissions of one namespace, in the
/// order the entry holds them. A submission that failed when applied (a label change on a
/// missing asset, say) is here too: it changed nothing, on every node, and replays the same way.
public struct AppliedChange: Sendable, Hashable {
    public var partition: UInt32
    public var sequence: UInt64
    public var namespace: Namespace
    public var submissions: [CommandSubmission]

    public init(partition: UInt32, sequence: UInt64, namespace: Namespace, submissions: [CommandSubmission]) {
        self.partition = partition
        self.sequence = sequence
        self.namespace = namespace
        self.submissions = submissions
    }
}

/// The entries after the sequence a changes-feed reader asked for were trimmed from the log:
/// 410 Gone; the reader starts again from a fresh read of the data (the Kubernetes watch model).
public struct ChangesTrimmed: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first sequence the log still holds.
    public var start: UInt64
    public init(start: UInt64) { self.start = start }
    public var description: String {
        "the log of this namespace's partition starts at sequence \(start); read the data again and follow from since=\(start - 1)"
    }
}
