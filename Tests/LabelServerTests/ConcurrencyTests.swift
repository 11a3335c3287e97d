import Dispatch
import Foundation
import LabelCommands
import LabelIndex
import Logging
import Testing

@testable import LabelServer

/// Group commit under concurrency: many clients writing and querying at once, commits shared
/// between requests, failures isolated, nothing lost.
@Suite struct ConcurrencyTests {
    @Test func manyClientsWriteAndQuery() async throws {
        var options = TemporaryStore.fastOptions
        options.durability = .durable
        try await withServer(options: options) { server in
            let key = try server.key()
            let clients = 64
            let writesPerClient = 12
            let records = (0..<clients).map { #"{"id":\#($0),"name":"asset \#($0)"}"# }.joined(separator: ",")
            let created = try await server.send(.post, "/v1/assets", headers: ["X-API-Key": key], json: "[\(records)]")
            #expect(created["created"]?.int == clients)
            let before = server.store.groupCommitStatistics
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<clients {
                    group.addTask {
                        for write in 0..<writesPerClient {
                            let label = "c\(client)-w\(write)"
                            let reply = try await server.send(
                                .post, "/v1/asset/\(client)/labels", headers: ["X-API-Key": key],
                                json: #"{"labels":["\#(label)"]}"#)
                            #expect(reply.status == 200)
                            // An acknowledged write is visible to every later read.
                            let query = try await server.send(
                                .get, "/v1/query?q=label:\(label)", headers: ["X-API-Key": key])
                            #expect(query["assets"]?.arrayValue?.map { $0["id"] } == [.int(client)])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let after = server.store.groupCommitStatistics
            let requests = after.submissions - before.submissions
            let commits = after.commits - before.commits
            #expect(requests == clients * writesPerClient)
            #expect(commits < requests, "group commit shares commits: \(commits) commits for \(requests) requests")
            #expect(after.largestBatch > 1)
            #expect(try server.store.read { try $0.verify() }.isClean)
            for client in 0..<clients {
                let expected = (0..<writesPerClient).map { "c\(client)-w\($0)" }
                #expect(try server.labels(of: .id(Int64(client)), in: "acme/default") == expected)
            }
        }
    }

    /// A writer blocked in a transaction makes every request that arrives meanwhile share the
    /// next commit.
    @Test func queuedRequestsShareOneCommit() async throws {
        let temporary = try TemporaryStore()
        let queue = WriteQueue(store: temporary.store, maximumBatch: 1_024, logger: Logger(label: "test"))
        let (started, gate) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        async let blocker: Void = queue.perform { writer in
            started.signal()
            gate.wait()
            try writer.namespace("n").upsertAsset(.id(0))
        }
        try await waitUntil { started.wait(timeout: .now()) == .success }
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 1...50 {
                group.addTask {
                    try await queue.perform { writer in
                        let namespace = try writer.namespace("n")
                        try namespace.upsertAsset(.id(Int64(index)))
                        if index.isMultiple(of: 5) { throw LabelIndexError.labelNotFound(LabelID(UInt32(index))) }
                        return index
                    }
                }
            }
            try await waitUntil { queue.pendingCount == 50 }
            gate.signal()
            var succeeded: [Int] = []
            while let outcome = await group.nextResult() {
                if case .success(let index) = outcome { succeeded.append(index) }
            }
            return succeeded.sorted()
        }
        try await blocker
        let statistics = queue.currentStatistics
        #expect(statistics.commits == 2)
        #expect(statistics.requests == 51)
        #expect(statistics.largestBatch == 50)
        #expect(statistics.failedRequests == 10)
        // The failing requests rolled back alone: their assets are absent, the others present.
        #expect(results == (1...50).filter { !$0.isMultiple(of: 5) })
        let stored = try temporary.store.read { snapshot in
            try (0...50).filter { try snapshot.namespace("n")?.contains(.id(Int64($0))) == true }
        }
        #expect(stored == [0] + results)
        await queue.shutdown()
    }

    /// Shutdown commits what is queued and refuses what comes after.
    @Test func shutdownDrainsTheQueue() async throws {
        let temporary = try TemporaryStore()
        let queue = WriteQueue(store: temporary.store, maximumBatch: 4, logger: Logger(label: "test"))
        let (started, gate) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        async let blocker: Void = queue.perform { writer in
            started.signal()
            gate.wait()
            try writer.namespace("n").upsertAsset(.id(0))
        }
        try await waitUntil { started.wait(timeout: .now()) == .success }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...10 {
                group.addTask { _ = try await queue.perform { try $0.namespace("n").upsertAsset(.id(Int64(index))) } }
            }
            try await waitUntil { queue.pendingCount == 10 }
            async let stopped: Void = queue.shutdown()
            gate.signal()
            try await group.waitForAll()
            await stopped
        }
        try await blocker
        #expect(try temporary.store.read { try $0.namespace("n")?.assetCount } == 11)
        await #expect(throws: ServiceUnavailable.self) { try await queue.perform { _ in 1 } }
        #expect(queue.currentStatistics.largestBatch == 4)
    }
}

/// Polls `condition` every millisecond for up to five seconds.
func waitUntil(_ condition: () -> Bool) async throws {
    for _ in 0..<5_000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("condition not reached in time")
}
