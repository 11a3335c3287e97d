import LabelIndex
import LabelTestSupport
import Testing

@testable import LabelServer

/// `PUT/GET/DELETE /v1/assets/{asset_id}` and the bulk `POST /v1/assets`.
@Suite struct AssetEndpointTests {
    @Test func upsertReadDelete() async throws {
        try await withServer { server in
            let headers = ["X-API-Key": try server.key()]
            var reply = try await server.send(
                .put, "/v1/assets/42", headers: headers,
                json:
                    #"{"name":"https://x.example","type":"http","created_at":"2024-02-03T04:05:06Z","enumeration_id":"enum_1","metadata":{"port":443},"labels":["a","b"]}"#
            )
            #expect(reply.status == 201)
            #expect(reply["created"] == true)
            let asset = try #require(reply["asset"])
            #expect(asset["id"] == 42)
            #expect(asset["name"] == "https://x.example")
            #expect(asset["type"] == "http")
            #expect(asset["created_at"] == "2024-02-03T04:05:06Z")
            #expect(asset["labels"] == ["a", "b"])
            #expect(asset["metadata"] == ["port": 443, "enumeration_id": "enum_1"])
            reply = try await server.send(.put, "/v1/assets/42", headers: headers, json: #"{"name":"renamed"}"#)
            #expect(reply.status == 200)
            #expect(reply["created"] == false)
            #expect(reply["asset"]?["labels"] == ["a", "b"])
            #expect(reply["asset"]?["created_at"] == "2024-02-03T04:05:06Z")
            reply = try await server.send(.get, "/v1/assets/42", headers: headers)
            #expect(reply["name"] == "renamed")
            reply = try await server.send(
                .put, "/v1/assets/form:251464995493876", headers: headers, json: #"{"labels":[]}"#)
            #expect(reply["asset"]?["id"] == "form:251464995493876")
            reply = try await server.send(.delete, "/v1/assets/42", headers: headers)
            #expect(try reply.json == ["deleted": true])
            reply = try await server.send(.delete, "/v1/assets/42", headers: headers)
            #expect(reply.status == 404)
            #expect(reply["error"] == "not_found")
            reply = try await server.send(.get, "/v1/assets/42", headers: headers)
            #expect(reply.status == 404)
        }
    }

    @Test func invalidIdsAndRecords() async throws {
        try await withServer { server in
            let headers = ["X-API-Key": try server.key()]
            for id in ["abc", "form:", ":x", "9223372036854775808", "1a:b"] {
                let reply = try await server.send(.put, "/v1/assets/\(id)", headers: headers, json: "{}")
                #expect(reply.status == 400, "\(id)")
                #expect(reply["field"] == "asset_id")
            }
            let cases: [(String, String)] = [
                (#"{"nmae":"x"}"#, "nmae"), (#"{"name":1}"#, "name"), (#"{"created_at":"yesterday"}"#, "created_at"),
                (#"{"metadata":[1]}"#, "metadata"), (#"{"labels":["ok",""]}"#, "labels[1]"), (#"{"type":""}"#, "type"),
            ]
            for (body, field) in cases {
                let reply = try await server.send(.put, "/v1/assets/1", headers: headers, json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply["field"]?.stringValue == field, "\(body)")
            }
            let metadata = #"{"metadata":{"blob":"\#(String(repeating: "x", count: 70_000))"}}"#
            let reply = try await server.send(.put, "/v1/assets/1", headers: headers, json: metadata)
            #expect(reply.status == 400)
            #expect(reply["field"] == "metadata")
            #expect(try await server.store.read { try $0.namespace("acme/default") == nil })
        }
    }

    @Test func bulkUpsertFormats() async throws {
        try await withServer { server in
            let headers = ["X-API-Key": try server.key()]
            var reply = try await server.send(
                .post, "/v1/assets", headers: headers,
                json: #"[{"id":1,"name":"a","labels":["x"]},{"id":"2","name":"b"},{"id":"doc:z"}]"#)
            #expect(try reply.json == ["count": 3, "created": 3, "updated": 0])
            reply = try await server.send(
                .post, "/v1/assets", headers: headers, json: #"{"assets":[{"id":1,"name":"a2"}]}"#)
            #expect(try reply.json == ["count": 1, "created": 0, "updated": 1])
            let ndjson = "{\"id\":3,\"labels\":[\"y\"]}\r\n\n  \n{\"id\":1,\"labels\":[\"z\"]}\n"
            reply = try await server.send(
                .post, "/v1/assets", headers: headers, body: Array(ndjson.utf8), contentType: "application/x-ndjson")
            #expect(try reply.json == ["count": 2, "created": 1, "updated": 1])
            #expect(try server.labels(of: .id(1), in: "acme/default") == ["z"])
            #expect(try server.labels(of: .id(3), in: "acme/default") == ["y"])
            #expect(try server.labels(of: .typed(type: "doc", id: "z"), in: "acme/default") == [])
        }
    }

    /// A bulk body larger than `jobChunkSize` commits in transactions of that many records, in
    /// order, so other writes are not held behind it.
    @Test func largeBulkBodiesCommitInBoundedTransactions() async throws {
        try await withServer(.testing(jobChunkSize: 3)) { server in
            let headers = ["X-API-Key": try server.key()]
            let before = server.store.groupCommitStatistics.commits
            let body = "[" + (1...10).map { #"{"id":\#($0),"labels":["bulk"]}"# }.joined(separator: ",") + "]"
            let reply = try await server.send(.post, "/v1/assets", headers: headers, json: body)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply["created"]?.int == 10)
            #expect(server.store.groupCommitStatistics.commits - before == 4)
            #expect(try await server.store.read { try $0.namespace("acme/default")?.assetCount } == 10)
        }
    }

    /// When a later transaction of a bulk body fails, the error says how many records were
    /// written before it (here the map may not grow past 2 MiB).
    @Test func aFailedLaterTransactionReportsWhatWasWritten() async throws {
        var options = TemporaryStore.fastOptions
        options.initialMapSize = 1 << 20
        options.maximumMapSize = 2 << 20
        try await withServer(.testing(jobChunkSize: 100), options: options) { server in
            let headers = ["X-API-Key": try server.key()]
            let name = String(repeating: "n", count: 4_000)
            let body = "[" + (1...1_000).map { #"{"id":\#($0),"name":"\#(name)"}"# }.joined(separator: ",") + "]"
            let reply = try await server.send(.post, "/v1/assets", headers: headers, json: body)
            #expect(reply.status == 507, "\(reply.text)")
            let applied = try #require(reply["applied"]?.int, "\(reply.status) \(reply.text)")
            #expect(applied > 0 && applied < 1_000 && applied.isMultiple(of: 100), "\(reply.text)")
            #expect(try #require(reply["record"]?.int) >= applied)
            #expect(try await server.store.read { try $0.namespace("acme/default")?.assetCount } == applied)
        }
    }

    /// A bad record anywhere in a bulk body writes nothing.
    @Test func bulkIsAllOrNothing() async throws {
        try await withServer { server in
            let headers = ["X-API-Key": try server.key()]
            var reply = try await server.send(
                .post, "/v1/assets", headers: headers, json: #"[{"id":1},{"id":2},{"id":3,"name":5}]"#)
            #expect(reply.status == 400)
            #expect(reply["field"] == "[2].name")
            let ndjson = "{\"id\":1}\n{\"id\":2}\n{\"id\":3,\n"
            reply = try await server.send(
                .post, "/v1/assets", headers: headers, body: Array(ndjson.utf8), contentType: "application/x-ndjson")
            #expect(reply.status == 400)
            #expect(reply["message"]?.stringValue?.contains("line 3") == true)
            reply = try await server.send(.post, "/v1/assets", headers: headers, json: #"[{"name":"no id"}]"#)
            #expect(reply["field"] == "[0].id")
            reply = try await server.send(.post, "/v1/assets", headers: headers, json: #"{"records":[]}"#)
            #expect(reply["field"] == "records")
            #expect(try await server.store.read { try $0.namespace("acme/default")?.assetCount } == nil)
        }
    }
}
