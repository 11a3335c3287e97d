import Foundation
import LabelTestSupport
import Synchronization
import Testing

@testable import LabelIndex

/// The async `read` and `write`: they run on the store's own threads, so async callers never
/// block the Swift concurrency pool, writes queue for the single writer, and errors and results
/// come back as from the synchronous calls.
@Suite struct AsyncAccessTests {
    /// A counter shared by tasks and the store's threads.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test func manyTasksWriteAndReadThroughTheAsyncFace() async throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in Int64(0)..<200 {
                group.addTask {
                    try await store.write { writer in
                        let ns = try writer.namespace(.default)
                        try ns.upsertAsset(.id(id))
                        try ns.apply(.append([LabelAssignment(id.isMultiple(of: 2) ? "even" : "odd")]), to: .id(id))
                    }
                    let labels = try await store.read { try $0.namespace(.default)?.labels(of: .id(id))?.map(\.name) }
                    #expect(labels == [id.isMultiple(of: 2) ? "even" : "odd"])
                }
            }
            try await group.waitForAll()
        }
        let count = try await store.read { try $0.namespace(.default)?.assetCount }
        #expect(count == 200)
        #expect(try fixture.verify().isClean)
    }

    /// More reads than the concurrency pool has threads each wait, inside their snapshot, for a
    /// signal that only a task on that pool can send: if the reads held pool threads, the
    /// signal could never come.
    @Test(.timeLimit(.minutes(1))) func blockedReadsLeaveTheConcurrencyPoolFree() async throws {
        let blocked = ProcessInfo.processInfo.activeProcessorCount + 2
        var options = TemporaryStore.fastOptions
        options.asyncReadThreads = blocked
        let fixture = try TemporaryStore(options: options)
        let store = fixture.store
        let started = Counter()
        let release = DispatchSemaphore(value: 0)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<blocked {
                group.addTask {
                    try await store.read { _ in
                        started.value.add(1, ordering: .sequentiallyConsistent)
                        release.wait()
                        return index
                    }
                }
            }
            group.addTask {
                while started.value.load(ordering: .sequentiallyConsistent) < blocked { await Task.yield() }
                for _ in 0..<blocked { release.signal() }
                return -1
            }
            var results: [Int] = []
            for try await result in group { results.append(result) }
            #expect(results.sorted() == [-1] + Array(0..<blocked))
        }
    }

    @Test func writesNeverOverlapAndAFailedOneLeavesNothing() async throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let inside = Counter()
        let most = Counter()
        struct Refused: Error {}
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for id in Int64(0)..<40 {
                group.addTask {
                    do {
                        try await store.write { writer in
                            let now = inside.value.add(1, ordering: .sequentiallyConsistent).newValue
                            defer { inside.value.subtract(1, ordering: .sequentiallyConsistent) }
                            most.value.max(now, ordering: .sequentiallyConsistent)
                            try writer.namespace(.default).upsertAsset(.id(id))
                            if id.isMultiple(of: 4) { throw Refused() }
                        }
                        return true
                    } catch is Refused {
                        return false
                    }
                }
            }
            var committed = 0
            for try await ok in group where ok { committed += 1 }
            #expect(committed == 30)
        }
        #expect(most.value.load(ordering: .sequentiallyConsistent) == 1)
        let stored = try await store.read { snapshot in
            try (0..<40).filter { try snapshot.namespace(.default)?.asset(.id(Int64($0))) != nil }
        }
        #expect(stored == (0..<40).filter { !$0.isMultiple(of: 4) })
    }
}
