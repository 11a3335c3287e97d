import LabelIndex
import LabelQuery
import Testing

@testable import LabelServer

/// Every configurable limit, answered with the family's own error body and writing nothing.
@Suite struct LimitsTests {
    static let tight = ServerConfiguration.testing(
        limits: ServerLimits(
            maxRequestBytes: 2_048, maxBulkRequestBytes: 4_096, maxLabelsPerRequest: 3, maxLabelBytes: 20,
            maxActionHubLabelCharacters: 10, maxResourcesPerRequest: 2, maxAssetsPerRequest: 2, defaultPageSize: 5,
            maxPageSize: 10,
            maxFacets: 2, query: QueryLimits(maxLength: 100, maxDepth: 4)))

    @Test func bodySize() async throws {
        try await withServer(Self.tight) { server in
            let key = try server.key()
            try await server.putAsset(1, key: key)
            let big = String(repeating: "x", count: 3_000)
            var reply = try await server.send(
                .post, "/v1/asset/1/labels", headers: ["X-API-Key": key], json: #"{"labels":["\#(big)"]}"#)
            #expect(reply.status == 413)
            #expect(reply["code"] == "PAYLOAD_TOO_LARGE")
            #expect(reply["message"]?.stringValue?.contains("2048") == true)
            reply = try await server.send(.post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"\#(big)"}"#)
            #expect(reply.status == 413)
            #expect(reply["responseCode"] == 413)
            #expect(reply["content"] == "")
            reply = try await server.send(
                .put, "/labels", headers: ["actionhub-key": key, "program-id": "p"],
                json: #"{"labels":[],"x":"\#(big)"}"#)
            #expect(reply.status == 413)
            #expect(reply["detail"]?.stringValue != nil)
            reply = try await server.send(.post, "/v1/query", headers: ["X-API-Key": key], json: #"{"q":"\#(big)"}"#)
            #expect(reply.status == 413)
            #expect(reply["error"] == "payload_too_large")
            // Bulk bodies have the larger limit.
            let records = (0..<2).map { #"{"id":\#($0),"name":"\#(String(repeating: "n", count: 1_500))"}"# }.joined(
                separator: ",")
            reply = try await server.send(.post, "/v1/assets", headers: ["X-API-Key": key], json: "[\(records)]")
            #expect(reply.status == 200)
            let tooMany = (0..<2).map { #"{"id":\#($0),"name":"\#(String(repeating: "n", count: 2_500))"}"# }.joined(
                separator: ",")
            reply = try await server.send(.post, "/v1/assets", headers: ["X-API-Key": key], json: "[\(tooMany)]")
            #expect(reply.status == 413)
            #expect(try server.labels(of: .id(1), in: "acme/default") == [])
        }
    }

    @Test func labelCountAndLength() async throws {
        try await withServer(Self.tight) { server in
            let key = try server.key()
            try await server.putAsset(1, key: key)
            var reply = try await server.send(
                .post, "/v1/asset/1/labels", headers: ["X-API-Key": key], json: #"{"labels":["a","b","c","d"]}"#)
            #expect(reply.status == 400)
            #expect(reply["param"] == "labels")
            reply = try await server.send(
                .post, "/v1/asset/1/labels", headers: ["X-API-Key": key],
                json: #"{"labels":["\#(String(repeating: "l", count: 21))"]}"#)
            #expect(reply.status == 400)
            #expect(reply["param"] == "labels[0]")
            reply = try await server.send(
                .put, "/labels", headers: ["actionhub-key": key, "program-id": "p"],
                json:
                    #"{"labels":[{"label":"a","weight":1},{"label":"b","weight":1},{"label":"c","weight":1},{"label":"d","weight":1}]}"#
            )
            #expect(reply.status == 422)
            #expect(reply["detail"]?.arrayValue?.first?["loc"] == ["body", "labels"])
            #expect(reply["detail"]?.arrayValue?.first?["type"] == "too_long")
            reply = try await server.send(
                .put, "/labels", headers: ["actionhub-key": key, "program-id": "p"],
                json: #"{"labels":[{"label":"elevenchars","weight":1}]}"#)
            #expect(reply.status == 422)
            #expect(reply["detail"]?.arrayValue?.first?["type"] == "string_too_long")
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key],
                json: #"{"name":"\#(String(repeating: "n", count: 21))"}"#)
            #expect(reply.status == 400)
            reply = try await server.send(
                .put, "/v1/assets/2", headers: ["X-API-Key": key], json: #"{"labels":["a","b","c","d"]}"#)
            #expect(reply.status == 400)
            #expect(reply["field"] == "labels")
            #expect(try server.labels(of: .id(1), in: "acme/default") == [])
            #expect(try await server.store.read { try $0.namespace("acme/default")?.labelCount } == 0)
        }
    }

    @Test func pageSizes() async throws {
        try await withServer(Self.tight) { server in
            let key = try server.key()
            for id in Int64(1)...7 { try await server.putAsset(id, labels: ["l"], key: key) }
            var reply = try await server.send(.get, "/v1/asset/enumerate/contents", headers: ["X-API-Key": key])
            #expect(reply["result_count"] == 5)
            // Above the maximum (10 here) is capped, not refused: clients pass large limits through.
            reply = try await server.send(.get, "/v1/asset/enumerate/contents?limit=11", headers: ["X-API-Key": key])
            #expect(reply.status == 200)
            #expect(reply["data"]?.arrayValue?.count == 7)
            reply = try await server.send(.get, "/v1/query?q=*&limit=11", headers: ["X-API-Key": key])
            #expect(reply.status == 200)
            #expect(reply["assets"]?.arrayValue?.count == 7)
            reply = try await server.send(.get, "/v1/query?q=*", headers: ["X-API-Key": key])
            #expect(reply["assets"]?.arrayValue?.count == 5)
            reply = try await server.send(.get, "/labels?size=11", headers: ["actionhub-key": key, "program-id": "p"])
            #expect(reply.status == 422)
            #expect(reply["detail"]?.arrayValue?.first?["loc"] == ["query", "size"])
            reply = try await server.send(.post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"x"}"#)
            let label = try #require(reply["content"]?["id"]?.stringValue)
            reply = try await server.send(.get, "/API/label/\(label)/resources?limit=11", headers: ["APIKEY": key])
            #expect(reply.status == 200)
            #expect(reply["resultSet"]?["limit"] == .int(Self.tight.limits.maxPageSize))
        }
    }

    @Test func queryLengthDepthAndFacets() async throws {
        try await withServer(Self.tight) { server in
            let key = try server.key()
            let long = "label:" + String(repeating: "a", count: 100)
            var reply = try await server.send(
                .post, "/v1/query", headers: ["X-API-Key": key], json: #"{"q":"\#(long)"}"#)
            #expect(reply.status == 400)
            #expect(reply["error"] == "invalid_query")
            #expect(reply["message"]?.stringValue?.contains("100") == true)
            reply = try await server.send(
                .post, "/v1/query", headers: ["X-API-Key": key], json: #"{"q":"(((((label:a)))))"}"#)
            #expect(reply.status == 400)
            #expect(reply["message"]?.stringValue?.contains("4") == true)
            reply = try await server.send(
                .post, "/v1/query", headers: ["X-API-Key": key], json: #"{"q":"((label:a))"}"#)
            #expect(reply.status == 200)
            reply = try await server.send(.get, "/v1/query?q=*&facets=a,b,c", headers: ["X-API-Key": key])
            #expect(reply.status == 400)
            #expect(reply["field"] == "facets")
            reply = try await server.send(
                .patch, "/v1/asset/labels", headers: ["X-API-Key": key],
                json: #"{"filters":{"custom_filter":"NOT NOT NOT NOT NOT label:a"},"labels":[]}"#)
            #expect(reply.status == 400)
            #expect(reply["code"] == "INVALID_FILTER")
        }
    }

    @Test func resourcesAndAssetsPerRequest() async throws {
        try await withServer(Self.tight) { server in
            let key = try server.key()
            var reply = try await server.send(.post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"x"}"#)
            let label = try #require(reply["content"]?["id"]?.stringValue)
            reply = try await server.send(
                .put, "/API/label/\(label)/add-resources", headers: ["APIKEY": key],
                json: #"{"resources":["1","2","3"]}"#)
            #expect(reply.status == 400)
            #expect(reply["message"]?.stringValue?.contains("limit is 2") == true)
            reply = try await server.send(
                .post, "/v1/assets", headers: ["X-API-Key": key], json: #"[{"id":1},{"id":2},{"id":3}]"#)
            #expect(reply.status == 400)
            reply = try await server.send(
                .post, "/v1/assets", headers: ["X-API-Key": key],
                body: Array("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n".utf8),
                contentType: "application/x-ndjson")
            #expect(reply.status == 400)
            reply = try await server.send(
                .post, "/assets", headers: ["actionhub-key": key, "program-id": "p"],
                json: #"{"assets":[{"asset_id":"a"},{"asset_id":"b"},{"asset_id":"c"}]}"#)
            #expect(reply.status == 422)
            #expect(reply["detail"]?.arrayValue?.first?["loc"] == ["body", "assets"])
            #expect(try await server.store.read { try $0.namespace("acme/default")?.assetCount } == 0)
            #expect(try await server.store.read { try $0.namespace("acme/program/p") == nil })
        }
    }
}
