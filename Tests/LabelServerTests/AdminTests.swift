import LabelIndex
import LabelTestSupport
import Testing

@testable import LabelServer

/// `/v1/stats`, `/v1/jobs/{id}`, `/healthz`, `/metrics`, `/openapi.json`.
@Suite struct AdminTests {
    @Test func statsCoverTheCallersNamespaces() async throws {
        try await withServer { server in
            let key = try server.key()
            try await server.putAsset(1, labels: ["a", "b"], key: key)
            try await server.putAsset(2, labels: ["a"], key: key, namespace: "team/t")
            try await server.putAsset(1, labels: ["z"], key: try server.key("other"))
            var reply = try await server.send(.get, "/v1/stats", headers: ["X-API-Key": key])
            #expect(reply["account"] == "acme")
            #expect(
                reply["namespaces"] == [
                    ["scope": "default", "namespace": "acme/default", "assets": 1, "labels": 2, "pairs": 2],
                    ["scope": "team/t", "namespace": "acme/team/t", "assets": 1, "labels": 1, "pairs": 1],
                ])
            reply = try await server.send(.get, "/v1/stats", headers: ["X-API-Key": key, "X-Namespace": "team/t"])
            #expect(reply["namespaces"]?.arrayValue?.count == 1)
            let scoped = try server.key(scopes: ["team/t"])
            reply = try await server.send(.get, "/v1/stats", headers: ["X-API-Key": scoped])
            #expect(reply["namespaces"]?.arrayValue?.map { $0["scope"] } == ["team/t"])
            reply = try await server.send(.get, "/v1/stats")
            #expect(reply.status == 401)
        }
    }

    @Test func jobsAreVisibleToTheirAccountOnly() async throws {
        try await withServer(.testing(asyncJobThreshold: 1)) { server in
            let key = try server.key()
            try await server.putAsset(1, labels: ["a"], key: key, namespace: "team/t")
            try await server.putAsset(2, labels: ["a"], key: key, namespace: "team/t")
            let reply = try await server.send(
                .patch, "/v1/asset/labels", headers: ["X-API-Key": key, "X-Team-Id": "t"], json: #"{"labels":["b"]}"#)
            let id = try #require(reply["job_id"]?.stringValue)
            await server.runtime.jobs.waitForAll()
            var job = try await server.send(.get, "/v1/jobs/\(id)", headers: ["X-API-Key": key])
            #expect(job["status"] == "succeeded")
            #expect(job["scope"] == "team/t")
            #expect(job["update_type"] == "append")
            #expect(job["labels"] == ["b"])
            #expect(job["finished_at"]?.stringValue != nil)
            job = try await server.send(.get, "/v1/jobs/\(id)", headers: ["X-API-Key": try server.key("other")])
            #expect(job.status == 404)
            job = try await server.send(
                .get, "/v1/jobs/\(id)", headers: ["X-API-Key": try server.key(scopes: ["default"])])
            #expect(job.status == 404)
            job = try await server.send(.get, "/v1/jobs/0123456789abcdef", headers: ["X-API-Key": key])
            #expect(job.status == 404)
            job = try await server.send(.get, "/v1/jobs/../../etc", headers: ["X-API-Key": key])
            #expect(job.status == 404)
        }
    }

    @Test func interruptedJobsAreMarkedAtStartup() async throws {
        let temporary = try TemporaryStore()
        let job = BulkJob(
            id: BulkJob.newID(), account: "acme", scope: "default", operation: "append", labels: ["x"],
            status: .running, matched: 10,
            processed: 4, changed: 4, createdAt: 0)
        try await temporary.store.write { try job.store(in: $0) }
        let server = try LabelServer.makeServer(
            store: temporary.store, configuration: .testing(), logger: .init(label: "test"))
        await server.runtime.shutdown()
        let stored = try await temporary.store.read { try BulkJob.load(id: job.id, from: $0) }
        #expect(stored?.status == .interrupted)
        #expect(stored?.error?.contains("4 of 10") == true)
    }

    @Test func healthMetricsAndDocument() async throws {
        try await withServer { server in
            let key = try server.key()
            try await server.putAsset(1, labels: ["a"], key: key)
            _ = try await server.send(
                .post, "/v1/asset/1/labels", headers: ["X-API-Key": key], json: #"{"labels":["b"]}"#)
            _ = try await server.send(.get, "/API/user/labels", headers: ["APIKEY": key])
            _ = try await server.send(.get, "/nowhere")
            var reply = try await server.send(.get, "/healthz")
            #expect(try reply.json == ["status": "ok"])
            reply = try await server.send(.get, "/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("text/plain") == true)
            let text = reply.text
            #expect(text.contains(#"labelindex_http_requests_total{family="projectdiscovery",status="2xx"} 1"#))
            #expect(text.contains(#"labelindex_http_requests_total{family="labeling",status="2xx"} 1"#))
            #expect(text.contains(#"labelindex_http_requests_total{family="assets",status="2xx"} 1"#))
            #expect(text.contains(#"labelindex_http_requests_total{family="unmatched",status="4xx"} 1"#))
            #expect(text.contains("labelindex_http_request_duration_seconds_bucket{family=\"projectdiscovery\""))
            #expect(text.contains("labelindex_group_commits_total"))
            #expect(text.contains("labelindex_group_commit_batch_size_bucket"))
            #expect(text.contains("labelindex_store_file_bytes "))
            // Nothing derived from tenants' data is shown without a key.
            for leak in ["labelindex_store_assets", "labelindex_store_pairs", "labelindex_store_namespaces", "acme"] {
                #expect(!text.contains(leak), "\(leak)")
            }
            reply = try await server.send(.get, "/openapi.json")
            #expect(reply.status == 200)
            #expect(try reply.json["openapi"] == "3.1.0")
        }
    }
}
