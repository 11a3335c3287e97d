import CLMDB

/// Flags for opening a named database (`mdb_dbi_open`).
public struct DatabaseFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let reverseKey = DatabaseFlags(rawValue: UInt32(MDB_REVERSEKEY))
    /// Several sorted values per key.
    public static let duplicateSort = DatabaseFlags(rawValue: UInt32(MDB_DUPSORT))
    /// Keys are native-endian unsigned integers of one size.
    public static let integerKey = DatabaseFlags(rawValue: UInt32(MDB_INTEGERKEY))
    /// With `duplicateSort`: every value has the same size, so values pack densely and
    /// `getMultiple`/`putMultiple` work.
    public static let duplicateFixed = DatabaseFlags(rawValue: UInt32(MDB_DUPFIXED))
    /// With `duplicateSort`: values are native-endian unsigned integers.
    public static let integerDuplicate = DatabaseFlags(rawValue: UInt32(MDB_INTEGERDUP))
    public static let reverseDuplicate = DatabaseFlags(rawValue: UInt32(MDB_REVERSEDUP))
    public static let create = DatabaseFlags(rawValue: UInt32(MDB_CREATE))
}

/// Flags for `put` (`mdb_put`, `mdb_cursor_put`).
public struct PutFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with `LMDBError.keyExists` instead of overwriting.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// In a duplicate-sorted database, fail if the exact key/value pair exists.
    public static let noDuplicateData = PutFlags(rawValue: UInt32(MDB_NODUPDATA))
    /// Replace the item at the cursor position (cursor puts only).
    public static let current = PutFlags(rawValue: UInt32(MDB_CURRENT))
    /// Append at the end of the database; keys must arrive in order. Fills pages completely.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    /// Append a duplicate at the end of its key's values; values must arrive in order.
    public static let appendDuplicate = PutFlags(rawValue: UInt32(MDB_APPENDDUP))
}

/// How commits reach the disk. LMDB never corrupts its file on a process crash
/// (SIGKILL) in any of these modes; they differ in what an operating-system crash or power
/// loss can take.
public enum Durability: Sendable, Hashable {
    /// `fsync` data and meta page on every commit: a commit that returned is on disk. Default.
    case durable
    /// `MDB_NOMETASYNC`: data pages are synced, the meta page is not. After an OS crash or
    /// power loss the last committed transaction may be rolled back; the database stays
    /// consistent.
    case noMetaSync
    /// `MDB_NOSYNC`: nothing is synced at commit; the OS writes pages back when it likes.
    /// After an OS crash or power loss any number of recent transactions may be lost, and on
    /// a file system that reorders writes the database can be left corrupted. A process crash
    /// loses nothing (the page cache survives it). Call `Environment.sync()` to flush.
    case noSync

    var environmentFlags: UInt32 {
        switch self {
        case .durable: 0
        case .noMetaSync: UInt32(MDB_NOMETASYNC)
        case .noSync: UInt32(MDB_NOSYNC)
        }
    }
}
