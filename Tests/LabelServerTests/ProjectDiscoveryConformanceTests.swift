import LabelIndex
import Testing

@testable import LabelServer

/// The PDCP conformance examples PD-1 … PD-13 of api-spec.md §4.1, replayed in order.
@Suite struct ProjectDiscoveryConformanceTests {
    @Test func examplesInOrder() async throws {
        try await withServer { server in
            let key = try server.key()
            let headers = ["X-API-Key": key]
            // Setup: asset 123456 exists with labels ["prod","api"].
            try await server.putAsset(
                123_456, name: "https://example.com", labels: ["prod", "api"], enumeration: "enum_abc", key: key)
            func labels() throws -> [String]? { try server.labels(of: .id(123_456), in: "acme/default") }

            // PD-1 append + duplicate prevention
            var reply = try await server.send(
                .post, "/v1/asset/123456/labels", headers: headers, json: #"{"labels":["api","critical"]}"#)
            #expect(reply.status == 200)
            #expect(try reply.json == ["message": "Labels added successfully"])
            #expect(try labels() == ["prod", "api", "critical"])

            // PD-2 empty array is a no-op
            reply = try await server.send(.post, "/v1/asset/123456/labels", headers: headers, json: #"{"labels":[]}"#)
            #expect(reply.status == 200)
            #expect(try labels() == ["prod", "api", "critical"])

            // PD-3 PATCH without update_type = append
            reply = try await server.send(
                .patch, "/v1/asset/123456/labels", headers: headers, json: #"{"labels":["monitoring"]}"#)
            #expect(reply.status == 200)
            #expect(try reply.json == ["message": "Asset labels updated successfully"])
            #expect(try labels() == ["prod", "api", "critical", "monitoring"])

            // PD-4 delete mode removes only listed labels
            reply = try await server.send(
                .patch, "/v1/asset/123456/labels?update_type=delete", headers: headers,
                json: #"{"labels":["critical","monitoring"]}"#)
            #expect(reply.status == 200)
            #expect(try reply.json == ["message": "Asset labels updated successfully"])
            #expect(try labels() == ["prod", "api"])

            // PD-5 replace mode
            reply = try await server.send(
                .patch, "/v1/asset/123456/labels?update_type=replace", headers: headers,
                json: #"{"labels":["staging","testing"]}"#)
            #expect(reply.status == 200)
            #expect(try labels() == ["staging", "testing"])

            // PD-6 delete all
            reply = try await server.send(.delete, "/v1/asset/123456/labels", headers: headers)
            #expect(reply.status == 200)
            #expect(try reply.json == ["message": "All labels removed successfully"])
            #expect(try labels() == [])

            // PD-7 unknown asset
            reply = try await server.send(
                .post, "/v1/asset/999999999/labels", headers: headers, json: #"{"labels":["x"]}"#)
            #expect(reply.status == 404)
            #expect(reply["message"] == "Asset not found")
            #expect(reply["code"] == "NOT_FOUND")

            // PD-8 malformed id
            reply = try await server.send(.delete, "/v1/asset/abc/labels", headers: headers)
            #expect(reply.status == 400)
            #expect(reply["message"] == "Invalid asset ID format")
            #expect(reply["code"] == "INVALID_ID")

            // PD-9 missing key
            reply = try await server.send(.delete, "/v1/asset/123456/labels")
            #expect(reply.status == 401)
            #expect(reply["message"]?.stringValue?.isEmpty == false)

            // PD-10 bulk append by label filter, in a team
            let team = ["X-API-Key": key, "X-Team-Id": "team-blue"]
            for id in Int64(1)...3 {
                try await server.putAsset(
                    id, name: "host-\(id)", labels: id == 3 ? ["dev"] : ["prod"], key: key, namespace: "team/team-blue")
            }
            reply = try await server.send(
                .patch, "/v1/asset/labels?update_type=append", headers: team,
                json: #"{"filters":{"labels":"prod"},"labels":["reviewed"]}"#)
            #expect(reply.status == 200)
            #expect(try reply.json == ["message": "Labels updated successfully", "asset_count": 2, "async": false])
            #expect(try server.labels(of: .id(1), in: "acme/team/team-blue") == ["prod", "reviewed"])
            #expect(try server.labels(of: .id(3), in: "acme/team/team-blue") == ["dev"])

            // PD-11 bulk delete across ALL assets (empty filters)
            try await server.putAsset(7, name: "a", labels: ["test1", "keep"], key: key)
            try await server.putAsset(8, name: "b", labels: ["test1"], key: key)
            reply = try await server.send(
                .patch, "/v1/asset/labels?update_type=delete", headers: headers,
                json: #"{"filters":{},"labels":["test1"]}"#)
            #expect(reply.status == 200)
            #expect(reply["asset_count"] == 3)
            #expect(reply["async"] == false)
            let carriers = try await server.store.read { snapshot in
                try snapshot.namespace("acme/default").flatMap { reader in
                    try reader.labelID(named: "test1").map { try reader.cardinality(of: .label($0)) }
                }
            }
            #expect(carriers == nil || carriers == 0)
            #expect(try server.labels(of: .id(7), in: "acme/default") == ["keep"])

            // PD-12 unknown filter key rejected
            reply = try await server.send(
                .patch, "/v1/asset/labels", headers: headers, json: #"{"filters":{"bogus":1},"labels":["x"]}"#)
            #expect(reply.status == 400)
            #expect(reply["message"]?.stringValue?.contains("bogus") == true)
            #expect(reply["param"] == "filters.bogus")

            // PD-13 listing shows ids and labels, paged (PD-6 cleared the labels: put them back first)
            reply = try await server.send(
                .patch, "/v1/asset/123456/labels?update_type=replace", headers: headers,
                json: #"{"labels":["staging","testing"]}"#)
            #expect(reply.status == 200)
            reply = try await server.send(
                .get, "/v1/asset/enumerate/enum_abc/contents?offset=0&limit=2&labels=staging&sort_desc=created_at",
                headers: headers)
            #expect(reply.status == 200)
            let data = try #require(reply["data"]?.arrayValue)
            #expect(data.count == 1)
            let item = try #require(data.first)
            #expect(item["id"] == 123_456)
            #expect(item["name"] == "https://example.com")
            #expect(item["enumeration_id"] == "enum_abc")
            #expect(item["is_new"] == false)
            #expect(item["created_at"]?.stringValue != nil)
            #expect(item["labels"]?.strings == ["staging", "testing"])
            #expect(reply["message"]?.stringValue != nil)
        }
    }
}
