import LMDB
import Testing

@Suite struct TransactionTests {
    @Test func putGetDeleteRoundTrip() throws {
        let env = try TemporaryEnvironment()
        let db = try env.database("kv")
        try env.environment.write { txn in
            try txn.put([UInt8]("one"), in: db, forKey: [UInt8]("a"))
            try txn.put([UInt8]("two"), in: db, forKey: [UInt8]("b"))
        }
        try env.environment.read { (txn) throws in
            #expect(try txn.value(in: db, forKey: [UInt8]("a")) == [UInt8]("one"))
            #expect(try txn.withValue(in: db, forKey: [UInt8]("b")) { $0.count } == 3)
            #expect(try txn.value(in: db, forKey: [UInt8]("zz")) == nil)
        }
        let deleted = try env.environment.write { txn in
            (try txn.delete(from: db, key: [UInt8]("a")), try txn.delete(from: db, key: [UInt8]("a")))
        }
        #expect(deleted == (true, false))
    }

    @Test func errorsAreTyped() throws {
        let env = try TemporaryEnvironment()
        let db = try env.database("kv")
        try env.environment.write { try $0.put([1], in: db, forKey: [1]) }
        #expect(throws: LMDBError.keyExists) {
            try env.environment.write { txn in
                try [UInt8]([1]).withUnsafeBytes { key in
                    try [UInt8]([2]).withUnsafeBytes { try txn.put($0, in: db, forKey: key, flags: .noOverwrite) }
                }
            }
        }
        #expect(throws: LMDBError.badValueSize) {
            try env.environment.write { try $0.put([1], in: db, forKey: Array(repeating: 7, count: 600)) }
        }
        #expect(throws: LMDBError.reentrantWrite) {
            try env.environment.write { _ in try env.environment.write { _ in } }
        }
        #expect(LMDBError.mapFull.description.contains("MDB_MAP_FULL"))
    }

    @Test func aTransactionThatEscapesItsClosureIsDead() throws {
        let env = try TemporaryEnvironment()
        let db = try env.database("kv")
        var escaped: Transaction?
        var escapedCursor: Cursor?
        try env.environment.read { (txn) throws in
            escaped = txn
            escapedCursor = try txn.makeCursor(on: db)
        }
        #expect(throws: LMDBError.transactionEnded) { try escaped?.value(in: db, forKey: [1]) }
        #expect(throws: LMDBError.transactionEnded) { try escapedCursor?.move(.first) }
        var escapedWriter: WriteTransaction?
        try env.environment.write { escapedWriter = $0 }
        #expect(throws: LMDBError.transactionEnded) { try escapedWriter?.put([1], in: db, forKey: [1]) }
    }

    @Test func failedWriteRollsBack() throws {
        struct Refused: Error {}
        let env = try TemporaryEnvironment()
        let db = try env.database("kv")
        #expect(throws: Refused.self) {
            try env.environment.write { txn in
                try txn.put([1], in: db, forKey: [1])
                throw Refused()
            }
        }
        #expect(try env.environment.read { try $0.value(in: db, forKey: [1]) } == nil)
    }

    @Test func nestedTransactionsRollBackAlone() throws {
        struct Refused: Error {}
        let env = try TemporaryEnvironment()
        let db = try env.database("kv")
        try env.environment.write { txn in
            try txn.put([1], in: db, forKey: [1])
            #expect(throws: Refused.self) {
                try txn.nested { child in
                    try child.put([2], in: db, forKey: [2])
                    #expect(throws: LMDBError.transactionSuspended) { try txn.value(in: db, forKey: [1]) }
                    throw Refused()
                }
            }
            try txn.nested { child in try child.put([3], in: db, forKey: [3]) }
        }
        try env.environment.read { (txn) throws in
            #expect(try txn.value(in: db, forKey: [1]) == [1])
            #expect(try txn.value(in: db, forKey: [2]) == nil)
            #expect(try txn.value(in: db, forKey: [3]) == [3])
        }
    }

    @Test func writeMapRefusesNestedTransactions() throws {
        let env = try TemporaryEnvironment { $0.writeMap = true }
        let db = try env.database("kv")
        try env.environment.write { try $0.put([1], in: db, forKey: [1]) }
        #expect(throws: LMDBError.nestedWithWriteMap) {
            try env.environment.write { txn in try txn.nested { _ in } }
        }
        #expect(try env.environment.read { try $0.value(in: db, forKey: [1]) } == [1])
    }

    @Test func reservedPutsAreFilledInPlace() throws {
        let env = try TemporaryEnvironment()
        let db = try env.database("kv")
        try env.environment.write { txn in
            try [UInt8]("k").withUnsafeBytes { key in
                try txn.put(reservingCount: 5, in: db, forKey: key) { buffer in
                    for index in buffer.indices { buffer[index] = UInt8(index) }
                }
            }
        }
        #expect(try env.environment.read { try $0.value(in: db, forKey: [UInt8]("k")) } == [0, 1, 2, 3, 4])
    }
}
