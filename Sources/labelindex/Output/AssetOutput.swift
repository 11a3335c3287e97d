import Foundation
import LabelCommandLine
import LabelFormats
import LabelIndex

/// An asset as `--json` prints it. `id` is a number for integer ids and `"type:id"` for typed
/// ones, as the HTTP API writes them.
struct AssetOutput: Encodable {
    struct LabelOutput: Encodable {
        var name: String
        var weight: Double?
    }

    var ordinal: UInt32
    var id: AssetIDOutput
    var name: String
    var assetType: String?
    var createdAt: Date
    var updatedAt: Date
    /// The stored metadata object, written as JSON rather than as a string of JSON.
    var metadata: JSONValue?
    var labels: [LabelOutput]

    init(_ asset: Asset) {
        ordinal = asset.ordinal.rawValue
        id = AssetIDOutput(asset.key)
        name = asset.name
        assetType = asset.assetType
        createdAt = asset.createdAt
        updatedAt = asset.updatedAt
        metadata = asset.metadata.flatMap { try? JSONParser.parse($0) }
        labels = asset.labels.map { LabelOutput(name: $0.name, weight: $0.weight) }
    }

    private enum CodingKeys: String, CodingKey {
        case ordinal, id, name, labels, metadata
        case assetType = "asset_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension Asset {
    /// `prod, api(0.8)`: label names, with their weight when they have one.
    var labelSummary: String {
        labels.map { label in label.weight.map { "\(label.name)(\($0))" } ?? label.name }.joined(separator: ", ")
    }
}
