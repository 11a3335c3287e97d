import AsyncHTTPClient
import Foundation
import LabelTestSupport
import Testing

/// `labelindex serve --etcd` nodes against a real 3-member etcd cluster of their own: writes
/// through any node are read on every node (`min_seq`), a node killed with SIGKILL and a wiped
/// one catch up, writes go on through the kill of the etcd leader, and without quorum writes
/// are refused with 503 while reads go on.
@Suite(.serialized) struct ClusterEndToEndTests {
    struct Cluster {
        let etcd: EtcdTestCluster
        let prefix: String
        let directory: TemporaryDirectory

        var flags: [String] { ["--etcd", etcd.endpointList, "--cluster-prefix", prefix] }

        func node(_ name: String) async throws -> ServerProcess {
            try await ServerProcess(["--data-dir", directory.path(name)] + flags)
        }
    }

    static func makeCluster(_ etcd: EtcdTestCluster) throws -> Cluster {
        let cluster = Cluster(etcd: etcd, prefix: uniqueKeyRoot(), directory: try TemporaryDirectory())
        let created = try CLI.succeed(["cluster", "init", "--partitions", "4"] + cluster.flags)
        #expect(created.stdout.contains("with 4 partitions"), "\(created)")
        return cluster
    }

    /// The `P:S` of a write's partition from its X-Applied-Seq (every partition, after a write
    /// on that node: waiting for all of them is enough for a reader).
    static func appliedSequences(_ reply: Reply) throws -> String {
        try #require(reply.headers["X-Applied-Seq"].first, "no X-Applied-Seq on \(reply)")
    }

