import CLMDB

/// A positioning request for `Cursor.get`. Keys and values passed in are read by LMDB only
/// during the call.
public enum CursorOperation {
    case first
    case last
    case next
    case previous
    case current
    /// The first key ≥ `key`.
    case setRange(UnsafeRawBufferPointer)
    /// Exactly `key`.
    case set(UnsafeRawBufferPointer)
    // Duplicate-sorted databases:
    case firstDuplicate
    case lastDuplicate
    case nextDuplicate
    case previousDuplicate
    case nextNoDuplicate
    case previousNoDuplicate
    /// Exactly the pair `key`/`value`.
    case getBoth(UnsafeRawBufferPointer, UnsafeRawBufferPointer)
    /// `key`, and its first value ≥ `value`.
    case getBothRange(UnsafeRawBufferPointer, UnsafeRawBufferPointer)
    /// With `duplicateFixed`: up to a page of the current key's values, packed
    /// (`MDB_GET_MULTIPLE`); position the cursor on the key first.
    case getMultiple
    /// With `duplicateFixed`: the next page of packed values (`MDB_NEXT_MULTIPLE`).
    case nextMultiple

    @inline(__always)
    func withArguments<R>(_ body: (MDB_cursor_op, inout MDB_val, inout MDB_val) throws -> R) rethrows -> R {
        var key = MDB_val()
        var value = MDB_val()
        let op: MDB_cursor_op
        switch self {
        case .first: op = MDB_FIRST
        case .last: op = MDB_LAST
        case .next: op = MDB_NEXT
        case .previous: op = MDB_PREV
        case .current: op = MDB_GET_CURRENT
        case .setRange(let k):
            op = MDB_SET_RANGE
            key = mdbValue(k)
        case .set(let k):
            op = MDB_SET_KEY
            key = mdbValue(k)
        case .firstDuplicate: op = MDB_FIRST_DUP
        case .lastDuplicate: op = MDB_LAST_DUP
        case .nextDuplicate: op = MDB_NEXT_DUP
        case .previousDuplicate: op = MDB_PREV_DUP
        case .nextNoDuplicate: op = MDB_NEXT_NODUP
        case .previousNoDuplicate: op = MDB_PREV_NODUP
        case .getBoth(let k, let v):
            op = MDB_GET_BOTH
            key = mdbValue(k)
            value = mdbValue(v)
        case .getBothRange(let k, let v):
            op = MDB_GET_BOTH_RANGE
            key = mdbValue(k)
            value = mdbValue(v)
        case .getMultiple: op = MDB_GET_MULTIPLE
        case .nextMultiple: op = MDB_NEXT_MULTIPLE
        }
        return try body(op, &key, &value)
    }
}

/// A cursor, valid inside the `Transaction.withCursor` closure that created it.
public final class Cursor {
    let handle: OpaquePointer
    let transaction: Transaction
    public let database: Database
    private var isOpen = true

    init(handle: OpaquePointer, transaction: Transaction, database: Database) {
        self.handle = handle
        self.transaction = transaction
        self.database = database
    }

    func close() {
        guard isOpen else { return }
        isOpen = false
        mdb_cursor_close(handle)
    }

    /// A write transaction's commit or abort freed this cursor already.
    func markFreedByLMDB() { isOpen = false }

    @inline(__always)
    private func checkOpen() throws(LMDBError) {
        guard isOpen else { throw LMDBError.transactionEnded }
        try transaction.checkLive()
    }

    /// Moves the cursor and passes the entry it lands on to `body`, borrowed from the map.
    /// Returns `nil` (leaving `body` uncalled) when there is no such entry.
    ///
    /// For `getBoth`/`getBothRange`/`set`, the key passed to `body` is LMDB's copy in the map.
    @inlinable
    public func get<R>(
        _ operation: CursorOperation,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> R
    ) throws -> R? {
        var result: R?
        try visit(operation) { result = try body($0, $1) }
        return result
    }

    @usableFromInline
    func visit(
        _ operation: CursorOperation, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try checkOpen()
        try operation.withArguments { op, key, value in
            let rc = mdb_cursor_get(handle, &key, &value, op)
            if rc == MDB_NOTFOUND { return }
            try check(rc)
            try body(rawBuffer(key), rawBuffer(value))
        }
    }

