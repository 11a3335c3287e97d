import Foundation
import HTTPTypes
import LabelCommands
import LabelIndex
import Testing

@testable import LabelServer

/// `GET /v1/changes` as the route sees a feed: the caller's namespace only, one NDJSON line per
/// entry, 410 with the log's start, 400 for a bad `since`, 404 on a single node. The feed over
/// real etcd is tested in `ChangeFeedTests` and end to end in `ClusterEndToEndTests`.
@Suite struct ChangeRouteTests {
    /// Entries 3…5 of every namespace asked for; anything before 2 was trimmed.
    struct Feed: ChangeFeed {
        func changes(
            of namespace: Namespace, after sequence: UInt64, follow: Bool
        ) async throws
            -> AsyncThrowingStream<AppliedChange, any Error>
        {
            if sequence < 2 { throw ChangesTrimmed(start: 3) }
            let changes = (3...5).filter { $0 > sequence }.map { position in
                AppliedChange(
                    partition: 1, sequence: UInt64(position), namespace: namespace,
                    submissions: [
                        CommandSubmission(
                            commands: [.changeLabels(namespace, .id(Int64(position)), .append(["a\"b"]))],
                            namespace: namespace, timestamp: 1_700_000_000_000)
                    ])
            }
            return AsyncThrowingStream { continuation in
                for change in changes { continuation.yield(change) }
                continuation.finish()
            }
        }
    }

    @Test func aSingleNodeKeepsNoLog() async throws {
        try await withServer { server in
            let reply = try await server.send(.get, "/v1/changes?since=0", headers: ["X-API-Key": try server.key()])
            #expect(reply.status == 404)
            #expect(reply["error"] == "not_found")
        }
    }

    @Test func theCallersNamespaceAsOneLinePerEntry() async throws {
        var configuration = ServerConfiguration.testing()
        configuration.changes = Feed()
        try await withServer(configuration) { server in
            let key = try server.key("acme")
            let reply = try await server.send(
                .get, "/v1/changes?since=3&follow=false", headers: ["X-API-Key": key, "X-Namespace": "team/red"])
            #expect(reply.status == 200)
            #expect(reply.headers[.contentType] == "application/x-ndjson")
            let lines = reply.text.split(separator: "\n").map(String.init)
            #expect(
                lines.first
                    == #"{"sequence":4,"partition":1,"namespace":"acme/team/red","submissions":[{"timestamp":1700000000000,"commands":[{"type":"change_labels","namespace":"acme/team/red","asset":"4","change":"append","labels":[{"name":"a\"b"}]}]}]}"#
            )
            #expect(lines.count == 2)
            #expect(reply.text.hasSuffix("\n"))
        }
    }

    @Test func aTrimmedSequenceIsGoneAndABadOneRefused() async throws {
        var configuration = ServerConfiguration.testing()
        configuration.changes = Feed()
        try await withServer(configuration) { server in
            let key = try server.key()
            let gone = try await server.send(.get, "/v1/changes?since=1", headers: ["X-API-Key": key])
            #expect(gone.status == 410)
            #expect(gone["error"] == "gone")
            #expect(gone["start"]?.int == 3)
            for bad in ["-1", "x", "", "9223372036854775807", "1e3"] {
                let reply = try await server.send(.get, "/v1/changes?since=\(bad)", headers: ["X-API-Key": key])
                #expect(reply.status == 400, "since=\(bad): \(reply.text)")
            }
            let follow = try await server.send(.get, "/v1/changes?since=3&follow=maybe", headers: ["X-API-Key": key])
            #expect(follow.status == 400)
            #expect(try await server.send(.get, "/v1/changes?since=3").status == 401)
        }
    }
}
