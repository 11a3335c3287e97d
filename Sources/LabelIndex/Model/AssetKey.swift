/// The external identity of an asset: what callers name it by. Inside a namespace every key
/// maps to one dense `AssetOrdinal`.
public enum AssetKey: Hashable, Sendable {
    /// An int64 id (ProjectDiscovery-style assets, most embedders).
    case id(Int64)
    /// A string id qualified by a type, e.g. (`form`, `251464995493876`) for the `/API`
    /// family or (`asset`, `sku-1`) for ActionHub. Both parts are exact, case-sensitive.
    case typed(type: String, id: String)
}

extension AssetKey: CustomStringConvertible {
    public var description: String {
        switch self {
        case .id(let id): String(id)
        case .typed(let type, let id): "\(type):\(id)"
        }
    }
}

/// An asset's dense position inside its namespace. Ordinals are handed out in creation
/// order and are what the postings bitmaps hold; results come back in ascending ordinal
/// order, i.e. oldest asset first.
///
/// A deleted asset's ordinal is not reused while fresh ordinals remain (2³² − 1 per
/// namespace); only once they are exhausted are freed ordinals recycled, smallest first.
public struct AssetOrdinal: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public static func < (lhs: AssetOrdinal, rhs: AssetOrdinal) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}
