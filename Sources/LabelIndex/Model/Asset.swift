import Foundation

/// An asset with its attributes and its labels, in their stored order.
public struct Asset: Hashable, Sendable {
    public var key: AssetKey
    public var ordinal: AssetOrdinal
    public var name: String
    /// A free-form type attribute (e.g. PD's `type`); not part of the identity.
    public var assetType: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Opaque JSON bytes stored with the asset; the engine does not interpret them.
    public var metadata: [UInt8]?
    public var labels: [AssetLabel]
}

/// A label as carried by one asset.
public struct AssetLabel: Hashable, Sendable {
    public var id: LabelID
    public var name: String
    /// The weight of this label on this asset, when one was given.
    public var weight: Double?
}

/// The attributes an upsert sets on an asset.
public struct AssetAttributes: Hashable, Sendable {
    public var name: String
    public var assetType: String?
    /// `nil` keeps an existing asset's creation time, or uses the current time for a new one.
    public var createdAt: Date?
    /// `nil` uses the current time.
    public var updatedAt: Date?
    public var metadata: [UInt8]?

    public init(
        name: String = "", assetType: String? = nil, createdAt: Date? = nil, updatedAt: Date? = nil,
        metadata: [UInt8]? = nil
    ) {
        self.name = name
        self.assetType = assetType
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.metadata = metadata
    }
}

/// A label name to put on an asset, with an optional per-asset weight.
public struct LabelAssignment: Hashable, Sendable, ExpressibleByStringLiteral {
    public var name: String
    public var weight: Double?

    public init(_ name: String, weight: Double? = nil) {
        self.name = name
        self.weight = weight
    }

    public init(stringLiteral name: String) { self.init(name) }
}

/// A change to the label set of assets.
public enum LabelChange: Hashable, Sendable {
    /// Adds the labels that are missing, after the existing ones, in the given order.
    /// Labels already present keep their position; a weight given here replaces theirs.
    case append([LabelAssignment])
    /// Makes the asset carry exactly these labels, in this order. An empty list clears.
    case replace([LabelAssignment])
    /// Removes these labels; names the asset does not carry are ignored.
    case remove([String])
}

/// Whether an upsert created the asset or updated an existing one.
public enum UpsertOutcome: Hashable, Sendable {
    case created(AssetOrdinal)
    case updated(AssetOrdinal)

    public var ordinal: AssetOrdinal {
        switch self {
        case .created(let ordinal), .updated(let ordinal): ordinal
        }
    }
}
