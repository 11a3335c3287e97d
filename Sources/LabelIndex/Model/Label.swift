import Foundation

/// A label's id, unique inside its namespace and never reused.
public struct LabelID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    public static func < (lhs: LabelID, rhs: LabelID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// A label definition.
public struct Label: Hashable, Sendable, Identifiable {
    public var id: LabelID
    /// Exact and case-sensitive; unique among the label's siblings (labels with the same parent).
    public var name: String
    /// How strings name the label (see `LabelPath`): its name at the top level, else its
    /// parent's path, `/` and its name (`2025/Q1`). Unique inside the namespace.
    public var path: String
    public var color: LabelColor
    public var parent: LabelID?
    /// A namespace-level weight (e.g. ActionHub's recommendation strength); opaque to the engine.
    public var weight: Double?
    public var createdAt: Date
    public var updatedAt: Date
    /// How many assets carry this label.
    public var assetCount: Int
}

/// What to create a label with.
public struct NewLabel: Hashable, Sendable {
    public var name: String
    /// `nil` picks a default from a fixed palette, derived from the name.
    public var color: LabelColor?
    public var parent: LabelID?
    public var weight: Double?

    public init(name: String, color: LabelColor? = nil, parent: LabelID? = nil, weight: Double? = nil) {
        self.name = name
        self.color = color
        self.parent = parent
        self.weight = weight
    }
}

/// Where a label sits in the hierarchy.
public enum LabelParent: Hashable, Sendable {
    case root
    case label(LabelID)

    var id: LabelID? {
        switch self {
        case .root: nil
        case .label(let id): id
        }
    }
}

/// A change to a label; `nil` fields are left as they are.
public struct LabelUpdate: Hashable, Sendable {
    public var name: String?
    public var color: LabelColor?
    /// Moving a label is rejected when it would create a cycle or exceed the depth limit.
    public var parent: LabelParent?
    /// `.some(nil)` clears the weight.
    public var weight: Double??

    public init(name: String? = nil, color: LabelColor? = nil, parent: LabelParent? = nil, weight: Double?? = nil) {
        self.name = name
        self.color = color
        self.parent = parent
        self.weight = weight
    }
}

/// A label in a tree listing.
public struct LabelNode: Hashable, Sendable {
    public var label: Label
    public var children: [LabelNode]
}
