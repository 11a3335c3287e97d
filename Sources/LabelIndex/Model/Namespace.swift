/// A tenant: a team, a program, an account. Every asset and label lives in exactly one
/// namespace and nothing crosses between them. Embedded use needs only `.default`.
public struct Namespace: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral name: String) { self.init(name) }

    public static let `default` = Namespace("default")
    public var description: String { name }
}

/// Identifies the state of a namespace's label dictionary (see
/// `NamespaceReader.labelDictionaryVersion`).
public struct LabelDictionaryVersion: Hashable, Sendable {
    let namespace: UInt32
    let generation: UInt64
    let nextLabelID: UInt32
}
