import Foundation
import LabelIndex

/// A store in a fresh temporary directory, removed when the value is released.
final class TemporaryStore {
    let path: String
    private(set) var store: LabelStore

    init(options: LabelStore.Options = TemporaryStore.fastOptions) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("labelindex-\(UUID().uuidString)").path
        store = try LabelStore(path: path, options: options)
    }

    /// Tests do not need fsync; durability has its own crash test.
    static var fastOptions: LabelStore.Options {
        var options = LabelStore.Options()
        options.durability = .noSync
        options.initialMapSize = 64 << 20
        return options
    }

    func reopen(options: LabelStore.Options = TemporaryStore.fastOptions) throws {
        store = try LabelStore(path: path, options: options)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write<R>(_ namespace: Namespace = .default, _ body: (NamespaceWriter) throws -> R) throws -> R {
        try store.write { try body(try $0.namespace(namespace)) }
    }

    func read<R>(_ namespace: Namespace = .default, _ body: (NamespaceReader) throws -> R) throws -> R? {
        try store.read { snapshot in try snapshot.namespace(namespace).map(body) }
    }

    func labelNames(_ key: AssetKey, in namespace: Namespace = .default) throws -> [String]? {
        try read(namespace) { try $0.labels(of: key)?.map(\.name) } ?? nil
    }

    func verify() throws -> VerificationReport { try store.read { try $0.verify() } }
}
