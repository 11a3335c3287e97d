// LabelIndex: the storage engine. An embeddable label index on LMDB.
//
// This module owns the data model (namespaces, assets, labels, their relations) and its
// on-disk layout: every index (label → assets as chunked Roaring postings, asset → labels,
// parent → children, name → label, the per-namespace universe) is updated inside the same
// LMDB write transaction as the change that needs it. It depends on the LMDB and Roaring
// bindings and Foundation only; the query language, server and CLI stand on top of it.

import Foundation
import LMDB
import Roaring

/// A label index stored in one LMDB environment (a directory with `data.mdb` and
/// `lock.mdb`).
///
/// ```swift
/// let store = try LabelStore(path: "./data")
/// try store.write { writer in
///     let ns = try writer.namespace(.default)
///     try ns.upsertAsset(.id(123_456), AssetAttributes(name: "https://example.com"))
///     try ns.apply(.append(["prod", "api"]), to: .id(123_456))
/// }
/// let labels = try store.read { snapshot in
///     try snapshot.namespace(.default)?.labels(of: .id(123_456))
/// }
/// ```
///
/// Reads run on MVCC snapshots and never wait for the writer; any number run at once from
/// any thread. Writes are serialised; each `write` is one atomic transaction. A store is
/// `Sendable`: share one instance per directory in a process.
public final class LabelStore: Sendable {
    public let path: String
    public let options: Options
    let environment: Environment
    let schema: Schema
    let caches: PostingsCaches?
    let labelNames: LabelNameCache
    /// The threads behind the async `read` and `write`.
    let asyncThreads: AsyncThreads
    /// Per-store state of layers above the engine (the group commit of `LabelCommands`), made on
    /// first use and released with the store.
    package let attachment = StoreAttachment()

    /// Opens the store in the directory `path`, creating the directory and the database when
    /// missing.
    public init(path: String, options: Options = Options()) throws {
        precondition(
            (1...Self.labelNameLimitCeiling).contains(options.maxLabelNameBytes),
            "maxLabelNameBytes must be in 1...\(Self.labelNameLimitCeiling)")
        precondition(options.maxHierarchyDepth >= 1, "maxHierarchyDepth must be at least 1")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var environmentOptions = Environment.Options()
        environmentOptions.mapSize = options.initialMapSize
        environmentOptions.maximumMapSize = options.maximumMapSize
        environmentOptions.maxReaders = options.maxReaders
        environmentOptions.maxDatabases = Schema.databaseNames.count + 4
        environmentOptions.durability = options.durability
        environmentOptions.writeMap = options.writeMap
        let environment: Environment
        do { environment = try Environment(path: path, options: environmentOptions) } catch {
            throw LabelIndexError(error, writingTo: path)
        }
        self.path = path
        self.options = options
        self.environment = environment
        self.schema = try Self.mapStorageErrors(writingTo: path) { try environment.write { try Schema.open(in: $0) } }
        self.caches = options.postingsCacheBytes > 0 ? PostingsCaches(capacity: options.postingsCacheBytes) : nil
        self.labelNames = LabelNameCache(capacityBytes: max(0, options.labelNameCacheBytes))
        self.asyncThreads = AsyncThreads(readers: options.asyncReadThreads)
    }

    /// Runs `body` on a consistent snapshot of the whole store.
    @discardableResult @inlinable
    public func read<R>(_ body: (Snapshot) throws -> R) throws -> R {
        var result: R?
        try runRead { result = try body($0) }
        return result!
    }

    @usableFromInline
    func runRead(_ body: (Snapshot) throws -> Void) throws {
        try Self.mapStorageErrors {
            try environment.read { txn in try body(Snapshot(store: self, transaction: txn)) }
        }
    }

    /// Runs `body` as one atomic write transaction: everything it does commits together when
    /// it returns, or not at all when it throws. With `.durable` durability the data is on
    /// disk when `write` returns.
    ///
    /// `body` may run more than once (when the map has to grow, the transaction is retried
    /// from the start), so it must not have effects outside the store that cannot repeat.
    @discardableResult @inlinable
    public func write<R>(_ body: (Writer) throws -> R) throws -> R {
        var result: R?
        try runWrite { result = try body($0) }
        return result!
    }

    @usableFromInline
    func runWrite(_ body: (Writer) throws -> Void) throws {
        try Self.mapStorageErrors(writingTo: path) {
            try environment.write { txn in
                let writer = Writer(store: self, transaction: txn)
                try body(writer)
                try writer.flush()
            }
        }
    }

    /// Makes room for about `bytes` more data before a large write (an import, say), so the
    /// write does not have to stop, grow the map and run again. The map is virtual memory: this
    /// uses no disk.
    public func reserveCapacity(bytes: Int) throws {
        let used = environment.info.usedBytes
        try Self.mapStorageErrors(writingTo: path) { try environment.reserveMapSize(atLeast: used + bytes) }
    }

    /// Forces buffered commits to disk (only needed with `.noSync`/`.noMetaSync`).
    public func sync() throws {
        try Self.mapStorageErrors(writingTo: self.path) { try environment.sync() }
    }

    /// Writes a consistent, compacted copy of the store into the empty directory `path`.
    public func backup(to path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.mapStorageErrors(writingTo: path) { try environment.copy(to: path, compact: true) }
    }

    static func mapStorageErrors<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as LMDBError { throw LabelIndexError.storage(error) }
    }

    /// Like `mapStorageErrors`, for operations that write files under `path`: a full disk
    /// becomes `LabelIndexError.outOfSpace`.
    static func mapStorageErrors<R>(writingTo path: String, _ body: () throws -> R) throws -> R {
        do { return try body() } catch let error as LMDBError { throw LabelIndexError(error, writingTo: path) }
    }

    /// Statistics of the decoded-chunk cache (tests use its misses to count decodes).
    var cacheStatistics: VersionedCache<PostingsKey, RoaringBitmap>.Statistics? { caches?.chunks.statistics }
}

/// One object a layer above the engine keeps per store, created once, on first use.
package final class StoreAttachment: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var value: AnyObject?

    /// The attached object, made by `make` if there is none yet.
    package func value<T: AnyObject & Sendable>(orMake make: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        if let existing = value as? T { return existing }
        let made = make()
        value = made
        return made
    }
}

/// Milliseconds since 1970 in stored records; `Date` in the API.
enum Clock {
    static func nowMilliseconds() -> Int64 { milliseconds(Date()) }
    static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        return Int64(exactly: value) ?? (value < 0 ? Int64.min / 2 : Int64.max / 2)
    }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
