import CLMDB

/// A named database inside an environment (an `MDB_dbi` handle and the flags it was opened
/// with). Handles stay valid for the life of the environment.
public struct Database: Sendable, Hashable {
    let dbi: MDB_dbi
    public let flags: DatabaseFlags
}

/// Page counts and entries of one database (`mdb_stat`).
public struct DatabaseStatistics: Sendable, Hashable {
    public var pageSize: Int
    public var depth: Int
    public var branchPages: Int
    public var leafPages: Int
    public var overflowPages: Int
    public var entries: Int

    /// Bytes of the pages this database occupies.
    public var bytes: Int { (branchPages + leafPages + overflowPages) * pageSize }

    init(_ stat: MDB_stat) {
        pageSize = Int(stat.ms_psize)
        depth = Int(stat.ms_depth)
        branchPages = stat.ms_branch_pages
        leafPages = stat.ms_leaf_pages
        overflowPages = stat.ms_overflow_pages
        entries = stat.ms_entries
    }
}

/// Bridges a Swift buffer to an `MDB_val` for the duration of a call. LMDB never writes
/// through input values, so the mutable cast is sound.
@inline(__always)
func mdbValue(_ buffer: UnsafeRawBufferPointer) -> MDB_val {
    MDB_val(mv_size: buffer.count, mv_data: UnsafeMutableRawPointer(mutating: buffer.baseAddress))
}

@inline(__always)
func rawBuffer(_ value: MDB_val) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size)
}
