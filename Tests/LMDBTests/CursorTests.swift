import LMDB
import Testing

@Suite struct CursorTests {
    @Test func iterationAndRangeSeeks() throws {
        let env = try TemporaryEnvironment()
        let db = try env.database("ordered")
        try env.environment.write { txn in
            for value in stride(from: UInt32(0), to: 100, by: 10) { try txn.put([1], in: db, forKey: bigEndian(value)) }
        }
        let keys: [[UInt8]] = try env.environment.read { txn in
            try txn.withCursor(on: db) { cursor in
                var keys: [[UInt8]] = []
                try bigEndian(35).withUnsafeBytes { start in
                    var op = CursorOperation.setRange(start)
                    while let key = try cursor.get(op, { key, _ in Array(key) }) {
                        keys.append(key)
                        op = .next
                    }
                }
                return keys
            }
        }
        #expect(keys == [40, 50, 60, 70, 80, 90].map { bigEndian($0) })
    }

    @Test func duplicatesWithMultiplePutsAndPagedReads() throws {
        let env = try TemporaryEnvironment()
        let db = try env.database("dups", [.duplicateSort, .duplicateFixed, .integerDuplicate])
        let values = (0..<10_000).map { UInt32($0 * 3) }
        try env.environment.write { txn in
            try txn.withCursor(on: db) { cursor in
                try [UInt8]("many").withUnsafeBytes { key in
                    let stored = try values.withUnsafeBytes { try cursor.putMultiple($0, elementSize: 4, forKey: key) }
                    #expect(stored == values.count)
                }
                try [UInt8]("one").withUnsafeBytes { key in
                    try withUnsafeBytes(of: UInt32(7)) { value -> Void in try cursor.put(value, forKey: key) }
                }
            }
        }
        func read(_ key: String) throws -> [UInt32] {
            try env.environment.read { (txn) throws in
                try txn.withCursor(on: db) { cursor in
                    var result: [UInt32] = []
                    _ = try [UInt8](key).withUnsafeBytes { key in
                        try cursor.forEachDuplicatePage(ofKey: key) { page in
                            for offset in stride(from: 0, to: page.count, by: 4) {
                                result.append(page.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                            }
                        }
                    }
                    return result
                }
            }
        }
        #expect(try read("many") == values)
        #expect(try read("one") == [7], "a single value is not a sub-database; it must still be returned")
        #expect(try read("none") == [])
        let count = try env.environment.read { txn in
            try txn.withCursor(on: db) { cursor in
                try [UInt8]("many").withUnsafeBytes { key in
                    try cursor.move(.set(key))
                    return try cursor.duplicateCount()
                }
            }
        }
        #expect(count == 10_000)
    }

    @Test func getBothRangeFindsTheFirstValueAtOrAbove() throws {
        let env = try TemporaryEnvironment()
        let db = try env.database("dups", [.duplicateSort, .duplicateFixed])
        try env.environment.write { txn in
            for value in [UInt32(10), 20, 30] {
                try txn.put(bigEndian(value), in: db, forKey: [UInt8]("k"))
            }
        }
        let found = try env.environment.read { txn in
            try txn.withCursor(on: db) { cursor in
                try [UInt8]("k").withUnsafeBytes { key in
                    try bigEndian(15).withUnsafeBytes { probe in
                        try cursor.get(.getBothRange(key, probe)) { _, value in Array(value) }
                    }
                }
            }
        }
        #expect(found == bigEndian(20))
    }
}
