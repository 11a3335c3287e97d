/// The asset fields a query page returns (`fields=name,labels`); `id` is always included. A
/// page of ids alone skips decoding the records' attributes and labels, the bulk of a page's
/// cost.
struct AssetFields: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    static let name = AssetFields(rawValue: 1 << 0)
    static let type = AssetFields(rawValue: 1 << 1)
    static let createdAt = AssetFields(rawValue: 1 << 2)
    static let updatedAt = AssetFields(rawValue: 1 << 3)
    static let labels = AssetFields(rawValue: 1 << 4)
    static let metadata = AssetFields(rawValue: 1 << 5)
    static let all: AssetFields = [.name, .type, .createdAt, .updatedAt, .labels, .metadata]

    /// Field names as they appear in the JSON of an asset.
    static let byName: [String: AssetFields] = [
        "id": [], "name": .name, "type": .type, "created_at": .createdAt, "updated_at": .updatedAt,
        "labels": .labels, "metadata": .metadata,
    ]

    init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The fields named, each one of `byName`'s keys.
    init(names: [String], at location: InputLocation) throws(InputError) {
        var fields: AssetFields = []
        for name in names {
            guard let field = Self.byName[name] else {
                let known = Self.byName.keys.sorted().joined(separator: ", ")
                throw InputError(location, .invalidValue("unknown field \"\(name)\"; the fields are \(known)"))
            }
            fields.formUnion(field)
        }
        self = fields
    }
}
