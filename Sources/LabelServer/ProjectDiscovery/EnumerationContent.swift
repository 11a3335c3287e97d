import LabelFormats
import LabelIndex

/// PDCP's `EnumerationContent` for an asset: the required fields, its labels, and the members of
/// its metadata object (host, port, title, …) as stored by the asset upsert.
enum EnumerationContent {
    static let reservedKeys: Set<String> = [
        "id", "name", "enumeration_id", "created_at", "updated_at", "is_new", "labels",
    ]

    static func json(_ asset: Asset) -> JSONValue {
        let metadata = asset.metadataObject
        var object: JSONObject = [
            "id": .int(asset.key.intID ?? 0), "name": .string(asset.name),
            "enumeration_id": metadata?["enumeration_id"] ?? "",
            "created_at": .string(Timestamps.iso8601(asset.createdAt)),
            "updated_at": .string(Timestamps.iso8601(asset.updatedAt)), "is_new": metadata?["is_new"] ?? false,
            "labels": .array(asset.labels.map { .string($0.name) }),
        ]
        if let type = asset.assetType { object["type"] = .string(type) }
        for (key, value) in metadata?.entries ?? [] where !reservedKeys.contains(key) && key != "type" {
            object[key] = value
        }
        return .object(object)
    }
}
