/// One asset as read from an import file or written to an export file.
public struct AssetRecord: Sendable, Equatable {
    /// How an asset is identified: by a number, or by an id string within a named id space.
    /// (Nested, so that code importing this module and the engine, which has its own
    /// `AssetKey`, needs no module qualifiers.)
    public enum Key: Hashable, Sendable {
        /// A numeric id (`"id": 123` in NDJSON).
        case int(Int64)
        /// A string id qualified by its type (`"id": "2514", "type": "form"` in NDJSON).
        case typed(type: String, id: String)
    }

    /// The asset's identity.
    public var key: Key
    /// The display name; empty when the file gives none.
    public var name: String
    /// The asset's type attribute (`asset_type`), independent of the key.
    public var assetType: String?
    /// Creation time in milliseconds since the Unix epoch.
    public var createdAt: Int64?
    /// Last update time in milliseconds since the Unix epoch.
    public var updatedAt: Int64?
    /// Arbitrary JSON, kept as the exact bytes of the value in the file (already validated).
    public var metadata: [UInt8]?
    /// The asset's labels: indices into the reader's `LabelInterner`, each with an optional weight.
    public var labels: [(label: Int, weight: Double?)]

    /// An asset; everything but the key is optional.
    public init(
        key: Key, name: String = "", assetType: String? = nil, createdAt: Int64? = nil,
        updatedAt: Int64? = nil, metadata: [UInt8]? = nil, labels: [(label: Int, weight: Double?)] = []
    ) {
        self.key = key
        self.name = name
        self.assetType = assetType
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.metadata = metadata
        self.labels = labels
    }

    /// Field-by-field equality; weights compare as `Double`s (so `0.0 == -0.0`).
    public static func == (lhs: AssetRecord, rhs: AssetRecord) -> Bool {
        lhs.key == rhs.key && lhs.name == rhs.name && lhs.assetType == rhs.assetType
            && lhs.createdAt == rhs.createdAt && lhs.updatedAt == rhs.updatedAt && lhs.metadata == rhs.metadata
            && lhs.labels.count == rhs.labels.count
            && zip(lhs.labels, rhs.labels).allSatisfy { $0.label == $1.label && $0.weight == $1.weight }
    }
}
