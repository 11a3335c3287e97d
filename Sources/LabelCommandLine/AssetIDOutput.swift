import LabelIndex

/// An asset id in `--json` output: a JSON number for int64 ids, `type:id` for typed ones.
package struct AssetIDOutput: Encodable {
    package var key: AssetKey

    package init(_ key: AssetKey) { self.key = key }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch key {
        case .id(let id): try container.encode(id)
        case .typed: try container.encode(key.description)
        }
    }
}
