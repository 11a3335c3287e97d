/// A consistent copy of a replicated node's store, as peers fetch it to catch up.
public struct SnapshotFile: Sendable, Hashable {
    /// The copy's `data.mdb`.
    public var path: String
    public var bytes: Int
    /// Lower-case hex SHA-256 of the file.
    public var sha256: String
    /// `X-Applied-Seq` syntax (`0:120,1:98`): what the copy has applied, at least.
    public var sequences: String

    /// The response headers of `GET /v1/cluster/snapshot` that carry `sha256` and `sequences`.
    public static let sha256Header = "X-Snapshot-SHA256"
    public static let sequencesHeader = "X-Snapshot-Sequences"

    public init(path: String, bytes: Int, sha256: String, sequences: String) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
        self.sequences = sequences
    }
}

/// Where `GET /v1/cluster/snapshot` finds the snapshot to serve and who may fetch it: nodes
/// of the same cluster, which share a secret (the route takes it as `Authorization: Bearer`).
public protocol SnapshotSource: Sendable {
    /// Whether `secret` is the cluster's snapshot secret.
    func authorizes(secret: String) async -> Bool
    /// The newest complete snapshot; nil while there is none.
    func newestSnapshot() -> SnapshotFile?
}
