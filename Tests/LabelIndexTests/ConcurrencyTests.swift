import Foundation
import LabelIndex
import LabelTestSupport
import Synchronization
import Testing

/// Readers on many threads take snapshots while one writer keeps committing; every snapshot
/// must be internally consistent.
@Suite struct ConcurrencyTests {
    @Test func snapshotsStayConsistentUnderConcurrentCommits() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let names = (0..<12).map { "label-\($0)" }
        // Invariant kept by every commit: 40 assets with exactly two labels each.
        try fixture.write { ns in
            for id in Int64(0)..<40 {
                try ns.upsertAsset(.id(id))
                try ns.apply(
                    .replace([LabelAssignment(names[Int(id) % 12]), LabelAssignment(names[(Int(id) + 1) % 12])]),
                    to: .id(id))
            }
        }
        let stop = Atomic<Bool>(false)
        let snapshots = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let readers = (0..<4).map { reader in
            Thread {
                var lastTransaction = 0
                while !stop.load(ordering: .relaxed) {
                    do {
                        try store.read { snapshot in
                            guard snapshot.transactionID >= lastTransaction else {
                                throw ConsistencyFailure("reader \(reader) went back in time")
                            }
                            lastTransaction = snapshot.transactionID
                            guard let ns = try snapshot.namespace(.default) else {
                                throw ConsistencyFailure("no namespace")
                            }
                            let labels = try ns.labels()
                            let total = labels.reduce(0) { $0 + $1.assetCount }
                            guard total == 80, try ns.pairCount() == 80 else {
                                throw ConsistencyFailure("pair total \(total) in transaction \(snapshot.transactionID)")
                            }
                            for label in labels {
                                let members = try ns.postings(of: .label(label.id))
                                guard members.count == label.assetCount else { throw ConsistencyFailure("count drift") }
                                for ordinal in members {
                                    guard let ids = try ns.labelIDs(at: AssetOrdinal(ordinal)),
                                        ids.contains(where: { $0.id == label.id })
                                    else { throw ConsistencyFailure("postings and record disagree") }
                                }
                            }
                            if snapshots.load(ordering: .relaxed) % 25 == 0 {
                                let report = try snapshot.verify()
                                guard report.isClean else { throw ConsistencyFailure(report.description) }
                            }
                        }
                        snapshots.add(1, ordering: .relaxed)
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                        return
                    }
                }
            }
        }
        readers.forEach { $0.start() }
        var random = SeededGenerator(seed: 99)
        for _ in 0..<400 {
            let id = Int64.random(in: 0..<40, using: &random)
            let first = Int.random(in: 0..<12, using: &random)
            let second = (first + Int.random(in: 1..<12, using: &random)) % 12
            try fixture.write { ns in
                try ns.apply(.replace([LabelAssignment(names[first]), LabelAssignment(names[second])]), to: .id(id))
            }
        }
        stop.store(true, ordering: .relaxed)
        while readers.contains(where: { $0.isExecuting }) { Thread.sleep(forTimeInterval: 0.01) }
        #expect(failures.withLock { $0 } == [])
        #expect(snapshots.load(ordering: .relaxed) > 20)
        #expect(try fixture.verify().isClean)
    }

    @Test func writesFromManyThreadsAreSerialised() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let threads = (0..<4).map { worker in
            Thread {
                for index in 0..<50 {
                    try? store.write { writer in
                        let ns = try writer.namespace(.default)
                        let key = AssetKey.id(Int64(worker * 1000 + index))
                        try ns.upsertAsset(key)
                        try ns.apply(.append(["shared", LabelAssignment("worker-\(worker)")]), to: key)
                    }
                }
            }
        }
        threads.forEach { $0.start() }
        while threads.contains(where: { !$0.isFinished }) { Thread.sleep(forTimeInterval: 0.01) }
        try fixture.read { (ns) throws in
            #expect(ns.assetCount == 200)
            #expect(try ns.label(named: "shared")?.assetCount == 200)
        }
        #expect(try fixture.verify().isClean)
    }

    @Test func theMapGrowsUnderTheEngine() throws {
        var options = TemporaryStore.fastOptions
        options.initialMapSize = 1 << 20
        let fixture = try TemporaryStore(options: options)
        for batch in 0..<8 {
            try fixture.write { ns in
                for index in 0..<2_500 {
                    let key = AssetKey.id(Int64(batch * 2_500 + index))
                    try ns.upsertAsset(key, AssetAttributes(name: String(repeating: "n", count: 100)))
                    try ns.apply(.append([LabelAssignment("l\(index % 50)"), "all"]), to: key)
                }
            }
        }
        try fixture.read { (ns) throws in
            #expect(ns.assetCount == 20_000)
            #expect(try ns.label(named: "all")?.assetCount == 20_000)
            #expect(try ns.labels(of: .id(19_999))?.map(\.name) == ["l49", "all"])
        }
        #expect(try fixture.verify().isClean)
        #expect(try fixture.store.read { try $0.statistics() }.mapSize > 1 << 20)
    }
}

struct ConsistencyFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
