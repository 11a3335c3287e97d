import LabelCommands
import LabelIndex

/// Where the server sends writes: the local group commit, or (cluster) the replicated log.
public protocol WritePath: Sendable {
    /// Applies `submission` (atomically, isolated from other submissions) and returns its
    /// results once durable.
    func submit(_ submission: CommandSubmission) async throws -> [CommandResult]
    /// `X-Applied-Seq` for a response about `namespace` (nil namespace: every partition, as
    /// `0:120,1:98`); nil in single-node mode (no header).
    func appliedSequenceHeader(for namespace: Namespace?) -> String?
    /// Waits until sequence `sequence` of `partition` is applied here (`min_seq`), at most
    /// `timeout`; returns whether it is.
    func waitForApplied(partition: UInt32, sequence: UInt64, timeout: Duration) async -> Bool
}

extension WritePath {
    /// A single node has applied everything it acknowledged.
    public func waitForApplied(partition: UInt32, sequence: UInt64, timeout: Duration) async -> Bool { true }
}

/// The replicated log cannot take writes now (no quorum, unreachable): every family answers 503
/// with its own error body, and nothing was acknowledged.
public struct WriteUnavailable: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Single-node mode: the store's own group commit (`LabelStore.submit`).
struct LocalWritePath: WritePath {
    let store: LabelStore

    func submit(_ submission: CommandSubmission) async throws -> [CommandResult] {
        try await store.submit(submission)
    }

    func appliedSequenceHeader(for namespace: Namespace?) -> String? { nil }
}

/// One request's writes encode to more than one replicated log entry may hold: every family
/// answers 413 with its own error body; nothing was written.
public struct WriteTooLarge: Error, Hashable, Sendable, CustomStringConvertible {
    public var bytes: Int
    public var limit: Int
    public init(bytes: Int, limit: Int) {
        self.bytes = bytes
        self.limit = limit
    }
    public var description: String {
        "the request's writes encode to \(bytes) bytes; one replicated write holds at most \(limit): send fewer records per request"
    }
}
