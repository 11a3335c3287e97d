import CLMDB

/// A transaction. Instances are only handed to the closures of `Environment.read` and
/// `Environment.write`; every method throws `LMDBError.transactionEnded` once that closure
/// has returned, so a transaction that escapes its closure is harmless.
///
/// Borrowed bytes (the `UnsafeRawBufferPointer`s passed to `withValue` and cursor closures)
/// point into the memory map. They are valid only inside the closure that receives them:
/// copy what you need before returning.
public class Transaction {
    let handle: OpaquePointer
    public let environment: Environment
    public let isReadOnly: Bool
    final var state: State = .live
    /// Cursors from `makeCursor`, closed (or, in a write transaction, forgotten: LMDB frees
    /// them itself) when the transaction ends.
    final var trackedCursors: [Cursor] = []

    enum State { case live, suspended, ended }

    init(handle: OpaquePointer, environment: Environment, isReadOnly: Bool) {
        self.handle = handle
        self.environment = environment
        self.isReadOnly = isReadOnly
    }

    /// LMDB's transaction id: the snapshot a reader sees, or the id this write will commit as.
    public final var id: Int { mdb_txn_id(handle) }

    @inline(__always)
    final func checkLive() throws(LMDBError) {
        switch state {
        case .live: return
        case .suspended: throw .transactionSuspended
        case .ended: throw .transactionEnded
        }
    }

    /// Marks a read transaction over and closes its cursors; the environment then resets its
    /// handle for reuse.
    final func end() {
        state = .ended
        for cursor in trackedCursors { cursor.close() }
        trackedCursors.removeAll()
    }

    /// Forgets the cursors of a write transaction that LMDB has just freed.
    final func forgetCursors() {
        for cursor in trackedCursors { cursor.markFreedByLMDB() }
        trackedCursors.removeAll()
    }

    // MARK: Databases

    /// Opens an existing named database; `nil` when there is no database of that name.
    public final func openDatabase(named name: String?) throws(LMDBError) -> Database? {
        try checkLive()
        var dbi = MDB_dbi()
        let rc = mdb_dbi_open(handle, name, 0, &dbi)
        if rc == MDB_NOTFOUND { return nil }
        try check(rc)
        var raw: UInt32 = 0
        try check(mdb_dbi_flags(handle, dbi, &raw))
        return Database(dbi: dbi, flags: DatabaseFlags(rawValue: raw))
    }

    public final func statistics(of database: Database) throws(LMDBError) -> DatabaseStatistics {
        try checkLive()
        var stat = MDB_stat()
        try check(mdb_stat(handle, database.dbi, &stat))
        return DatabaseStatistics(stat)
    }

    // MARK: Reading

