import LabelFormats
import LabelIndex

/// How the Labeling API writes labels and resources: scalars as strings, timestamps as
/// `YYYY-MM-DD HH:MM:SS` (UTC).
enum LabelRepresentation {
    static func json(_ label: Label, account: String, order: Int) -> JSONObject {
        [
            "id": .string(label.id.description), "name": .string(label.name), "color": .string(label.color.hex),
            "order": .string(String(order)), "owner": .string(account), "ownerType": "USER",
            "parent_label_id": .string(label.parent?.description ?? LabelingRoutes.rootID),
            "created_at": .string(Timestamps.spaced(label.createdAt)),
            "updated_at": .string(Timestamps.spaced(label.updatedAt)),
        ]
    }

    /// The `{id, type}` of an asset; integer-id assets show as type `asset`.
    static func resource(_ key: AssetKey) -> (id: String, type: String, json: JSONValue) {
        let (id, type): (String, String)
        switch key {
        case .id(let number): (id, type) = (String(number), "asset")
        case .typed(let kind, let stringID): (id, type) = (stringID, kind)
        }
        return (id, type, ["id": .string(id), "type": .string(type.uppercased())])
    }

    static func resourceSummary(_ asset: Asset, account: String) -> JSONValue {
        let reference = resource(asset.key)
        var object: JSONObject = [
            "id": .string(reference.id), "username": .string(account), "title": .string(asset.name),
            "status": "ENABLED",
            "assetType": .string(reference.type),
        ]
        if let subtype = asset.assetType { object["type"] = .string(subtype) }
        object["labels"] = .array(asset.labels.map { .string($0.id.description) })
        object["created_at"] = .string(Timestamps.spaced(asset.createdAt))
        object["updated_at"] = .string(Timestamps.spaced(asset.updatedAt))
        return .object(object)
    }
}
