import HTTPTypes
import LabelIndex
import Testing

@testable import LabelServer

/// What existing clients send: percent-encoded typed ids, numeric ActionHub ids, large page
/// sizes, the `/API` root and `type` filter, more than one credential, other methods.
@Suite struct FidelityTests {
    @Test func typedIdsInPathsArePercentDecodedOnce() async throws {
        try await withServer { server in
            let key = try server.key()
            let auth = ["X-API-Key": key]
            let reply = try await server.send(
                .post, "/v1/assets", headers: auth,
                json:
                    #"[{"id":"form:a b","labels":["x"]},{"id":"form:a/b","labels":["y"]},{"id":"form:é","labels":["z"]},{"id":"form:251464995493876","labels":["w"]}]"#
            )
            #expect(reply.status == 200, "\(reply.text)")
            for (path, label) in [
                ("form:a%20b", "x"), ("form:a%2Fb", "y"), ("form:%C3%A9", "z"), ("form%3A251464995493876", "w"),
                ("form:251464995493876", "w"),
            ] {
                let got = try await server.send(.get, "/v1/assets/\(path)", headers: auth)
                #expect(got.status == 200, "\(path): \(got.text)")
                #expect(got["labels"]?.strings == [label], "\(path): \(got.text)")
            }
            // A PUT creates the decoded id, never the literal escape.
            let put = try await server.send(.put, "/v1/assets/form:x%20y", headers: auth, json: #"{"labels":["v"]}"#)
            #expect(put.status == 201, "\(put.text)")
            #expect(try server.labels(of: .typed(type: "form", id: "x y"), in: "acme/default") == ["v"])
            #expect(try server.labels(of: .typed(type: "form", id: "x%20y"), in: "acme/default") == nil)
            // A bad escape is a clear 400, naming the parameter.
            for bad in ["form:%ZZ", "form:%C3", "form:%"] {
                let refused = try await server.send(.get, "/v1/assets/\(bad)", headers: auth)
                #expect(refused.status == 400, "\(bad)")
                #expect(refused["field"] == nil || refused["location"] == "path", "\(bad): \(refused.text)")
            }
            // ProjectDiscovery ids and /API label ids go through the same decoding.
            try await server.putAsset(12, labels: ["p"], key: key)
            let pd = try await server.send(
                .post, "/v1/asset/%31%32/labels", headers: auth, json: #"{"labels":["q"]}"#)
            #expect(pd.status == 200, "\(pd.text)")
            #expect(try server.labels(of: .id(12), in: "acme/default")?.sorted() == ["p", "q"])
        }
    }

    @Test func actionHubNumericAssetIdsAreTheirDecimalStringAndLabelSpacesAreKept() async throws {
        try await withServer { server in
            let auth = ["actionhub-key": try server.key(), "program-id": "p1"]
            var reply = try await server.send(
                .post, "/assets", headers: auth,
                json: #"{"assets":[{"asset_id":42,"asset_name":"shoe","labels":["tag1"," tag2"]}]}"#)
            #expect(reply.status == 200, "\(reply.text)")
            reply = try await server.send(
                .post, "/assets", headers: auth, json: #"{"assets":[{"asset_id":"42","asset_name":"shoe v2"}]}"#)
            #expect(reply.status == 200, "\(reply.text)")
            reply = try await server.send(.get, "/assets", headers: auth)
            let items = try #require(reply["items"]?.arrayValue)
            #expect(items.count == 1, "numeric 42 and \"42\" are one asset: \(reply.text)")
            #expect(items.first?["asset_id"] == "42")
            #expect(items.first?["asset_name"] == "shoe v2")
            // Spaces around a label are kept exactly: " tag2" is not "tag2".
            #expect(
                try server.labels(of: .typed(type: "asset", id: "42"), in: "acme/program/p1") == ["tag1", " tag2"])
            for bad in [#"1.5"#, #"1e3"#, #"true"#, String(repeating: "9", count: 70)] {
                let refused = try await server.send(
                    .post, "/assets", headers: auth, json: #"{"assets":[{"asset_id":\#(bad)}]}"#)
                #expect(refused.status == 422, "\(bad): \(refused.text)")
            }
        }
    }

    @Test func pageSizesAboveTheMaximumAreCappedInEveryFamilyThatDocumentsNone() async throws {
        try await withServer { server in
            let key = try server.key()
            let auth = ["X-API-Key": key, "APIKEY": key]
            for id in 1...3 { try await server.putAsset(Int64(id), labels: ["all"], key: key) }
            for huge in ["1001", "5000", "99999999999999999999"] {
                var reply = try await server.send(.get, "/v1/asset/enumerate/contents?limit=\(huge)", headers: auth)
                #expect(reply.status == 200, "PD \(huge): \(reply.text)")
                #expect(reply["data"]?.arrayValue?.count == 3)
                reply = try await server.send(.get, "/v1/query?q=label:all&limit=\(huge)", headers: auth)
                #expect(reply.status == 200, "native \(huge): \(reply.text)")
                #expect(
                    reply["assets"]?.arrayValue?.count == 3 || reply["ids"]?.arrayValue?.count == 3, "\(reply.text)")
            }
            let body = try await server.send(
                .post, "/v1/query", headers: auth, json: #"{"q":"label:all","limit":100000}"#)
            #expect(body.status == 200, "\(body.text)")
            var reply = try await server.send(
                .post, "/API/label", headers: auth, json: #"{"name":"tree"}"#)
            let id = try #require(reply["content"]?["id"]?.stringValue)
            reply = try await server.send(
                .put, "/API/label/\(id)/add-resources", headers: auth,
                json: #"{"resources":[{"id":"1","type":"form"},{"id":"2","type":"workflow"}]}"#)
            reply = try await server.send(.get, "/API/label/\(id)/resources?limit=100000", headers: auth)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply["resultSet"]?["limit"] == 1000)
            #expect(reply["content"]?.arrayValue?.count == 2)
            // Still refused: below the minimum, or not a number.
            for bad in ["0", "-1", "ten"] {
                reply = try await server.send(.get, "/API/label/\(id)/resources?limit=\(bad)", headers: auth)
                #expect(reply.status == 400, "\(bad)")
            }
        }
    }

    @Test func labelResourcesFilterByType() async throws {
        try await withServer { server in
            let auth = ["APIKEY": try server.key()]
            var reply = try await server.send(.post, "/API/label", headers: auth, json: #"{"name":"mixed"}"#)
            let id = try #require(reply["content"]?["id"]?.stringValue)
            reply = try await server.send(
                .put, "/API/label/\(id)/add-resources", headers: auth,
                json:
                    #"{"resources":[{"id":"1","type":"form"},{"id":"2","type":"workflow"},{"id":"3","type":"workflow"}]}"#
            )
            #expect(reply.status == 200)
            reply = try await server.send(.get, "/API/label/\(id)/resources?type=workflow", headers: auth)
            #expect(reply["content"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["2", "3"], "\(reply.text)")
            #expect(reply["resultSet"]?["count"] == 2)
            reply = try await server.send(.get, "/API/label/\(id)/resources?type=FORM&orderby=id,desc", headers: auth)
            #expect(reply["content"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["1"], "\(reply.text)")
            reply = try await server.send(.get, "/API/label/\(id)/resources?type=portal", headers: auth)
            #expect(reply["content"] == [])
            reply = try await server.send(.get, "/API/label/\(id)/resources?type=a%20b", headers: auth)
            #expect(reply.status == 400, "\(reply.text)")
            reply = try await server.send(
                .get, "/API/label/\(id)/resources?offset=1&limit=1&type=workflow", headers: auth)
            #expect(reply["content"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["3"], "\(reply.text)")
        }
    }

    @Test func theRootLabelIsFetchableAndCannotBeChanged() async throws {
        try await withServer { server in
            let auth = ["APIKEY": try server.key()]
            _ = try await server.send(.post, "/API/label", headers: auth, json: #"{"name":"top"}"#)
            let tree = try await server.send(.get, "/API/user/labels", headers: auth)
            let root = try await server.send(.get, "/API/label/0", headers: auth)
            #expect(root.status == 200, "\(root.text)")
            #expect(try root.json == tree.json)
            #expect(root["content"]?["id"] == "0")
            let resources = try await server.send(.get, "/API/label/0/resources", headers: auth)
            #expect(resources.status == 200)
            #expect(resources["content"] == [])
            for (method, path) in [
                (HTTPRequest.Method.delete, "/API/label/0"), (.put, "/API/label/0"),
                (.put, "/API/label/0/add-resources"),
            ] {
                let refused = try await server.send(
                    method, path, headers: auth, json: #"{"name":"x","resources":[{"id":"1","type":"form"}]}"#)
                #expect(refused.status == 400, "\(method) \(path): \(refused.text)")
                #expect(refused["message"]?.stringValue?.contains("root") == true, "\(refused.text)")
            }
        }
    }

    @Test func dotSegmentsAreNeitherTeamsNorPrograms() async throws {
        try await withServer { server in
            let key = try server.key()
            for id in [".", ".."] {
                let team = try await server.send(
                    .get, "/v1/asset/enumerate/contents", headers: ["X-API-Key": key, "X-Team-Id": id])
                #expect(team.status == 400, "team \(id): \(team.text)")
                let program = try await server.send(.get, "/labels", headers: ["actionhub-key": key, "program-id": id])
                #expect(program.status == 422, "program \(id): \(program.text)")
                let native = try await server.send(
                    .get, "/v1/query?q=*", headers: ["X-API-Key": key, "X-Namespace": "team/\(id)"])
                #expect(native.status == 400, "namespace team/\(id): \(native.text)")
            }
        }
    }

    @Test func conflictingCredentialsAreRefusedAndAgreeingOnesAccepted() async throws {
        try await withServer { server in
            let mine = try server.key()
            let other = try server.key("other")
            // Native: Bearer and X-API-Key.
            var reply = try await server.send(
                .get, "/v1/stats", headers: ["Authorization": "Bearer \(mine)", "X-API-Key": other])
            #expect(reply.status == 401, "\(reply.text)")
            #expect(reply["message"]?.stringValue?.contains("conflicting credentials") == true, "\(reply.text)")
            reply = try await server.send(
                .get, "/v1/stats", headers: ["Authorization": "Bearer \(mine)", "X-API-Key": mine])
            #expect(reply.status == 200)
            #expect(reply["account"] == "acme")
            // /API: header and query parameter.
            reply = try await server.send(.get, "/API/user/labels?apiKey=\(other)", headers: ["APIKEY": mine])
            #expect(reply.status == 401, "\(reply.text)")
            #expect(reply["message"]?.stringValue?.contains("conflicting credentials") == true, "\(reply.text)")
            reply = try await server.send(.get, "/API/user/labels?apiKey=\(mine)", headers: ["APIKEY": mine])
            #expect(reply.status == 200)
            reply = try await server.send(.get, "/API/user/labels?apiKey=\(mine)&apiKey=\(other)")
            #expect(reply.status == 401, "\(reply.text)")
        }
    }

    @Test func knownPathsWithAnotherMethodAnswer405WithAllow() async throws {
        try await withServer { server in
            for (method, path, allowed) in [
                (HTTPRequest.Method.put, "/healthz", "GET"), (.post, "/openapi.json", "GET"),
                (.get, "/v1/asset/12/labels", "DELETE, PATCH, POST"), (.patch, "/API/label/3", "DELETE, GET, PUT"),
            ] {
                let reply = try await server.send(method, path)
                #expect(reply.status == 405, "\(method) \(path): \(reply.text)")
                #expect(reply.header("Allow") == allowed, "\(method) \(path)")
                #expect(reply["error"] == "method_not_allowed")
            }
            let unknown = try await server.send(.get, "/nowhere")
            #expect(unknown.status == 404)
        }
    }
}
