/// One line of `writes.tsv`: add or remove one label on one existing asset.
public struct WriteOperation: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case add
        case remove
    }

    public var kind: Kind
    /// The asset's id (not its ordinal), as the file names it.
    public var assetID: Int64
    /// Label index.
    public var label: Int

    public init(kind: Kind, assetID: Int64, label: Int) {
        self.kind = kind
        self.assetID = assetID
        self.label = label
    }
}
