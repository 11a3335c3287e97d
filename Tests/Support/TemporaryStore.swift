import Foundation
import LabelIndex

/// A store in a fresh temporary directory, removed when released. Tests share one value
/// between tasks, hence `@unchecked Sendable`; only `reopen` changes it.
public final class TemporaryStore: @unchecked Sendable {
    public let path: String
    private var current: LabelStore?

    /// The open store.
    public var store: LabelStore { current! }

    public init(options: LabelStore.Options = TemporaryStore.fastOptions) throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("labelindex-test-\(UUID().uuidString)")
            .path
        current = try LabelStore(path: path, options: options)
    }

    /// Tests do not need fsync (durability has its own crash test), nor a 1 GiB map.
    public static var fastOptions: LabelStore.Options {
        var options = LabelStore.Options()
        options.durability = .noSync
        options.initialMapSize = 64 << 20
        return options
    }

    /// Closes the store (the old environment goes first: LMDB wants one per file and process)
    /// and opens the files again.
    public func reopen(options: LabelStore.Options = TemporaryStore.fastOptions) throws {
        current = nil
        current = try LabelStore(path: path, options: options)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Runs `body` on `namespace` in one write transaction.
    @discardableResult
    public func write<R>(_ namespace: Namespace = .default, _ body: (NamespaceWriter) throws -> R) throws -> R {
        try store.write { try body(try $0.namespace(namespace)) }
    }

    /// Runs `body` on `namespace` in a snapshot; `nil` when nothing was written to it.
    public func read<R>(_ namespace: Namespace = .default, _ body: (NamespaceReader) throws -> R) throws -> R? {
        try store.read { snapshot in try snapshot.namespace(namespace).map(body) }
    }

    /// The names of `key`'s labels, in order.
    public func labelNames(_ key: AssetKey, in namespace: Namespace = .default) throws -> [String]? {
        try read(namespace) { try $0.labels(of: key)?.map(\.name) } ?? nil
    }

    public func verify() throws -> VerificationReport { try store.read { try $0.verify() } }
}
