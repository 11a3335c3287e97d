import Foundation
import LMDB
import Testing

@Suite struct EnvironmentTests {
    @Test func theMapGrowsWithoutTheCallerNoticing() throws {
        let env = try TemporaryEnvironment { $0.mapSize = 256 * 1024 }
        let db = try env.database("big")
        let initial = env.environment.mapSize
        let value = [UInt8](repeating: 0xAB, count: 1000)
        var attempts = 0
        for batch in 0..<40 {
            try env.environment.write { txn in
                attempts += 1
                for index in 0..<250 { try txn.put(value, in: db, forKey: bigEndian(UInt32(batch * 250 + index))) }
            }
        }
        #expect(env.environment.mapSize > initial)
        #expect(attempts > 40, "at least one transaction was retried after growing the map")
        let stored = try env.environment.read { txn in try txn.statistics(of: db).entries }
        #expect(stored == 10_000)
        try env.environment.read { (txn) throws in
            for key in [0, 4_999, 9_999] { #expect(try txn.value(in: db, forKey: bigEndian(UInt32(key))) == value) }
        }
    }

    @Test func growthStopsAtTheConfiguredLimit() throws {
        let env = try TemporaryEnvironment {
            $0.mapSize = 256 * 1024
            $0.maximumMapSize = 512 * 1024
        }
        let db = try env.database("big")
        #expect(throws: LMDBError.mapSizeLimitReached(limit: 512 * 1024)) {
            try env.environment.write { txn in
                for index in 0..<2_000 {
                    try txn.put([UInt8](repeating: 1, count: 1000), in: db, forKey: bigEndian(UInt32(index)))
                }
            }
        }
    }

    @Test func readersKeepTheirSnapshotWhileTheWriterCommits() throws {
        let env = try TemporaryEnvironment()
        let db = try env.database("counter")
        try env.environment.write { try $0.put(bigEndian(0), in: db, forKey: [0]) }
        try env.environment.read { (txn) throws in
            let before = try txn.value(in: db, forKey: [0])
            // A write committed by another thread while this snapshot is open.
            let done = DispatchSemaphore(value: 0)
            let environment = env.environment
            Thread.detachNewThread {
                try? environment.write { try $0.put(bigEndian(1), in: db, forKey: [0]) }
                done.signal()
            }
            done.wait()
            #expect(try txn.value(in: db, forKey: [0]) == before)
        }
        #expect(try env.environment.read { try $0.value(in: db, forKey: [0]) } == bigEndian(1))
    }

    @Test func copyProducesAnOpenableEnvironment() throws {
        let env = try TemporaryEnvironment()
        let db = try env.database("kv")
        try env.environment.write { try $0.put([9], in: db, forKey: [1]) }
        let target = env.path + "-copy"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: target) }
        try env.environment.copy(to: target)
        var options = Environment.Options()
        options.readOnly = true
        let copy = try Environment(path: target, options: options)
        let value = try copy.read { txn in
            try txn.openDatabase(named: "kv").flatMap { try txn.value(in: $0, forKey: [1]) }
        }
        #expect(value == [9])
        #expect(throws: LMDBError.readOnly) { try copy.write { _ in } }
    }
}
