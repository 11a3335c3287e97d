import LabelCommandLine
import LabelIndex

extension NamespaceReader {
    /// The asset with `key`, or a bad-input failure naming the namespace.
    func existingAsset(_ key: AssetKey) throws -> Asset {
        guard let asset = try asset(key) else {
            throw CommandFailure.badInput("no asset \(key) in namespace \(namespace)")
        }
        return asset
    }
}
