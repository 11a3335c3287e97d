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

/// A command answered with a result of another kind than its own (a bug): a 500.
struct UnexpectedCommandResult: Error, CustomStringConvertible {
    var results: [CommandResult]
    var description: String { "unexpected command results \(results)" }
}

extension Array where Element == CommandResult {
    /// `extract` applied to the result at `index`; throws `UnexpectedCommandResult` when that
    /// result is missing or of another kind.
    func result<T>(_ index: Int = 0, _ extract: (CommandResult) -> T?) throws -> T {
        guard indices.contains(index), let value = extract(self[index]) else {
            throw UnexpectedCommandResult(results: self)
        }
        return value
    }
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

/// The request's `Idempotency-Key` was used by an earlier write that was applied once (at
/// `sequence` of `partition`) and whose reply this node no longer has: 409 in every family.
public struct DuplicateWrite: Error, Hashable, Sendable, CustomStringConvertible {
    public var partition: UInt32
    public var sequence: UInt64
    public init(partition: UInt32, sequence: UInt64) {
        self.partition = partition
        self.sequence = sequence
    }
    public var description: String {
        "a write with this Idempotency-Key was already applied (partition \(partition), sequence \(sequence))"
    }
}
