import Foundation
import LabelTestSupport
import Synchronization
import Testing

/// `scripts/cluster` as the README runs it: 3 etcd members, 3 nodes and nginx in front; writes
/// through nginx go on while a node is killed, `start` again brings the node back and it
/// catches up, and `stop` ends every process it started.
@Suite(.serialized) struct ClusterScriptTests {
    @Test func theLocalClusterServesThroughNginxAndOutlivesANode() async throws {
        let directory = try TemporaryDirectory()
        // Ports of its own: other test processes and a developer's cluster use other ones.
        let port = 28_000 + Int(getpid() % 400) * 5
        let environment = [
            "CLUSTER_PORT": String(port), "ETCD_PORT_BASE": String(26_000 + Int(getpid() % 400) * 20),
            "LABELINDEX_BIN": try CLI.executable().path, "PARTITIONS": "4",
        ]
        let script = EtcdTestCluster.repositoryRoot.appending(path: "scripts/cluster")
        func cluster(_ action: String) throws -> CLIResult {
            try CLI.run([action, directory.url.path], executableURL: script, environment: environment)
        }
        let started = try cluster("start")
        try #require(started.status == 0, "\(started)")
        #expect(started.stdout.contains("cluster up: http://127.0.0.1:\(port)"), "\(started)")
        let stopped = Mutex(false)
        defer { if !stopped.withLock({ $0 }) { _ = try? cluster("stop") } }
        let key = try String(contentsOf: directory.url.appending(path: "api-key"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let front = LoopbackServer(port: port)
        func put(_ id: Int) async throws -> Reply {
            try await front.send(
                .PUT, "/v1/assets/\(id)", headers: ["X-API-Key": key], json: #"{"name":"a","labels":["spread"]}"#)
        }
        for id in 1...9 { #expect(try await put(id).status == 201) }
        let created = try await front.send(.POST, "/API/label", headers: ["APIKEY": key], form: "name=through-nginx")
        #expect(created["responseCode"]?.int == 200, "\(created)")

        // A node dies: nginx sends its share to the others.
        let victim = try Int32(
            String(contentsOf: directory.url.appending(path: "n2.serve.pid"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines))!
        kill(victim, SIGKILL)
        var last = ""
        for id in 10...18 {
            let reply = try await put(id)
            #expect(reply.status == 201, "\(reply)")
            last = reply.headers["X-Applied-Seq"].first ?? last
        }
        // `start` again brings it back; it follows the log from where it was.
        #expect(try cluster("start").status == 0)
        for node in 1...3 {
            let count = try await LoopbackServer(port: port + node).send(
                .GET, "/v1/query?q=label:spread&count_only=true&min_seq=\(last)", headers: ["X-API-Key": key])
            #expect(count["count"]?.int == 18, "n\(node): \(count)")
        }
        #expect(try cluster("status").stdout.contains("n2"))

        let stop = try cluster("stop")
        stopped.withLock { $0 = true }
        #expect(stop.status == 0, "\(stop)")
        for name in ["n1.serve", "n2.serve", "n3.serve", "nginx"] {
            let file = directory.url.appending(path: "\(name).pid")
            if let text = try? String(contentsOf: file, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                #expect(kill(pid, 0) != 0, "\(name) still runs")
            }
        }
        let after = try? await front.send(.GET, "/healthz")
        #expect(after == nil, "nginx still answers: \(String(describing: after))")
    }
}
