import Foundation
import LabelCommandLine
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
    var metadata: JSONFragment?
    var labels: [LabelOutput]

    init(_ asset: Asset) {
        ordinal = asset.ordinal.rawValue
        id = AssetIDOutput(asset.key)
        name = asset.name
        assetType = asset.assetType
        createdAt = asset.createdAt
        updatedAt = asset.updatedAt
        metadata = asset.metadata.flatMap(JSONFragment.init(bytes:))
        labels = asset.labels.map { LabelOutput(name: $0.name, weight: $0.weight) }
    }

    private enum CodingKeys: String, CodingKey {
        case ordinal, id, name, labels, metadata
        case assetType = "asset_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A stored JSON value (asset metadata), re-encoded as JSON rather than as a string of JSON.
indirect enum JSONFragment: Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONFragment])
    case object([String: JSONFragment])

    init?(bytes: [UInt8]) {
        guard let value = try? JSONDecoder().decode(JSONFragment.self, from: Data(bytes)) else { return nil }
        self = value
    }

    /// Tries the kinds from the most to the least specific: `true` is not a number and `1` is
    /// not a `Bool` to the decoder, and integers stay exact.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONFragment].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONFragment].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }
}

extension Asset {
    /// `prod, api(0.8)`: label names, with their weight when they have one.
    var labelSummary: String {
        labels.map { label in label.weight.map { "\(label.name)(\($0))" } ?? label.name }.joined(separator: ", ")
    }
}