    /// Moves the cursor; returns whether it landed on an entry.
    @discardableResult
    public func move(_ operation: CursorOperation) throws -> Bool {
        var found = false
        try visit(operation) { _, _ in found = true }
        return found
    }

    /// Passes every value stored under `key` in a `duplicateFixed` database to `body`, a page
    /// of packed values at a time (`MDB_GET_MULTIPLE`/`MDB_NEXT_MULTIPLE`). Returns false when
    /// the key is absent.
    ///
    /// A key holding a single value is not a duplicate sub-database yet, and for it LMDB's
    /// `MDB_GET_MULTIPLE` succeeds without returning anything; that case is read directly.
    @discardableResult
    public func forEachDuplicatePage(
        ofKey key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Bool {
        guard let first = try get(.set(key), { _, value in Array(value) }) else { return false }
        if try duplicateCount() == 1 {
            try first.withUnsafeBytes { try body($0) }
            return true
        }
        var op = CursorOperation.getMultiple
        while try get(op, { _, values in try body(values) }) != nil { op = .nextMultiple }
        return true
    }

    /// Number of values under the current key of a duplicate-sorted database.
    public func duplicateCount() throws(LMDBError) -> Int {
        try checkOpen()
        var count = 0
        try check(mdb_cursor_count(handle, &count))
        return count
    }

    // MARK: Writing

    private var writeTransaction: WriteTransaction {
        get throws(LMDBError) {
            guard let txn = transaction as? WriteTransaction else { throw LMDBError.readOnly }
            return txn
        }
    }

    public func put(
        _ value: UnsafeRawBufferPointer, forKey key: UnsafeRawBufferPointer, flags: PutFlags = []
    ) throws(LMDBError) {
        try checkOpen()
        let txn = try writeTransaction
        var k = mdbValue(key)
        var v = mdbValue(value)
        try txn.checkWrite(mdb_cursor_put(handle, &k, &v, flags.rawValue))
    }

    /// Reserves `count` bytes for the value under `key` and lets `fill` write them in place.
    public func put(
        reservingCount count: Int, forKey key: UnsafeRawBufferPointer, flags: PutFlags = [],
        fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        try checkOpen()
        let txn = try writeTransaction
        var k = mdbValue(key)
        var v = MDB_val(mv_size: count, mv_data: nil)
        try txn.checkWrite(mdb_cursor_put(handle, &k, &v, flags.rawValue | UInt32(MDB_RESERVE)))
        try fill(UnsafeMutableRawBufferPointer(start: v.mv_data, count: count))
    }

    /// Stores many fixed-size values under one key of a `duplicateFixed` database in one call
    /// (`MDB_MULTIPLE`). `values` holds them packed, `elementSize` bytes each, in order.
    /// Returns how many were stored.
    @discardableResult
    public func putMultiple(
        _ values: UnsafeRawBufferPointer, elementSize: Int, forKey key: UnsafeRawBufferPointer,
        flags: PutFlags = []
    ) throws(LMDBError) -> Int {
        try checkOpen()
        let txn = try writeTransaction
        precondition(elementSize > 0 && values.count % elementSize == 0, "values must be whole elements")
        var k = mdbValue(key)
        var pair = (
            MDB_val(mv_size: elementSize, mv_data: UnsafeMutableRawPointer(mutating: values.baseAddress)),
            MDB_val(mv_size: values.count / elementSize, mv_data: nil)
        )
        let rc = withUnsafeMutablePointer(to: &pair) { pointer in
            pointer.withMemoryRebound(to: MDB_val.self, capacity: 2) { data in
                mdb_cursor_put(handle, &k, data, flags.rawValue | UInt32(MDB_MULTIPLE))
            }
        }
        try txn.checkWrite(rc)
        return pair.1.mv_size
    }

    /// Deletes the entry at the cursor (all of its key's values with `allDuplicates`).
    public func deleteCurrent(allDuplicates: Bool = false) throws(LMDBError) {
        try checkOpen()
        let txn = try writeTransaction
        try txn.checkWrite(mdb_cursor_del(handle, allDuplicates ? UInt32(MDB_NODUPDATA) : 0))
    }
}
