// LMDB: a thin, safe Swift binding over the system liblmdb.
//
// This module owns the environment, transactions, databases and cursors, and nothing else:
// no encoding, no schema. Every LMDB return code is checked and mapped to `LMDBError`;
// bytes borrowed from the memory map are only ever handed to closures that run while their
// transaction is live, so they cannot outlive it.

import CLMDB

/// An error reported by LMDB, or by this binding when it is misused.
public enum LMDBError: Error, Hashable, Sendable {
    case keyExists
    case notFound
    case pageNotFound
    case corrupted
    case panic
    case versionMismatch
    case invalidFile
    case mapFull
    case databasesFull
    case readersFull
    case threadLocalStorageFull
    case transactionFull
    case cursorStackFull
    case pageFull
    case mapResized
    case incompatible
    case badReaderSlot
    case badTransaction
    case badValueSize
    case badDatabase
    /// A POSIX error number (`ENOSPC`, `EACCES`, …) returned by LMDB.
    case system(errno: Int32)
    /// The transaction (or a cursor on it) was used after its closure returned.
    case transactionEnded
    /// A write was attempted through a read-only transaction or environment.
    case readOnly
    /// A parent transaction was used while one of its nested transactions was open.
    case transactionSuspended
    /// The map needed to grow past `Environment.Options.maximumMapSize`.
    case mapSizeLimitReached(limit: Int)
    /// `write` was called inside a write transaction on the same thread.
    case reentrantWrite
    /// Nested transactions are not available when the environment uses `MDB_WRITEMAP`.
    case nestedWithWriteMap

    init(code: Int32) {
        switch code {
        case MDB_KEYEXIST: self = .keyExists
        case MDB_NOTFOUND: self = .notFound
        case MDB_PAGE_NOTFOUND: self = .pageNotFound
        case MDB_CORRUPTED: self = .corrupted
        case MDB_PANIC: self = .panic
        case MDB_VERSION_MISMATCH: self = .versionMismatch
        case MDB_INVALID: self = .invalidFile
        case MDB_MAP_FULL: self = .mapFull
        case MDB_DBS_FULL: self = .databasesFull
        case MDB_READERS_FULL: self = .readersFull
        case MDB_TLS_FULL: self = .threadLocalStorageFull
        case MDB_TXN_FULL: self = .transactionFull
        case MDB_CURSOR_FULL: self = .cursorStackFull
        case MDB_PAGE_FULL: self = .pageFull
        case MDB_MAP_RESIZED: self = .mapResized
        case MDB_INCOMPATIBLE: self = .incompatible
        case MDB_BAD_RSLOT: self = .badReaderSlot
        case MDB_BAD_TXN: self = .badTransaction
        case MDB_BAD_VALSIZE: self = .badValueSize
        case MDB_BAD_DBI: self = .badDatabase
        default: self = .system(errno: code)
        }
    }

    /// The LMDB return code, when the error came from LMDB.
    public var code: Int32? {
        switch self {
        case .keyExists: MDB_KEYEXIST
        case .notFound: MDB_NOTFOUND
        case .pageNotFound: MDB_PAGE_NOTFOUND
        case .corrupted: MDB_CORRUPTED
        case .panic: MDB_PANIC
        case .versionMismatch: MDB_VERSION_MISMATCH
        case .invalidFile: MDB_INVALID
        case .mapFull: MDB_MAP_FULL
        case .databasesFull: MDB_DBS_FULL
        case .readersFull: MDB_READERS_FULL
        case .threadLocalStorageFull: MDB_TLS_FULL
        case .transactionFull: MDB_TXN_FULL
        case .cursorStackFull: MDB_CURSOR_FULL
        case .pageFull: MDB_PAGE_FULL
        case .mapResized: MDB_MAP_RESIZED
        case .incompatible: MDB_INCOMPATIBLE
        case .badReaderSlot: MDB_BAD_RSLOT
        case .badTransaction: MDB_BAD_TXN
        case .badValueSize: MDB_BAD_VALSIZE
        case .badDatabase: MDB_BAD_DBI
        case .system(let errno): errno
        case .transactionEnded, .readOnly, .transactionSuspended, .mapSizeLimitReached, .reentrantWrite,
            .nestedWithWriteMap:
            nil
        }
    }
}

extension LMDBError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .transactionEnded: "LMDB transaction used after it ended"
        case .readOnly: "write attempted in a read-only transaction"
        case .transactionSuspended: "parent transaction used while a nested transaction is open"
        case .mapSizeLimitReached(let limit): "LMDB map would have to grow past its configured limit of \(limit) bytes"
        case .reentrantWrite: "write transaction started inside another write transaction on the same thread"
        case .nestedWithWriteMap: "nested transactions are not supported with the write-map option"
        default: "LMDB: " + String(cString: mdb_strerror(code ?? 0))
        }
    }
}

/// Maps an LMDB return code to `LMDBError`; `MDB_SUCCESS` passes.
@inline(__always)
func check(_ code: Int32) throws(LMDBError) {
    if code != MDB_SUCCESS { throw LMDBError(code: code) }
}