    /// Passes the value stored under `key` to `body` without copying it; returns `nil`
    /// when the key is absent.
    @inlinable
    public final func withValue<R>(
        in database: Database, forKey key: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R? {
        // Generic shell over a non-generic core: callers in other modules get `R` specialised.
        var result: R?
        try visitValue(in: database, forKey: key) { result = try body($0) }
        return result
    }

    @usableFromInline
    final func visitValue(
        in database: Database, forKey key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try checkLive()
        var k = mdbValue(key)
        var v = MDB_val()
        let rc = mdb_get(handle, database.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return }
        try check(rc)
        try body(rawBuffer(v))
    }

    /// A copy of the value stored under `key`, or `nil`.
    @inlinable
    public final func value(in database: Database, forKey key: UnsafeRawBufferPointer) throws -> [UInt8]? {
        try withValue(in: database, forKey: key) { Array($0) }
    }

    @inlinable
    public final func value(in database: Database, forKey key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { try value(in: database, forKey: $0) }
    }

    @inlinable
    public final func withValue<R>(
        in database: Database, forKey key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R? {
        try key.withUnsafeBytes { try withValue(in: database, forKey: $0, body) }
    }

    // MARK: Cursors

    /// Opens a cursor that lives until the transaction ends, for code that walks several
    /// cursors side by side (a closure per cursor would not nest well there).
    public final func makeCursor(on database: Database) throws(LMDBError) -> Cursor {
        try checkLive()
        var cursorHandle: OpaquePointer?
        try check(mdb_cursor_open(handle, database.dbi, &cursorHandle))
        guard let cursorHandle else { throw LMDBError.badTransaction }
        let cursor = Cursor(handle: cursorHandle, transaction: self, database: database)
        trackedCursors.append(cursor)
        return cursor
    }

    /// Opens a cursor on `database` for the duration of `body`.
    @inlinable
    public final func withCursor<R>(on database: Database, _ body: (Cursor) throws -> R) throws -> R {
        var result: R?
        try visitCursor(on: database) { result = try body($0) }
        return result!
    }

    @usableFromInline
    final func visitCursor(on database: Database, _ body: (Cursor) throws -> Void) throws {
        try checkLive()
        var cursorHandle: OpaquePointer?
        try check(mdb_cursor_open(handle, database.dbi, &cursorHandle))
        guard let cursorHandle else { throw LMDBError.badTransaction }
        let cursor = Cursor(handle: cursorHandle, transaction: self, database: database)
        defer { cursor.close() }
        try body(cursor)
    }
}

/// The write transaction, or a transaction nested in it.
public final class WriteTransaction: Transaction {
    private let parent: WriteTransaction?
    /// Set when any operation reported `MDB_MAP_FULL`, even if the caller caught the error:
    /// LMDB has then poisoned the transaction and the environment must grow and retry.
    private var mapFull = false

    init(handle: OpaquePointer, environment: Environment, parent: WriteTransaction?) {
        self.parent = parent
        super.init(handle: handle, environment: environment, isReadOnly: false)
    }

    var sawMapFull: Bool { mapFull }

    /// Records `MDB_MAP_FULL` on this transaction and every ancestor.
    func noteMapFull() {
        var node: WriteTransaction? = self
        while let txn = node {
            txn.mapFull = true
            node = txn.parent
        }
    }

    @inline(__always)
    func checkWrite(_ code: Int32) throws(LMDBError) {
        if code == MDB_SUCCESS { return }
        if code == MDB_MAP_FULL { noteMapFull() }
        throw LMDBError(code: code)
    }

    func commit() throws(LMDBError) {
        try checkLive()
        state = .ended
        let rc = mdb_txn_commit(handle)
        forgetCursors()
        try checkWrite(rc)
    }

    func abort() {
        guard state != .ended else { return }
        state = .ended
        mdb_txn_abort(handle)
        forgetCursors()
    }

    // MARK: Databases

    /// Opens the named database, creating it when `flags` contains `.create`.
    public func openDatabase(named name: String?, flags: DatabaseFlags) throws(LMDBError) -> Database {
        try checkLive()
        var dbi = MDB_dbi()
        try checkWrite(mdb_dbi_open(handle, name, flags.rawValue, &dbi))
        return Database(dbi: dbi, flags: flags.subtracting(.create))
    }

    /// Deletes every entry of `database` (keeping the database itself).
    public func removeAll(from database: Database) throws(LMDBError) {
        try checkLive()
        try checkWrite(mdb_drop(handle, database.dbi, 0))
    }

    // MARK: Writing

    public func put(
        _ value: UnsafeRawBufferPointer, in database: Database, forKey key: UnsafeRawBufferPointer,
        flags: PutFlags = []
    ) throws(LMDBError) {
        try checkLive()
        var k = mdbValue(key)
        var v = mdbValue(value)
        try checkWrite(mdb_put(handle, database.dbi, &k, &v, flags.rawValue))
    }

    public func put(_ value: [UInt8], in database: Database, forKey key: [UInt8], flags: PutFlags = []) throws {
        try key.withUnsafeBytes { k in
            try value.withUnsafeBytes { v in try put(v, in: database, forKey: k, flags: flags) }
        }
    }

    /// Reserves `count` bytes for the value under `key` and lets `fill` write them in place
    /// (`MDB_RESERVE`): the value is produced directly in the map, without a copy.
    public func put(
        reservingCount count: Int, in database: Database, forKey key: UnsafeRawBufferPointer,
        flags: PutFlags = [], fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        try checkLive()
        var k = mdbValue(key)
        var v = MDB_val(mv_size: count, mv_data: nil)
        try checkWrite(mdb_put(handle, database.dbi, &k, &v, flags.rawValue | UInt32(MDB_RESERVE)))
        try fill(UnsafeMutableRawBufferPointer(start: v.mv_data, count: count))
    }

    /// Deletes `key` (and, in a duplicate-sorted database, all its values when `value` is
    /// `nil`, or just `value`). Returns false when there was nothing to delete.
    @discardableResult
    public func delete(
        from database: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer? = nil
    ) throws(LMDBError) -> Bool {
        try checkLive()
        var k = mdbValue(key)
        let rc: Int32
        if let value {
            var v = mdbValue(value)
            rc = mdb_del(handle, database.dbi, &k, &v)
        } else {
            rc = mdb_del(handle, database.dbi, &k, nil)
        }
        if rc == MDB_NOTFOUND { return false }
        try checkWrite(rc)
        return true
    }

    @discardableResult
    public func delete(from database: Database, key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { try delete(from: database, key: $0) }
    }

    // MARK: Nesting

    /// Runs `body` in a transaction nested in this one: when `body` throws, only its changes
    /// are rolled back and this transaction goes on. This transaction cannot be used while
    /// `body` runs.
    @inlinable
    public func nested<R>(_ body: (WriteTransaction) throws -> R) throws -> R {
        var result: R?
        try runNested { result = try body($0) }
        return result!
    }

    @usableFromInline
    func runNested(_ body: (WriteTransaction) throws -> Void) throws {
        if environment.options.writeMap { throw LMDBError.nestedWithWriteMap }
        try checkLive()
        var childHandle: OpaquePointer?
        try checkWrite(mdb_txn_begin(environment.handle, handle, 0, &childHandle))
        guard let childHandle else { throw LMDBError.badTransaction }
        let child = WriteTransaction(handle: childHandle, environment: environment, parent: self)
        state = .suspended
        defer { state = .live }
        do {
            try body(child)
            if child.mapFull { throw LMDBError.mapFull }
            try child.commit()
        } catch {
            child.abort()
            throw error
        }
    }
}
