/// Something about a query that is not an error but probably not what was meant. A query
/// naming a label that does not exist matches nothing; `explain` says so.
public enum QueryWarning: Hashable, Sendable, CustomStringConvertible {
    /// `label:NAME` or `under:NAME` names no label; that term matches no asset.
    case unknownLabel(String)
    /// `label:PREFIX*` matches no label.
    case noLabelWithPrefix(String)
    /// `asset:` lists ids that are not assets of the namespace.
    case unknownAssets(count: Int, examples: [AssetReference])

    public var description: String {
        switch self {
        case .unknownLabel(let name): "no label is named \"\(name)\"; that term matches nothing"
        case .noLabelWithPrefix(let prefix): "no label name starts with \"\(prefix)\"; that term matches nothing"
        case .unknownAssets(let count, let examples):
            "\(count) listed asset\(count == 1 ? " does" : "s do") not exist (e.g. \(examples.map(\.description).joined(separator: ", ")))"
        }
    }
}
