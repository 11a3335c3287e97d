import Foundation
import LMDB

/// Sizes and totals of a store.
public struct StoreStatistics: Sendable {
    public struct NamespaceTotals: Hashable, Sendable {
        public var namespace: Namespace
        public var assets: Int
        public var labels: Int
        public var pairs: Int
    }

    public var namespaces: [NamespaceTotals]
    /// Page statistics per named database.
    public var databases: [String: DatabaseStatistics]
    /// Bytes of the pages in use (what a compacting backup would roughly occupy, plus free pages).
    public var usedBytes: Int
    /// Size of `data.mdb` on disk.
    public var fileBytes: Int
    public var mapSize: Int
    public var cachedChunks: Int
    public var cachedBytes: Int
    public var cacheHits: Int
    public var cacheMisses: Int
}

extension Snapshot {
    public func statistics() throws -> StoreStatistics {
        let namespaces = try namespaces().compactMap { namespace -> StoreStatistics.NamespaceTotals? in
            guard let reader = try self.namespace(namespace) else { return nil }
            return .init(
                namespace: namespace, assets: reader.assetCount, labels: reader.labelCount,
                pairs: try reader.pairCount())
        }
        var databases: [String: DatabaseStatistics] = [:]
        for (name, database) in store.schema.all { databases[name] = try transaction.statistics(of: database) }
        let info = store.environment.info
        let fileBytes =
            (try? FileManager.default.attributesOfItem(atPath: store.path + "/data.mdb")[.size] as? Int) ?? 0
        let cache = store.cacheStatistics
        return StoreStatistics(
            namespaces: namespaces, databases: databases, usedBytes: info.usedBytes, fileBytes: fileBytes,
            mapSize: info.mapSize, cachedChunks: cache?.entries ?? 0, cachedBytes: cache?.bytes ?? 0,
            cacheHits: cache?.hits ?? 0, cacheMisses: cache?.misses ?? 0)
    }
}
