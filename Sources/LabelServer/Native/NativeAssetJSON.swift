import LabelFormats
import LabelIndex
import LabelQuery

/// How the `/v1` endpoints write an asset: `id` is the integer id, or `"type:id"` for a typed
/// asset (the same text the asset routes take in their path). Assets are written straight into
/// the response bytes: query pages hold many of them, and building a `JSONValue` per asset
/// costs more than the query itself.
enum NativeAssetJSON {
    static func write(_ asset: Asset, fields: AssetFields = .all, into writer: inout JSONWriter) {
        writer.raw(#"{"id":"#)
        writeID(asset.key, into: &writer)
        if fields.contains(.name) {
            writer.raw(#","name":"#)
            writer.writeString(asset.name)
        }
        if fields.contains(.type) {
            writer.raw(#","type":"#)
            if let type = asset.assetType { writer.writeString(type) } else { writer.raw("null") }
        }
        if fields.contains(.createdAt) {
            writer.raw(#","created_at":"#)
            writer.writeTimestamp(asset.createdAt)
        }
        if fields.contains(.updatedAt) {
            writer.raw(#","updated_at":"#)
            writer.writeTimestamp(asset.updatedAt)
        }
        if fields.contains(.labels) {
            writer.raw(#","labels":["#)
            for (position, label) in asset.labels.enumerated() {
                if position > 0 { writer.raw(",") }
                writer.writeString(label.name)
            }
            writer.raw("]")
        }
        if fields.contains(.metadata), let metadata = asset.metadata, let value = try? JSONParser.parse(metadata) {
            writer.raw(#","metadata":"#)
            writer.write(value)
        }
        writer.raw("}")
    }

    /// `{"id": …}`, for pages that ask for ids only.
    static func write(_ key: AssetKey, into writer: inout JSONWriter) {
        writer.raw(#"{"id":"#)
        writeID(key, into: &writer)
        writer.raw("}")
    }

    private static func writeID(_ key: AssetKey, into writer: inout JSONWriter) {
        switch key {
        case .id(let id): writer.writeInt(id)
        case .typed: writer.writeString(key.description)
        }
    }

    static func bytes(_ asset: Asset) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        write(asset, into: &writer)
        return writer.bytes
    }

    static func explanation(_ explanation: QueryExplanation) -> JSONValue {
        func render(_ node: QueryExplanation.Node) -> JSONValue {
            [
                "operation": .string(node.operation), "query": .string(node.query),
                "estimated_count": .int(node.estimatedCount),
                "actual_count": .int(node.actualCount), "microseconds": .double(node.microseconds),
                "children": .array(node.children.map(render)),
            ]
        }
        return [
            "normalized_query": .string(explanation.normalizedQuery), "plan": render(explanation.plan),
            "warnings": .array(explanation.warnings.map { .string($0.description) }),
        ]
    }
}
