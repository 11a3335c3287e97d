import LabelFormats
import LabelIndex
import LabelQuery
import Testing

@testable import LabelServer

/// `GET`/`POST /v1/query`: results, paging, counts, facets, explain, and parse errors.
@Suite struct QueryEndpointTests {
    private func seed(_ server: Harness, _ key: String) async throws {
        try await server.putAsset(1, name: "one", labels: ["prod", "api"], key: key)
        try await server.putAsset(2, name: "two", labels: ["prod"], key: key)
        try await server.putAsset(3, name: "three", labels: ["staging", "api"], key: key)
        try await server.putAsset(4, name: "four", key: key)
    }

    @Test func getAndPostAgree() async throws {
        try await withServer { server in
            let key = try server.key()
            try await seed(server, key)
            let get = try await server.send(.get, "/v1/query?q=label:prod%20-label:api", headers: ["X-API-Key": key])
            #expect(get.status == 200)
            #expect(get["query"] == "label:prod AND NOT label:api")
            #expect(get["count"] == 1)
            #expect(get["assets"]?.arrayValue?.map { $0["id"] } == [2])
            #expect(get["assets"]?.arrayValue?.first?["labels"] == ["prod"])
            #expect(get["assets"]?.arrayValue?.first?["name"] == "two")
            #expect(get["next_cursor"] == .null)
            let post = try await server.send(
                .post, "/v1/query", headers: ["Authorization": "Bearer \(key)"], json: #"{"q":"label:prod -label:api"}"#
            )
            #expect(try post.json == get.json)
        }
    }

    @Test func pagingWithCursors() async throws {
        try await withServer { server in
            let key = try server.key()
            try await seed(server, key)
            var ids: [JSONValue] = []
            var cursor: String?
            repeat {
                let suffix = cursor.map { "&cursor=\($0)" } ?? ""
                let reply = try await server.send(
                    .get, "/v1/query?q=*&limit=1&count=false\(suffix)", headers: ["X-API-Key": key])
                #expect(reply["count"] == nil)
                ids += reply["assets"]?.arrayValue?.compactMap { $0["id"] } ?? []
                cursor = reply["next_cursor"]?.stringValue
            } while cursor != nil && ids.count < 10
            #expect(ids == [1, 2, 3, 4])
            var reply = try await server.send(
                .get, "/v1/query?q=label:prod&cursor=garbage", headers: ["X-API-Key": key])
            #expect(reply.status == 400)
            #expect(reply["error"] == "invalid_cursor")
            let first = try await server.send(.get, "/v1/query?q=*&limit=1", headers: ["X-API-Key": key])
            let other = try #require(first["next_cursor"]?.stringValue)
            reply = try await server.send(.get, "/v1/query?q=label:api&cursor=\(other)", headers: ["X-API-Key": key])
            #expect(reply["error"] == "invalid_cursor")
        }
    }

    @Test func countOnlyFacetsAndExplain() async throws {
        try await withServer { server in
            let key = try server.key()
            try await seed(server, key)
            var reply = try await server.send(
                .get, "/v1/query?q=has:label&count_only=true", headers: ["X-API-Key": key])
            #expect(reply["count"] == 3)
            #expect(reply["assets"] == [])
            reply = try await server.send(
                .get, "/v1/query?q=*&facets=prod,api,nope&limit=0", headers: ["X-API-Key": key])
            #expect(
                reply["facets"] == [
                    ["label": "prod", "count": 2], ["label": "api", "count": 2], ["label": "nope", "count": 0],
                ])
            reply = try await server.send(
                .post, "/v1/query", headers: ["X-API-Key": key],
                json: #"{"q":"label:api label:missing","explain":true,"facets":["a,b"]}"#)
            #expect(reply["count"] == 0)
            #expect(reply["facets"] == [["label": "a,b", "count": 0]])
            #expect(reply["explain"]?["normalized_query"]?.stringValue != nil)
            #expect(reply["explain"]?["plan"]?["operation"]?.stringValue != nil)
            #expect(reply["warnings"]?.arrayValue?.isEmpty == false)
            // A namespace nothing was written to has no matches.
            reply = try await server.send(
                .get, "/v1/query?q=*&facets=x", headers: ["X-API-Key": key, "X-Namespace": "team/empty"])
            #expect(reply.status == 200)
            #expect(reply["count"] == 0)
            #expect(reply["facets"] == [["label": "x", "count": 0]])
        }
    }

