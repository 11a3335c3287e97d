import LabelFormats
import LabelIndex
import Testing

@testable import LabelServer

/// A1–A5 beyond the conformance examples: every documented error and every "Choose" of
/// api-spec.md §3 for ActionHub (items 28–37).
@Suite struct ActionHubTests {
    private func locations(_ reply: Reply) -> [JSONValue] {
        reply["detail"]?.arrayValue?.compactMap { $0["loc"] } ?? []
    }

    /// Choices 28 and 30: labels are upserted by their string, labels not in the request stay,
    /// and a label repeated in one request takes its last weight.
    @Test func upsertByLabelString() async throws {
        try await withServer { server in
            let auth = ["actionhub-key": try server.key(), "program-id": "p"]
            _ = try await server.send(
                .put, "/labels", headers: auth, json: #"{"labels":[{"label":"a","weight":1},{"label":"b","weight":2}]}"#
            )
            let reply = try await server.send(
                .put, "/labels", headers: auth,
                json: #"{"labels":[{"label":"b","weight":3},{"label":"c","weight":4},{"label":"b","weight":5}]}"#)
            #expect(reply["result"] == "2 labels upserted")
            let list = try await server.send(.get, "/labels", headers: auth)
            #expect(
                list["items"] == [
                    ["label": "a", "weight": 1], ["label": "b", "weight": 5], ["label": "c", "weight": 4],
                ])
            // An empty list is allowed and changes nothing.
            let empty = try await server.send(.put, "/labels", headers: auth, json: #"{"labels":[]}"#)
            #expect(empty.status == 200)
        }
    }

    /// Choice 29: weights are opaque numbers (no range check); anything else is a 422.
    @Test func weightsAreNumbers() async throws {
        try await withServer { server in
            let auth = ["actionhub-key": try server.key(), "program-id": "p"]
            var reply = try await server.send(
                .put, "/labels", headers: auth,
                json: #"{"labels":[{"label":"neg","weight":-12.5},{"label":"big","weight":1e300}]}"#)
            #expect(reply.status == 200)
            for bad in [#""0.8""#, "true", "null", "[1]", "1e999"] {
                reply = try await server.send(
                    .put, "/labels", headers: auth, json: #"{"labels":[{"label":"x","weight":\#(bad)}]}"#)
                #expect(reply.status == 422, "\(bad)")
                #expect(locations(reply) == [["body", "labels", 0, "weight"]], "\(bad)")
            }
        }
    }

    /// Choices 31 and 32: an empty label is rejected (the index cannot store it); asset labels
    /// must be strings.
    @Test func emptyLabelsAndNonStringAssetLabels() async throws {
        try await withServer { server in
            let auth = ["actionhub-key": try server.key(), "program-id": "p"]
            var reply = try await server.send(
                .put, "/labels", headers: auth, json: #"{"labels":[{"label":"","weight":1}]}"#)
            #expect(reply.status == 422)
            #expect(reply["detail"]?.arrayValue?.first?["type"] == "string_too_short")
            reply = try await server.send(
                .post, "/assets", headers: auth, json: #"{"assets":[{"asset_id":"a","labels":["ok",3,{"x":1}]}]}"#)
            #expect(reply.status == 422)
            #expect(locations(reply) == [["body", "assets", 0, "labels", 1]])
            #expect(try await server.store.read { try $0.namespace("acme/program/p")?.assetCount } == nil)
        }
    }

    /// Choice 33: a missing and an invalid key are both 403 with the documented body, on every
    /// route, before any validation.
    @Test func keyErrorsAre403() async throws {
        try await withServer { server in
            for (method, path) in [
                ("GET", "/labels"), ("PUT", "/labels"), ("POST", "/assets"), ("GET", "/assets"),
                ("GET", "/users/u/labels"),
            ] {
                for headers in [[:], ["actionhub-key": "bad"]] as [[String: String]] {
                    let reply = try await server.send(
                        method == "GET" ? .get : method == "PUT" ? .put : .post, path, headers: headers,
                        json: "not json")
                    #expect(reply.status == 403, "\(method) \(path)")
                    #expect(try reply.json == ["detail": "Could not validate API KEY"])
                }
            }
        }
    }

    /// Choice 34: a missing `program-id` is a 422 at ["header","program-id"]; a program the key
    /// is not granted is a 403.
    @Test func programHeader() async throws {
        try await withServer { server in
            let scoped = try server.key(scopes: ["program/p1"])
            var reply = try await server.send(.get, "/assets", headers: ["actionhub-key": scoped])
            #expect(reply.status == 422)
            #expect(locations(reply) == [["header", "program-id"]])
            reply = try await server.send(.get, "/assets", headers: ["actionhub-key": scoped, "program-id": "p2"])
            #expect(reply.status == 403)
            #expect(try reply.json == ["detail": "Could not validate API KEY"])
            reply = try await server.send(.get, "/assets", headers: ["actionhub-key": scoped, "program-id": "p1"])
            #expect(reply.status == 200)
            reply = try await server.send(
                .get, "/assets", headers: ["actionhub-key": scoped, "program-id": String(repeating: "p", count: 65)])
            #expect(reply.status == 422)
        }
    }

    /// Choice 35: every problem of a request comes back at once, each with loc, msg and type.
    @Test func validationListsEveryProblem() async throws {
        try await withServer { server in
            let key = try server.key()
            var reply = try await server.send(
                .put, "/labels", headers: ["actionhub-key": key],
                json: #"{"labels":[{"label":1,"weight":"x"},"nope",{"weight":2}]}"#)
            #expect(reply.status == 422)
            #expect(
                locations(reply) == [
                    ["header", "program-id"], ["body", "labels", 0, "label"], ["body", "labels", 0, "weight"],
                    ["body", "labels", 1],
                    ["body", "labels", 2, "label"],
                ])
            for item in reply["detail"]?.arrayValue ?? [] {
                #expect(item["msg"]?.stringValue?.isEmpty == false)
                #expect(item["type"]?.stringValue?.isEmpty == false)
            }
            reply = try await server.send(
                .get, "/labels?page=0&size=abc", headers: ["actionhub-key": key, "program-id": "p"])
            #expect(locations(reply) == [["query", "page"], ["query", "size"]])
            reply = try await server.send(
                .put, "/labels", headers: ["actionhub-key": key, "program-id": "p"], json: #"{"labels": [}"#)
            #expect(reply.status == 422)
            #expect(reply["detail"]?.arrayValue?.first?["type"] == "json_invalid")
            #expect(locations(reply) == [["body", 12]])
            reply = try await server.send(.put, "/labels", headers: ["actionhub-key": key, "program-id": "p"])
            #expect(locations(reply) == [["body"]])
            reply = try await server.send(
                .put, "/labels", headers: ["actionhub-key": key, "program-id": "p"], json: "[1]")
            #expect(locations(reply) == [["body"]])
            reply = try await server.send(
                .post, "/assets", headers: ["actionhub-key": key, "program-id": "p"],
                json: #"{"assets":[{"asset_name":"\#(String(repeating: "n", count: 125))"}]}"#)
            #expect(locations(reply) == [["body", "assets", 0, "asset_id"], ["body", "assets", 0, "asset_name"]])
        }
    }

    /// Choice 37: label identity is case-sensitive; `search` is a case-insensitive substring.
    @Test func caseSensitivityAndSearch() async throws {
        try await withServer { server in
            let auth = ["actionhub-key": try server.key(), "program-id": "p"]
            _ = try await server.send(
                .put, "/labels", headers: auth,
                json: #"{"labels":[{"label":"Run","weight":1},{"label":"run","weight":2},{"label":"walk","weight":3}]}"#
            )
            var reply = try await server.send(.get, "/labels?search=RUN", headers: auth)
            #expect(reply["total"] == 2)
            #expect(reply["items"]?.arrayValue?.map { $0["label"] } == ["Run", "run"])
            _ = try await server.send(
                .post, "/assets", headers: auth,
                json:
                    #"{"assets":[{"asset_id":"SKU-9","asset_name":"Boot","labels":["walk"]},{"asset_id":"x","asset_name":"Other"}]}"#
            )
            for search in ["sku", "BOOT", "WALK"] {
                reply = try await server.send(.get, "/assets?search=\(search)", headers: auth)
                #expect(reply["items"]?.arrayValue?.map { $0["asset_id"] } == ["SKU-9"], "\(search)")
            }
        }
    }

    /// A3 upsert semantics: the name is replaced, labels replaced when given and kept when
    /// absent; A4 paging.
    @Test func assetUpsertAndPaging() async throws {
        try await withServer { server in
            let auth = ["actionhub-key": try server.key(), "program-id": "p"]
            var reply = try await server.send(
                .post, "/assets", headers: auth,
                json: #"{"assets":[{"asset_id":"a","asset_name":"A","labels":["x","y"]}]}"#)
            #expect(reply["result"] == "1 asset upserted")
            reply = try await server.send(
                .post, "/assets", headers: auth, json: #"{"assets":[{"asset_id":"a","asset_name":"A2"}]}"#)
            reply = try await server.send(.get, "/assets", headers: auth)
            #expect(reply["items"] == [["asset_id": "a", "asset_name": "A2", "labels": ["x", "y"]]])
            reply = try await server.send(
                .post, "/assets", headers: auth,
                json: #"{"assets":[{"asset_id":"a","labels":["z"]},{"asset_id":"b"},{"asset_id":"c"}]}"#)
            #expect(reply["result"] == "3 assets upserted")
            reply = try await server.send(.get, "/assets?page=2&size=2", headers: auth)
            #expect(
                try reply.json == [
                    "items": [["asset_id": "c", "asset_name": "", "labels": []]], "total": 3, "page": 2, "size": 2,
                ])
            reply = try await server.send(.get, "/assets?page=9", headers: auth)
            #expect(reply["items"] == [])
            #expect(reply["total"] == 3)
            // Labels created by asset upserts list with weight 0.
            reply = try await server.send(.get, "/labels?search=z", headers: auth)
            #expect(reply["items"] == [["label": "z", "weight": 0]])
        }
    }

    /// A5: every user is unknown (this server keeps no user event data), after auth and
    /// validation.
    @Test func userLabels() async throws {
        try await withServer { server in
            let key = try server.key()
            var reply = try await server.send(
                .get, "/users/u1/labels", headers: ["actionhub-key": key, "program-id": "p"])
            #expect(try reply.json == ["detail": "User not found"])
            reply = try await server.send(.get, "/users/u1/labels", headers: ["actionhub-key": key])
            #expect(reply.status == 422)
        }
    }
}
