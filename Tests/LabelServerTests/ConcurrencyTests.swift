import Dispatch
import Foundation
import LabelCommands
import LabelIndex
import LabelTestSupport
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
            #expect(try await server.store.read { try $0.verify() }.isClean)
            for client in 0..<clients {
                let expected = (0..<writesPerClient).map { "c\(client)-w\($0)" }
                #expect(try server.labels(of: .id(Int64(client)), in: "acme/default") == expected)
            }
        }
    }
}