    @Test func fieldsChooseWhatEachAssetCarries() async throws {
        try await withServer { server in
            let key = try server.key()
            try await seed(server, key)
            let typed = try await server.send(
                .put, "/v1/assets/form:9", headers: ["X-API-Key": key], json: #"{"name":"nine","labels":["api"]}"#)
            #expect(typed.status == 201)
            var reply = try await server.send(.get, "/v1/query?q=label:api&fields=id", headers: ["X-API-Key": key])
            #expect(reply["assets"] == [["id": 1], ["id": 3], ["id": "form:9"]])
            #expect(reply["count"] == 3)
            reply = try await server.send(
                .get, "/v1/query?q=label:api&fields=labels,name&limit=1", headers: ["X-API-Key": key])
            #expect(reply["assets"] == [["id": 1, "name": "one", "labels": ["prod", "api"]]])
            #expect(reply["next_cursor"]?.stringValue != nil)
            let post = try await server.send(
                .post, "/v1/query", headers: ["X-API-Key": key],
                json: #"{"q":"label:api","fields":["id"],"cursor":"\#(reply["next_cursor"]?.stringValue ?? "")"}"#)
            #expect(post["assets"] == [["id": 3], ["id": "form:9"]])
            let all = try await server.send(.get, "/v1/query?q=label:api&limit=1", headers: ["X-API-Key": key])
            let asset = try #require(all["assets"]?.arrayValue?.first?.objectValue)
            #expect(asset.entries.map(\.key) == ["id", "name", "type", "created_at", "updated_at", "labels"])
            for path in ["/v1/query?q=*&fields=id,colour", "/v1/query?q=*&fields="] {
                let bad = try await server.send(.get, path, headers: ["X-API-Key": key])
                #expect(bad.status == 400, "\(path)")
                #expect(bad["field"] == "fields")
            }
            let bad = try await server.send(
                .post, "/v1/query", headers: ["X-API-Key": key], json: #"{"q":"*","fields":["id",1]}"#)
            #expect(bad.status == 400)
        }
    }

    @Test func parseErrorsArePrecise() async throws {
        try await withServer { server in
            let key = try server.key()
            let reply = try await server.send(
                .get, "/v1/query?q=label:prod%20AND%20lable:x", headers: ["X-API-Key": key])
            #expect(reply.status == 400)
            let expected = try #require(QueryExpressionError("label:prod AND lable:x"))
            #expect(reply["error"] == "invalid_query")
            #expect(reply["message"]?.stringValue == expected.message)
            #expect(reply["offset"] == 15)
            #expect(reply["length"]?.int == expected.length)
            #expect(reply["line"] == 1)
            #expect(reply["column"] == 16)
            #expect(reply["endColumn"]?.int == expected.endColumn)
            #expect(reply["fragment"] == "lable")
            #expect(reply["expected"]?.stringValue == expected.expected)
            #expect(reply["hint"]?.stringValue == expected.hint)
            let post = try await server.send(
                .post, "/v1/query", headers: ["X-API-Key": key], json: #"{"q":"(label:a"}"#)
            #expect(post["error"] == "invalid_query")
            #expect(post["offset"] == 0)
            let empty = try await server.send(.get, "/v1/query?q=", headers: ["X-API-Key": key])
            #expect(empty["error"] == "invalid_query")
        }
    }

    @Test func requestErrors() async throws {
        try await withServer { server in
            let key = try server.key()
            let cases: [(String, String)] = [
                ("/v1/query", "q"), ("/v1/query?q=*&limit=-1", "limit"), ("/v1/query?q=*&limit=ten", "limit"),
                ("/v1/query?q=*&count_only=yes", "count_only"), ("/v1/query?q=*&explain=2", "explain"),
            ]
            for (path, field) in cases {
                let reply = try await server.send(.get, path, headers: ["X-API-Key": key])
                #expect(reply.status == 400, "\(path)")
                #expect(reply["error"] == "invalid_request")
                #expect(reply["field"]?.stringValue == field)
            }
            for body in [#"{"q":"*","bogus":1}"#, #"{"q":1}"#, #"{"limit":5}"#, #"{"q":"*","facets":"a"}"#, "[]"] {
                let reply = try await server.send(.post, "/v1/query", headers: ["X-API-Key": key], json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply["error"] == "invalid_request")
            }
            var reply = try await server.send(.get, "/v1/query?q=*")
            #expect(reply.status == 401)
            #expect(reply["error"] == "unauthorized")
            reply = try await server.send(
                .get, "/v1/query?q=*", headers: ["X-API-Key": key, "X-Namespace": "elsewhere"])
            #expect(reply.status == 400)
            #expect(reply["field"] == "X-Namespace")
        }
    }
}

/// The engine's own error for `text`, to compare the endpoint's fields with.
func QueryExpressionError(_ text: String) -> QuerySyntaxError? {
    do {
        _ = try QueryExpression(parsing: text)
        return nil
    } catch { return error }
}
