import Foundation
import NIOHTTP1
import Testing

/// The shipped binary as a server: `labelindex serve` on a fresh data directory prints a
/// bootstrap key, accepts keys made by `labelindex keys create` while it runs, answers every
/// conformance example of api-spec.md §4 (PD-1…PD-13, SP-1…SP-12, AH-1…AH-10) in order over
/// real HTTP, and exits 0 on SIGTERM.
@Suite(.serialized) struct ServeEndToEndTests {
    @Test func conformanceExamplesAgainstTheBinary() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path("data")
        let server = try await ServerProcess(["--data-dir", data])
        do {
            try await checkBootstrapKey(server)
            // One account per API family, so each family's examples start from empty namespaces
            // as api-spec.md §4 assumes.
            func key(for account: String) throws -> String {
                try CLI.succeed(["keys", "create", "--data-dir", data, "--account", account]).stdout
                    .trimmingCharacters(in: .newlines)
            }
            try await projectDiscoveryExamples(server, key: try key(for: "acme"))
            try await labelingExamples(server, key: try key(for: "jotform"))
            try await actionHubExamples(server, key: try key(for: "actionhub"))
            let keys = try JSON.parse(try CLI.succeed(["keys", "list", "--data-dir", data, "--json"]).stdout)
            #expect(keys.array?.compactMap { $0["account"]?.string } == ["default", "acme", "jotform", "actionhub"])
        } catch {
            _ = try? await server.stop()
            throw error
        }
        let status = try await server.stop()
        #expect(status == 0, "exit status after SIGTERM; stderr:\n\(server.stderr)")
        try CLI.succeed(["check", "--data-dir", data])
        let asset = try JSON.parse(
            try CLI.succeed(["assets", "show", "--data-dir", data, "--namespace", "acme/default", "123456", "--json"])
                .stdout)
        #expect(asset["labels"] == [["name": "staging"], ["name": "testing"]])
    }

    @Test func noAuthServesWithoutKeysAndSaysSo() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path("data")
        let server = try await ServerProcess(["--data-dir", data, "--no-auth"])
        let reply = try await server.send(.GET, "/v1/query?q=*")
        let status = try await server.stop()
        #expect(reply.status == 200, "\(reply)")
        #expect(reply.headers["X-LabelIndex-Auth"].first == "disabled")
        #expect(server.stderr.contains("AUTHENTICATION IS DISABLED"))
        #expect(!server.stderr.contains("bootstrap key"))
        #expect(status == 0)
        #expect(try JSON.parse(try CLI.succeed(["keys", "list", "--data-dir", data, "--json"]).stdout) == [])
    }

    /// The query-cost limits are flags of `serve`, checked before the server starts.
    @Test func queryCostLimitsAreFlags() async throws {
        for (flag, value) in [
            ("--query-max-work", "0"), ("--query-time-limit", "0"), ("--query-max-expanded-labels", "-1"),
            ("--expensive-threads", "0"), ("--expensive-per-account", "0"),
        ] {
            let refused = try CLI.run(["serve", flag, value])
            #expect(refused.status != 0 && refused.stderr.contains(flag), "\(flag) \(value): \(refused)")
        }
        let directory = try TemporaryDirectory()
        let server = try await ServerProcess([
            "--data-dir", directory.path("data"), "--no-auth", "--query-max-expanded-labels", "2",
        ])
        let put = try await server.send(.PUT, "/v1/assets/1", json: #"{"labels":["t1","t2","t3"]}"#)
        #expect(put.status == 201, "\(put)")
        let two = try await server.send(.GET, "/v1/query?q=label:t1%20OR%20label:t2")
        #expect(two.status == 200, "\(two)")
        let three = try await server.send(.GET, "/v1/query?q=label:t*")
        #expect(three.status == 400, "\(three)")
        #expect(three["limit"]?.string == "maxExpandedLabels" && three["maximum"]?.int == 2, "\(three)")
        #expect(try await server.stop() == 0)
    }

    /// The banner shows a working key once; a second start does not make another.
    private func checkBootstrapKey(_ server: ServerProcess) async throws {
        let banner = server.stderr
        #expect(banner.contains("a bootstrap key was created for account \"default\""), "\(banner)")
        let secret = try #require(
            banner.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("lix_") }
        )
        #expect(banner.contains("labelindex keys create"))
        #expect(banner.contains("labelindex keys revoke"))
        let reply = try await server.send(.GET, "/v1/query?q=*", headers: ["X-API-Key": secret])
        #expect(reply.status == 200, "\(reply)")
    }

    private func projectDiscoveryExamples(_ server: ServerProcess, key: String) async throws {
        let headers = ["X-API-Key": key]
        func labels(_ id: Int, namespace: String? = nil) async throws -> [String]? {
            var headers = headers
            if let namespace { headers["X-Namespace"] = namespace }
            return try await server.send(.GET, "/v1/assets/\(id)", headers: headers)["labels"]?.strings
        }
        func putAsset(_ id: Int, _ body: String, namespace: String? = nil) async throws {
            var headers = headers
            if let namespace { headers["X-Namespace"] = namespace }
            let reply = try await server.send(.PUT, "/v1/assets/\(id)", headers: headers, json: body)
            #expect(reply.status == 201 || reply.status == 200, "PUT /v1/assets/\(id): \(reply)")
        }
        // Setup: asset 123456 exists with labels ["prod","api"].
        try await putAsset(
            123_456, #"{"name":"https://example.com","labels":["prod","api"],"enumeration_id":"enum_abc"}"#)

        // PD-1 append + duplicate prevention
        var reply = try await server.send(
            .POST, "/v1/asset/123456/labels", headers: headers, json: #"{"labels":["api","critical"]}"#)
        #expect(reply.status == 200, "PD-1 \(reply)")
        #expect(reply.json == ["message": "Labels added successfully"])
        #expect(try await labels(123_456) == ["prod", "api", "critical"])

        // PD-2 empty array is a no-op
        reply = try await server.send(.POST, "/v1/asset/123456/labels", headers: headers, json: #"{"labels":[]}"#)
        #expect(reply.status == 200, "PD-2 \(reply)")
        #expect(try await labels(123_456) == ["prod", "api", "critical"])

        // PD-3 PATCH without update_type = append
        reply = try await server.send(
            .PATCH, "/v1/asset/123456/labels", headers: headers, json: #"{"labels":["monitoring"]}"#)
        #expect(reply.status == 200, "PD-3 \(reply)")
        #expect(reply.json == ["message": "Asset labels updated successfully"])
        #expect(try await labels(123_456) == ["prod", "api", "critical", "monitoring"])

        // PD-4 delete mode removes only listed labels
        reply = try await server.send(
            .PATCH, "/v1/asset/123456/labels?update_type=delete", headers: headers,
            json: #"{"labels":["critical","monitoring"]}"#)
        #expect(reply.status == 200, "PD-4 \(reply)")
        #expect(reply.json == ["message": "Asset labels updated successfully"])
        #expect(try await labels(123_456) == ["prod", "api"])

        // PD-5 replace mode
        reply = try await server.send(
            .PATCH, "/v1/asset/123456/labels?update_type=replace", headers: headers,
            json: #"{"labels":["staging","testing"]}"#)
        #expect(reply.status == 200, "PD-5 \(reply)")
        #expect(reply.json == ["message": "Asset labels updated successfully"])
        #expect(try await labels(123_456) == ["staging", "testing"])

        // PD-6 delete all
        reply = try await server.send(.DELETE, "/v1/asset/123456/labels", headers: headers)
        #expect(reply.status == 200, "PD-6 \(reply)")
        #expect(reply.json == ["message": "All labels removed successfully"])
        #expect(try await labels(123_456) == [])

        // PD-7 unknown asset
        reply = try await server.send(.POST, "/v1/asset/999999999/labels", headers: headers, json: #"{"labels":["x"]}"#)
        #expect(reply.status == 404, "PD-7 \(reply)")
        #expect(reply["message"] == "Asset not found")
        #expect(reply["code"] == "NOT_FOUND")

        // PD-8 malformed id
        reply = try await server.send(.DELETE, "/v1/asset/abc/labels", headers: headers)
        #expect(reply.status == 400, "PD-8 \(reply)")
        #expect(reply["message"] == "Invalid asset ID format")
        #expect(reply["code"] == "INVALID_ID")

        // PD-9 missing key
        reply = try await server.send(.DELETE, "/v1/asset/123456/labels")
        #expect(reply.status == 401, "PD-9 \(reply)")
        #expect(reply["message"]?.string?.isEmpty == false)

        // PD-10 bulk append by label filter, in a team
        for id in 1...3 {
            try await putAsset(
                id, #"{"name":"host-\#(id)","labels":["\#(id == 3 ? "dev" : "prod")"]}"#, namespace: "team/team-blue")
        }
        reply = try await server.send(
            .PATCH, "/v1/asset/labels?update_type=append", headers: ["X-API-Key": key, "X-Team-Id": "team-blue"],
            json: #"{"filters":{"labels":"prod"},"labels":["reviewed"]}"#)
        #expect(reply.status == 200, "PD-10 \(reply)")
        #expect(reply.json == ["message": "Labels updated successfully", "asset_count": 2, "async": false])
        #expect(try await labels(1, namespace: "team/team-blue") == ["prod", "reviewed"])
        #expect(try await labels(3, namespace: "team/team-blue") == ["dev"])

        // PD-11 bulk delete across ALL assets (empty filters)
        try await putAsset(7, #"{"name":"a","labels":["test1","keep"]}"#)
        try await putAsset(8, #"{"name":"b","labels":["test1"]}"#)
        reply = try await server.send(
            .PATCH, "/v1/asset/labels?update_type=delete", headers: headers, json: #"{"filters":{},"labels":["test1"]}"#
        )
        #expect(reply.status == 200, "PD-11 \(reply)")
        #expect(reply["asset_count"] == 3)
        #expect(reply["async"] == false)
        let carriers = try await server.send(.GET, "/v1/query?q=label:test1&count_only=true", headers: headers)
        #expect(carriers["count"] == 0, "PD-11 \(carriers)")
        #expect(try await labels(7) == ["keep"])

        // PD-12 unknown filter key rejected
        reply = try await server.send(
            .PATCH, "/v1/asset/labels", headers: headers, json: #"{"filters":{"bogus":1},"labels":["x"]}"#)
        #expect(reply.status == 400, "PD-12 \(reply)")
        #expect(reply["message"]?.string?.contains("bogus") == true)

        // PD-13 listing shows ids and labels, paged (PD-6 cleared the labels: put them back first)
        reply = try await server.send(
            .PATCH, "/v1/asset/123456/labels?update_type=replace", headers: headers,
            json: #"{"labels":["staging","testing"]}"#)
        #expect(reply.status == 200)
        reply = try await server.send(
            .GET, "/v1/asset/enumerate/enum_abc/contents?offset=0&limit=2&labels=staging&sort_desc=created_at",
            headers: headers)
        #expect(reply.status == 200, "PD-13 \(reply)")
        #expect(reply["message"]?.string != nil)
        let data = try #require(reply["data"]?.array)
        #expect(data.count == 1)
        #expect(data.first?["id"] == 123_456)
        #expect(data.first?["name"] == "https://example.com")
        #expect(data.first?["enumeration_id"] == "enum_abc")
        #expect(data.first?["is_new"] == false)
        #expect(data.first?["created_at"]?.string != nil)
        #expect(data.first?["labels"] == ["staging", "testing"])
    }

    private func labelingExamples(_ server: ServerProcess, key: String) async throws {
        let auth = ["APIKEY": key]

        // SP-1 create top-level label (form-encoded)
        var reply = try await server.send(
            .POST, "/API/label", headers: auth, form: "name=IT+Operations&color=%23FFDC7B")
        #expect(reply.status == 200, "SP-1 \(reply)")
        #expect(reply["responseCode"] == 200)
        #expect(reply["message"] == "success")
        let lid = try #require(reply["content"]?["id"]?.string)
        #expect(reply["content"]?["name"] == "IT Operations")
        #expect(reply["content"]?["color"] == "#FFDC7B")

        // SP-2 create child label
        reply = try await server.send(.POST, "/API/label", headers: auth, form: "name=Helpdesk&parent=\(lid)")
        #expect(reply.status == 200, "SP-2 \(reply)")
        let cid = try #require(reply["content"]?["id"]?.string)
        #expect(reply["content"]?["name"] == "Helpdesk")
        #expect(reply["content"]?["parent_label_id"]?.string == lid)

        // SP-3 list as tree (query-param auth)
        reply = try await server.send(.GET, "/API/user/labels?apiKey=\(key)")
        #expect(reply.status == 200, "SP-3 \(reply)")
        #expect(reply["content"]?["id"]?.string != nil)
        let top = try #require(reply["content"]?["sublabels"]?.array)
        #expect(top.count == 1)
        #expect(top.first?["id"]?.string == lid)
        #expect(top.first?["name"] == "IT Operations")
        #expect(top.first?["sublabels"]?[0]?["id"]?.string == cid)
        #expect(top.first?["sublabels"]?[0]?["name"] == "Helpdesk")
        #expect(top.first?["sublabels"]?[0]?["sublabels"] == [])

        // SP-4 get one
        reply = try await server.send(.GET, "/API/label/\(lid)", headers: auth)
        #expect(reply.status == 200, "SP-4 \(reply)")
        #expect(reply["content"]?["id"]?.string == lid)
        #expect(reply["content"]?["name"] == "IT Operations")
        #expect(reply["content"]?["color"] == "#FFDC7B")

        // SP-5 update (JSON)
        reply = try await server.send(
            .PUT, "/API/label/\(lid)", headers: auth, json: ##"{"name":"Workplace Operations","color":"#23FFDD"}"##)
        #expect(reply.status == 200, "SP-5 \(reply)")
        #expect(reply["content"]?["name"] == "Workplace Operations")
        #expect(reply["content"]?["color"] == "#23FFDD")

        // SP-6 link a form
        let form = #"{"resources":[{"id":"251464995493876","type":"form"}]}"#
        reply = try await server.send(.PUT, "/API/label/\(cid)/add-resources", headers: auth, json: form)
        #expect(reply.status == 200, "SP-6 \(reply)")
        #expect(reply["content"] == [["id": "251464995493876", "type": "FORM"]])

        // SP-7 idempotent re-link
        reply = try await server.send(.PUT, "/API/label/\(cid)/add-resources", headers: auth, json: form)
        #expect(reply.status == 200, "SP-7 \(reply)")

        // SP-8 list label content
        reply = try await server.send(.GET, "/API/label/\(cid)/resources?offset=0&limit=20", headers: auth)
        #expect(reply.status == 200, "SP-8 \(reply)")
        let resources = try #require(reply["content"]?.array)
        #expect(resources.count == 1)
        #expect(resources.first?["id"] == "251464995493876")
        #expect(resources.first?["assetType"] == "form")
        #expect(resources.first?["title"]?.string != nil)
        #expect(resources.first?["status"] == "ENABLED")

        // SP-9 unlink (asset survives)
        reply = try await server.send(.PUT, "/API/label/\(cid)/remove-resources", headers: auth, json: form)
        #expect(reply.status == 200, "SP-9 \(reply)")
        #expect(reply["content"] == [["id": "251464995493876", "type": "FORM"]])
        reply = try await server.send(.GET, "/API/label/\(cid)/resources", headers: auth)
        #expect(reply["content"] == [])
        let survivor = try await server.send(
            .GET, "/v1/assets/form:251464995493876", headers: ["X-API-Key": key])
        #expect(survivor.status == 200, "SP-9: the form must survive: \(survivor)")

        // SP-10 cascade delete
        reply = try await server.send(.DELETE, "/API/label/\(lid)", headers: auth)
        #expect(reply.status == 200, "SP-10 \(reply)")
        #expect(reply.json == ["responseCode": 200, "message": "success", "content": true])
        reply = try await server.send(.GET, "/API/label/\(cid)", headers: auth)
        #expect(reply.status == 404, "SP-10 \(reply)")
        #expect(reply["responseCode"] == 404)
        #expect(reply["content"] == "")
        reply = try await server.send(.GET, "/API/user/labels", headers: auth)
        #expect(reply["content"]?["sublabels"] == [])

        // SP-11 bad key
        reply = try await server.send(.GET, "/API/user/labels", headers: ["APIKEY": "lix_0000000000000000_bad"])
        #expect(reply.status == 401, "SP-11 \(reply)")
        #expect(
            reply.json == [
                "responseCode": 401, "message": "You're not authorized to use (/user-labels) ", "content": "",
            ])

        // SP-12 wrong-case base path
        reply = try await server.send(.GET, "/api/user/labels", headers: auth)
        #expect(reply.status == 404, "SP-12 \(reply)")
    }

    private func actionHubExamples(_ server: ServerProcess, key: String) async throws {
        let auth = ["actionhub-key": key, "program-id": "prog-1"]

        // AH-1 upsert labels
        var reply = try await server.send(
            .PUT, "/labels", headers: auth,
            json: #"{"labels":[{"label":"running","weight":0.8},{"label":"trail","weight":0.3}]}"#)
        #expect(reply.status == 200, "AH-1 \(reply)")
        #expect(reply["result"]?.string != nil)

        // AH-2 list, paged
        reply = try await server.send(.GET, "/labels?page=1&size=50", headers: auth)
        #expect(reply.status == 200, "AH-2 \(reply)")
        #expect(
            reply.json == [
                "items": [["label": "running", "weight": 0.8], ["label": "trail", "weight": 0.3]], "total": 2,
                "page": 1,
                "size": 50,
            ])

        // AH-3 upsert updates weight, leaves others
        reply = try await server.send(
            .PUT, "/labels", headers: auth, json: #"{"labels":[{"label":"running","weight":0.5}]}"#)
        #expect(reply.status == 200, "AH-3 \(reply)")
        reply = try await server.send(.GET, "/labels?page=1&size=50", headers: auth)
        #expect(reply["items"] == [["label": "running", "weight": 0.5], ["label": "trail", "weight": 0.3]])
        #expect(reply["total"] == 2)

        // AH-4 label too long (65 chars)
        let long = String(repeating: "x", count: 65)
        reply = try await server.send(
            .PUT, "/labels", headers: auth, json: #"{"labels":[{"label":"\#(long)","weight":1}]}"#)
        #expect(reply.status == 422, "AH-4 \(reply)")
        #expect(reply["detail"]?[0]?["loc"] == ["body", "labels", 0, "label"])
        #expect(reply["detail"]?[0]?["msg"]?.string != nil)
        #expect(reply["detail"]?[0]?["type"]?.string != nil)

        // AH-5 missing weight
        reply = try await server.send(.PUT, "/labels", headers: auth, json: #"{"labels":[{"label":"running"}]}"#)
        #expect(reply.status == 422, "AH-5 \(reply)")
        #expect(reply["detail"]?[0]?["loc"] == ["body", "labels", 0, "weight"])

        // AH-6 missing program-id
        reply = try await server.send(.GET, "/labels", headers: ["actionhub-key": key])
        #expect(reply.status == 422, "AH-6 \(reply)")
        #expect(reply["detail"]?[0]?["loc"] == ["header", "program-id"])

        // AH-7 invalid key
        reply = try await server.send(.GET, "/labels", headers: ["actionhub-key": "nope", "program-id": "prog-1"])
        #expect(reply.status == 403, "AH-7 \(reply)")
        #expect(reply.json == ["detail": "Could not validate API KEY"])

        // AH-8 page size over the limit
        reply = try await server.send(.GET, "/labels?size=101", headers: auth)
        #expect(reply.status == 422, "AH-8 \(reply)")
        #expect(reply["detail"]?[0]?["loc"] == ["query", "size"])

        // AH-9 asset upsert carrying labels
        reply = try await server.send(
            .POST, "/assets", headers: auth,
            json: #"{"assets":[{"asset_id":"sku-1","asset_name":"Trail Shoe","labels":["running","trail"]}]}"#)
        #expect(reply.status == 200, "AH-9 \(reply)")
        #expect(reply["result"]?.string != nil)
        reply = try await server.send(.GET, "/assets?search=Trail", headers: auth)
        #expect(reply.status == 200, "AH-9 \(reply)")
        #expect(
            reply.json == [
                "items": [["asset_id": "sku-1", "asset_name": "Trail Shoe", "labels": ["running", "trail"]]],
                "total": 1,
                "page": 1, "size": 50,
            ])

        // AH-10 unknown user label weights
        reply = try await server.send(.GET, "/users/nobody/labels", headers: auth)
        #expect(reply.status == 404, "AH-10 \(reply)")
        #expect(reply["detail"]?.string != nil)
    }
}
