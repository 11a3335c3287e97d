import Foundation
import LMDB

/// How commits reach the disk; see the cases for what each risks. (Defined by the LMDB
/// binding; re-exported so embedders need only `import LabelIndex`.)
public typealias Durability = LMDB.Durability

extension LabelStore {
    /// How to open a store. The defaults suit a daemon: durable commits, a map that starts at
    /// 1 GiB and grows on demand, a 128 MiB cache of decoded postings and 32 MiB of label names.
    public struct Options: Sendable {
        /// `.durable` (fsync per commit) unless you accept the risks documented on `Durability`.
        public var durability: Durability = .durable
        /// `MDB_WRITEMAP`: small transactions commit several times faster without fsync, at
        /// the costs listed on `Environment.Options.writeMap` (notably: `Writer.nested` is
        /// unavailable). Off by default.
        public var writeMap: Bool = false
        /// Initial map size; the map doubles whenever a write finds it full.
        public var initialMapSize: Int = 1 << 30
        /// The map never grows past this.
        public var maximumMapSize: Int = 1 << 40
        /// Concurrent read transactions across all processes using the files.
        public var maxReaders: Int = 256
        /// Longest label name, in UTF-8 bytes. At most `LabelStore.labelNameLimitCeiling`
        /// (LMDB keys are at most 511 bytes).
        public var maxLabelNameBytes: Int = NameRule.defaultLabelNameBytes
        /// Deepest label hierarchy: a root label is at depth 1.
        public var maxHierarchyDepth: Int = 32
        /// Longest asset name in bytes.
        public var maxAssetNameBytes: Int = 4096
        /// Largest metadata blob in bytes.
        public var maxMetadataBytes: Int = 64 * 1024
        /// Memory for decoded postings chunks shared by all readers; 0 disables the cache.
        public var postingsCacheBytes: Int = 128 << 20
        /// Memory for label names (id → name) shared by all readers, across every namespace;
        /// each name counts its UTF-8 bytes plus 48. 0 disables the cache.
        public var labelNameCacheBytes: Int = 32 << 20
        /// Threads that run the async `LabelStore.read` (started on its first call).
        public var asyncReadThreads: Int = ProcessInfo.processInfo.activeProcessorCount
        /// Number of ordinals a namespace hands out before recycling freed ones. Lowered only
        /// by tests, to reach the recycling path.
        var ordinalCapacity: UInt64 = UInt64(UInt32.max)

        public init() {}
    }

    /// The largest `maxLabelNameBytes` allowed: label names are LMDB keys behind a 4-byte
    /// namespace prefix, and LMDB keys are at most 511 bytes.
    public static let labelNameLimitCeiling = 480
}