    @Test func writesThroughAnyNodeAreReadOnEveryNodeAndSurviveKills() async throws {
        let etcd = try EtcdTestCluster.dedicated()
        defer { etcd.stop() }
        let cluster = try Self.makeCluster(etcd)
        let secret = try CLI.succeed(["keys", "create", "--account", "acme"] + cluster.flags).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let headers = ["X-API-Key": secret]
        var nodes = [try await cluster.node("n1"), try await cluster.node("n2"), try await cluster.node("n3")]

        // Written on n1, read on n2 and n3 once they have applied what n1 had.
        let put = try await nodes[0].send(
            .PUT, "/v1/assets/1", headers: headers, json: #"{"name":"one","labels":["env-prod"]}"#)
        #expect(put.status == 201, "\(put)")
        let seen = try Self.appliedSequences(put)
        for node in nodes[1...] {
            let read = try await node.send(.GET, "/v1/assets/1?min_seq=\(seen)", headers: headers)
            #expect(read.status == 200, "\(read)")
            #expect(read["labels"]?.strings == ["env-prod"], "\(read)")
        }

        // A retried request with its Idempotency-Key is applied once: the retry (even with
        // another body) answers like the first and changes nothing.
        var retried = headers
        retried["Idempotency-Key"] = "put-50-attempt"
        let original = try await nodes[2].send(.PUT, "/v1/assets/50", headers: retried, json: #"{"name":"first"}"#)
        let retry = try await nodes[2].send(.PUT, "/v1/assets/50", headers: retried, json: #"{"name":"second"}"#)
        #expect(original.status == 201 && retry.status == 201, "\(original) \(retry)")
        let stored = try await nodes[2].send(.GET, "/v1/assets/50", headers: headers)
        #expect(stored["name"]?.string == "first", "\(stored)")
        let badKey = try await nodes[2].send(
            .PUT, "/v1/assets/51", headers: headers.merging(["Idempotency-Key": "has space"]) { $1 }, json: "{}")
        #expect(badKey.status == 400, "\(badKey)")

        // n2 dies mid-flight; writes go on through n1 and n3.
        kill(nodes[1].process.processIdentifier, SIGKILL)
        for _ in 0..<200 where nodes[1].process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        var last = ""
        for id in 2...21 {
            let node = nodes[id.isMultiple(of: 2) ? 0 : 2]
            let reply = try await node.send(
                .PUT, "/v1/assets/\(id)", headers: headers, json: #"{"name":"n\#(id)","labels":["batch"]}"#)
            #expect(reply.status == 201, "\(reply)")
            last = try Self.appliedSequences(reply)
        }
        // The etcd leader dies; the cluster elects another and writes go on.
        let leader = try #require(await etcd.leader())
        etcd.kill(member: leader)
        var afterElection: Reply?
        for _ in 0..<40 where afterElection?.status != 201 {
            afterElection = try await nodes[0].send(
                .PUT, "/v1/assets/100", headers: headers, json: #"{"name":"after","labels":["batch"]}"#)
            if afterElection?.status != 201 { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(afterElection?.status == 201, "\(String(describing: afterElection))")
        last = try Self.appliedSequences(try #require(afterElection))

        // n2 restarts on its data and catches up; n4 starts empty and catches up from the log.
        nodes[1] = try await cluster.node("n2")
        nodes.append(try await cluster.node("n4"))
        for node in nodes {
            let count = try await node.send(
                .GET, "/v1/query?q=label:batch&count_only=true&min_seq=\(last)", headers: headers)
            #expect(count.status == 200, "\(count)")
            #expect(count["count"]?.int == 21, "\(count)")
        }
        for node in nodes { #expect(try await node.stop() == 0) }
        for name in ["n1", "n2", "n3", "n4"] {
            try CLI.succeed(["check", "--data-dir", cluster.directory.path(name)])
        }
        let exports = try ["n1", "n2", "n3", "n4"].map { name in
            try CLI.succeed(["export", "--data-dir", cluster.directory.path(name), "--namespace", "acme/default"])
                .stdout
        }
        #expect(Set(exports).count == 1, "every node holds the same data")
    }

    @Test func withoutQuorumWritesAreRefusedAndReadsGoOn() async throws {
        var etcd = try EtcdTestCluster.dedicated()
        defer { etcd.stop() }
        let cluster = try Self.makeCluster(etcd)
        let node = try await ServerProcess(["--data-dir", cluster.directory.path("n1"), "--no-auth"] + cluster.flags)
        let put = try await node.send(.PUT, "/v1/assets/1", json: #"{"name":"one","labels":["env-prod"]}"#)
        #expect(put.status == 201, "\(put)")

        etcd.kill(member: 1)
        etcd.kill(member: 2)
        let refused = try await node.send(.PUT, "/v1/assets/2", json: #"{"name":"two"}"#)
        #expect(refused.status == 503, "\(refused)")
        #expect(refused["error"]?.string == "unavailable", "\(refused)")
        #expect(refused["message"]?.string?.contains("etcd") == true, "\(refused)")
        let read = try await node.send(.GET, "/v1/assets/1")
        #expect(read.status == 200, "\(read)")

        etcd = try etcd.restart(member: 1)
        var again: Reply?
        for _ in 0..<60 where again?.status != 201 {
            again = try await node.send(.PUT, "/v1/assets/3", json: #"{"name":"three"}"#)
            if again?.status != 201 { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(again?.status == 201, "writes resume with quorum: \(String(describing: again))")
        #expect(try await node.stop() == 0)
    }

    /// Snapshots taken every half second and a log trimmed as far as it can be: the wiped
    /// node cannot replay (its first entries are gone), so it must install n1's snapshot.
    @Test func aWipedNodeCatchesUpFromAPeersSnapshotOfTheTrimmedLog() async throws {
        let cluster = try Self.makeCluster(try EtcdTestCluster.shared())
        func start(_ name: String) async throws -> ServerProcess {
            try await ServerProcess(
                [
                    "--data-dir", cluster.directory.path(name), "--no-auth", "--node-name", name,
                    "--snapshot-interval", "0.5", "--trim-interval", "0.5", "--log-retain", "0",
                ] + cluster.flags)
        }
        let n1 = try await start("n1")
        var n2 = try await start("n2")
        for id in 1...30 {
            let reply = try await n1.send(.PUT, "/v1/assets/\(id)", json: #"{"name":"a","labels":["batch"]}"#)
            #expect(reply.status == 201, "\(reply)")
        }
        // Both nodes registered, n1 has a snapshot, and every written partition was trimmed.
        var status: JSON?
        func trimmed(_ status: JSON?) -> Bool {
            guard let partitions = status?["partitions"]?.array, let nodes = status?["nodes"]?.array else {
                return false
            }
            return nodes.count == 2 && nodes.contains { $0["snapshot"]?["sha256"]?.string != nil }
                && partitions.allSatisfy { ($0["head"]?.int ?? 0) == 0 || ($0["start"]?.int ?? 0) > 1 }
        }
        for _ in 0..<120 where !trimmed(status) {
            status = try JSON.parse(CLI.succeed(["cluster", "status", "--json"] + cluster.flags).stdout)
            if !trimmed(status) { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(trimmed(status), "the log was never trimmed: \(String(describing: status))")

        // Only nodes of the cluster fetch snapshots.
        let anonymous = try await n1.send(.GET, "/v1/cluster/snapshot")
        #expect(anonymous.status == 401, "\(anonymous)")
        let wrong = try await n1.send(.GET, "/v1/cluster/snapshot", headers: ["Authorization": "Bearer nope"])
        #expect(wrong.status == 401, "\(wrong)")

        // The changes feed cannot start before the log's start: 410, naming it.
        let gone = try await n1.send(.GET, "/v1/changes?since=0&follow=false")
        #expect(gone.status == 410, "\(gone)")
        #expect((gone["start"]?.int ?? 0) > 1, "\(gone)")

        kill(n2.process.processIdentifier, SIGKILL)
        for _ in 0..<200 where n2.process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        try FileManager.default.removeItem(atPath: cluster.directory.path("n2"))
        var last = ""
        for id in 31...40 {
            let reply = try await n1.send(.PUT, "/v1/assets/\(id)", json: #"{"name":"b","labels":["batch"]}"#)
            #expect(reply.status == 201, "\(reply)")
            last = try Self.appliedSequences(reply)
        }
        n2 = try await start("n2")
        #expect(n2.stderr.contains("installed a snapshot"), "\(n2.stderr)")
        let count = try await n2.send(.GET, "/v1/query?q=label:batch&count_only=true&min_seq=\(last)")
        #expect(count["count"]?.int == 40, "\(count)")
        for node in [n1, n2] { #expect(try await node.stop() == 0) }
        for name in ["n1", "n2"] { try CLI.succeed(["check", "--data-dir", cluster.directory.path(name)]) }
        let exports = try ["n1", "n2"].map { name in
            try CLI.succeed(["export", "--data-dir", cluster.directory.path(name), "--namespace", "dev/default"]).stdout
        }
        #expect(Set(exports).count == 1, "both nodes hold the same data")
        #expect(exports.first?.contains("\"batch\"") == true)
    }

    /// `GET /v1/changes` on a node: the backlog, then writes made through another node as this
    /// one applies them; at most `--max-change-feeds` at once, a slot freed when its client goes.
    @Test func theChangesFeedFollowsWritesOfEveryNodeAndEndsWithItsClient() async throws {
        let cluster = try Self.makeCluster(try EtcdTestCluster.shared())
        func start(_ name: String) async throws -> ServerProcess {
            try await ServerProcess(
                [
                    "--data-dir", cluster.directory.path(name), "--no-auth", "--node-name", name, "--max-change-feeds",
                    "1",
                ]
                    + cluster.flags)
        }
        let (n1, n2) = (try await start("n1"), try await start("n2"))
        #expect(try await n1.send(.PUT, "/v1/assets/1", json: #"{"name":"one","labels":["a"]}"#).status == 201)
        let (feed, received) = AsyncThrowingStream<String, any Error>.makeStream()
        let reader = Task {
            do {
                try await Self.readLines(of: n2, "/v1/changes?since=0") { received.yield($0) }
                received.finish()
            } catch { received.finish(throwing: error) }
        }
        var lines: [String] = []
        var iterator = feed.makeAsyncIterator()
        lines.append(try #require(try await iterator.next(), "the backlog"))
        // While that feed is open, the node's only slot is taken.
        let refused = try await n2.send(.GET, "/v1/changes?since=0&follow=false")
        #expect(refused.status == 503, "\(refused)")
        #expect(refused["message"]?.string?.contains("changes feeds") == true, "\(refused)")
        #expect(try await n1.send(.PUT, "/v1/assets/2", json: #"{"name":"two","labels":["b"]}"#).status == 201)
        lines.append(try #require(try await iterator.next(), "the write made on n1"))
        reader.cancel()
        let changes = try lines.map { try JSON.parse($0) }
        #expect(changes.map { $0["submissions"]?[0]?["commands"]?[0]?["asset"]?.string } == ["1", "2"], "\(lines)")
        #expect(changes.allSatisfy { $0["namespace"]?.string == "dev/default" })
        let sequences = changes.compactMap { $0["sequence"]?.int }
        try #require(sequences.count == 2 && sequences[0] < sequences[1], "\(lines)")

        // The client went away: its slot is free again, and both nodes tell the same history.
        var replay: Reply?
        for _ in 0..<100 {
            replay = try await n2.send(.GET, "/v1/changes?since=0&follow=false")
            if replay?.status == 200 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(replay?.status == 200, "\(String(describing: replay))")
        #expect(replay?.text == lines.map { $0 + "\n" }.joined())
        #expect(try await n1.send(.GET, "/v1/changes?since=0&follow=false").text == replay?.text)
        let later = try await n1.send(.GET, "/v1/changes?since=\(sequences[0])&follow=false")
        #expect(later.text == lines[1] + "\n")

        // An open feed does not hold up a graceful stop: it ends with the server.
        let open = Task {
            var count = 0
            try await Self.readLines(of: n1, "/v1/changes?since=\(sequences[1])") { _ in count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(300))
        for node in [n1, n2] { #expect(try await node.stop() == 0) }
        #expect(try await open.value == 0)
    }

    /// Hands each line of a streamed 200 response to `body` as it arrives, until the response
    /// ends (or the task is cancelled, which closes the connection).
    static func readLines(of node: ServerProcess, _ path: String, _ body: (String) -> Void) async throws {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(node.port)\(path)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        #expect(response.status.code == 200)
        var pending = ""
        for try await buffer in response.body {
            pending += String(buffer: buffer)
            while let newline = pending.firstIndex(of: "\n") {
                body(String(pending[..<newline]))
                pending.removeSubrange(...newline)
            }
        }
    }
}
