import Foundation
import LabelFormats
import LabelIndex
import Testing

@testable import LabelServer

/// P1–P6 beyond the conformance examples: every documented error and every "Choose" of
/// api-spec.md §3 for PDCP (items 1–15).
@Suite struct ProjectDiscoveryTests {
    /// Choice 1: 404 + NOT_FOUND, 400 + INVALID_ID, and `status` in the body.
    @Test func errorCodesCarryTheirStatus() async throws {
        try await withServer { server in
            let headers = ["X-API-Key": try server.key()]
            var reply = try await server.send(
                .patch, "/v1/asset/42/labels", headers: headers, json: #"{"labels":["x"]}"#)
            #expect(reply.status == 404)
            #expect(try reply.json == ["message": "Asset not found", "code": "NOT_FOUND", "status": 404])
            for bad in ["abc", "1.5", "99999999999999999999", "+5", "0x10"] {
                reply = try await server.send(
                    .post, "/v1/asset/\(bad)/labels", headers: headers, json: #"{"labels":["x"]}"#)
                #expect(reply.status == 400, "\(bad)")
                #expect(reply["code"] == "INVALID_ID")
                #expect(reply["status"] == 400)
            }
        }
    }

    /// Choice 2: `X-Team-Id` is honoured on every route, per-asset PATCH included.
    @Test func teamHeaderScopesEveryRoute() async throws {
        try await withServer { server in
            let key = try server.key()
            try await server.putAsset(5, name: "team asset", labels: ["a"], key: key, namespace: "team/t1")
            try await server.putAsset(5, name: "default asset", labels: ["a"], key: key)
            let team = ["X-API-Key": key, "X-Team-Id": "t1"]
            var reply = try await server.send(
                .patch, "/v1/asset/5/labels?update_type=append", headers: team, json: #"{"labels":["b"]}"#)
            #expect(reply.status == 200)
            reply = try await server.send(.post, "/v1/asset/5/labels", headers: team, json: #"{"labels":["c"]}"#)
            #expect(reply.status == 200)
            #expect(try server.labels(of: .id(5), in: "acme/team/t1") == ["a", "b", "c"])
            #expect(try server.labels(of: .id(5), in: "acme/default") == ["a"])
            reply = try await server.send(.delete, "/v1/asset/5/labels", headers: team)
            #expect(reply.status == 200)
            #expect(try server.labels(of: .id(5), in: "acme/team/t1") == [])
            #expect(try server.labels(of: .id(5), in: "acme/default") == ["a"])
            reply = try await server.send(.get, "/v1/asset/enumerate/contents", headers: team)
            #expect(reply["data"]?.arrayValue?.map { $0["name"] } == ["team asset"])
            // An asset of the default namespace is unknown in another team.
            reply = try await server.send(
                .post, "/v1/asset/5/labels", headers: ["X-API-Key": key, "X-Team-Id": "t2"], json: #"{"labels":["x"]}"#)
            #expect(reply.status == 404)
            // A malformed team id is a parameter error.
            reply = try await server.send(
                .post, "/v1/asset/5/labels", headers: ["X-API-Key": key, "X-Team-Id": "a/b"], json: #"{"labels":["x"]}"#
            )
            #expect(reply.status == 400)
            #expect(reply["param"] == "X-Team-Id")
        }
    }

    /// Choice 3: an `update_type` outside the enum is a 400 INVALID_PARAM naming it.
    @Test func invalidUpdateType() async throws {
        try await withServer { server in
            let key = try server.key()
            try await server.putAsset(1, labels: ["a"], key: key)
            for path in ["/v1/asset/1/labels?update_type=merge", "/v1/asset/labels?update_type=APPEND"] {
                let reply = try await server.send(.patch, path, headers: ["X-API-Key": key], json: #"{"labels":["b"]}"#)
                #expect(reply.status == 400)
                #expect(reply["code"] == "INVALID_PARAM")
                #expect(reply["param"] == "update_type")
            }
            #expect(try server.labels(of: .id(1), in: "acme/default") == ["a"])
        }
    }

    /// Choice 4: a missing or non-array `labels` is a 400, and so are non-string items.
    @Test func missingOrMistypedLabels() async throws {
        try await withServer { server in
            let key = try server.key()
            try await server.putAsset(1, key: key)
            let cases: [(String, String)] = [
                (#"{}"#, "labels"), (#"{"labels":"prod"}"#, "labels"), (#"{"labels":[1]}"#, "labels[0]"),
                (#"{"labels":["ok",null]}"#, "labels[1]"), (#"[]"#, ""),
            ]
            for (body, param) in cases {
                let reply = try await server.send(.post, "/v1/asset/1/labels", headers: ["X-API-Key": key], json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply["code"] == "INVALID_BODY")
                if !param.isEmpty { #expect(reply["param"]?.stringValue == param, "\(body)") }
            }
            let reply = try await server.send(
                .patch, "/v1/asset/labels", headers: ["X-API-Key": key], json: #"{"filters":{}}"#)
            #expect(reply.status == 400)
            #expect(reply["param"] == "labels")
        }
    }

    /// Choices 5, 6, 7: replace with [] clears; deleting absent labels and clearing an
    /// unlabelled asset are no-op successes.
    @Test func idempotentRemovals() async throws {
        try await withServer { server in
            let key = try server.key()
            let headers = ["X-API-Key": key]
            try await server.putAsset(1, labels: ["a", "b"], key: key)
            var reply = try await server.send(
                .patch, "/v1/asset/1/labels?update_type=delete", headers: headers, json: #"{"labels":["zzz"]}"#)
            #expect(reply.status == 200)
            #expect(try server.labels(of: .id(1), in: "acme/default") == ["a", "b"])
            reply = try await server.send(
                .patch, "/v1/asset/1/labels?update_type=replace", headers: headers, json: #"{"labels":[]}"#)
            #expect(reply.status == 200)
            #expect(try server.labels(of: .id(1), in: "acme/default") == [])
            reply = try await server.send(.delete, "/v1/asset/1/labels", headers: headers)
            #expect(reply.status == 200)
            #expect(try server.labels(of: .id(1), in: "acme/default") == [])
        }
    }

    /// Choices 8, 9, 15: duplicates collapse to their first occurrence; names are exact and
    /// case-sensitive; empty and over-long names are rejected; every label is the same kind.
    @Test func labelIdentity() async throws {
        try await withServer { server in
            let key = try server.key()
            let headers = ["X-API-Key": key]
            try await server.putAsset(1, labels: ["x"], key: key)
            var reply = try await server.send(
                .post, "/v1/asset/1/labels", headers: headers, json: #"{"labels":["b","a","b","Prod","prod"," prod"]}"#)
            #expect(reply.status == 200)
            #expect(try server.labels(of: .id(1), in: "acme/default") == ["x", "b", "a", "Prod", "prod", " prod"])
            reply = try await server.send(.post, "/v1/asset/1/labels", headers: headers, json: #"{"labels":[""]}"#)
            #expect(reply.status == 400)
            #expect(reply["param"] == "labels[0]")
            let long = String(repeating: "é", count: 128)  // 256 UTF-8 bytes
            reply = try await server.send(
                .post, "/v1/asset/1/labels", headers: headers, json: #"{"labels":["ok","\#(long)"]}"#)
            #expect(reply.status == 400)
            #expect(reply["param"] == "labels[1]")
            reply = try await server.send(
                .post, "/v1/asset/1/labels", headers: headers, json: #"{"labels":["tab\there"]}"#)
            #expect(reply.status == 400)
            #expect(try server.labels(of: .id(1), in: "acme/default") == ["x", "b", "a", "Prod", "prod", " prod"])
            // A label created through the Labeling API is removed by PD like any other.
            reply = try await server.send(.post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"from-api"}"#)
            #expect(reply.status == 200)
            reply = try await server.send(
                .post, "/v1/asset/1/labels", headers: headers, json: #"{"labels":["from-api"]}"#)
            reply = try await server.send(
                .patch, "/v1/asset/1/labels?update_type=delete", headers: headers, json: #"{"labels":["from-api","x"]}"#
            )
            #expect(try server.labels(of: .id(1), in: "acme/default") == ["b", "a", "Prod", "prod", " prod"])
        }
    }

    /// Choice 10: an absent `filters` selects every asset, like `{}`.
    @Test func absentFiltersSelectEverything() async throws {
        try await withServer { server in
            let key = try server.key()
            for id in Int64(1)...4 {
                try await server.putAsset(id, labels: id.isMultiple(of: 2) ? ["even"] : [], key: key)
            }
            let reply = try await server.send(
                .patch, "/v1/asset/labels", headers: ["X-API-Key": key], json: #"{"labels":["all"]}"#)
            #expect(reply["asset_count"] == 4)
            for id in Int64(1)...4 {
                #expect(try server.labels(of: .id(id), in: "acme/default")?.contains("all") == true)
            }
        }
    }

    /// Choices 11 and 12: `enumeration_ids` and `enumeration_id` both work; values within a
    /// field are ORed, fields ANDed.
    @Test func filterCombination() async throws {
        try await withServer { server in
            let key = try server.key()
            try await server.putAsset(1, name: "one", labels: ["prod"], enumeration: "e1", key: key)
            try await server.putAsset(2, name: "two", labels: ["api"], enumeration: "e1", key: key)
            try await server.putAsset(3, name: "three", labels: ["prod", "api"], enumeration: "e2", key: key)
            try await server.putAsset(4, name: "four", labels: ["other"], enumeration: "e1", key: key)
            func count(_ filters: String) async throws -> Int? {
                let reply = try await server.send(
                    .patch, "/v1/asset/labels?update_type=append", headers: ["X-API-Key": key],
                    json: #"{"filters":\#(filters),"labels":[]}"#)
                #expect(reply.status == 200, "\(filters): \(reply.text)")
                return reply["asset_count"]?.int
            }
            #expect(try await count(#"{"labels":"prod,api"}"#) == 3)
            #expect(try await count(#"{"labels":"prod,api","enumeration_ids":["e1"]}"#) == 2)
            #expect(try await count(#"{"labels":"prod,api","enumeration_id":"e2"}"#) == 1)
            #expect(try await count(#"{"enumeration_ids":["e1","e2"],"labels":"other"}"#) == 1)
            #expect(try await count(#"{"search":"T","labels":"prod"}"#) == 1)
        }
    }

    /// The bulk update's command selects (when applied) exactly the assets the listing's
    /// AssetSelection lists, for every kind of filter: the two implementations must agree.
    @Test func bulkUpdateSelectsWhatTheListingLists() async throws {
        try await withServer { server in
            let key = try server.key()
            let recent = Timestamps.iso8601(Date().addingTimeInterval(-3600))
            try await server.putAsset(
                1, name: "https://a.example", labels: ["prod", "web"], enumeration: "e1",
                createdAt: "2020-01-15T00:00:00Z",
                metadata: #"{"port":443,"host":"a.example","technologies":["nginx","php"],"is_new":true}"#, key: key)
            try await server.putAsset(
                2, name: "https://b.example", labels: ["prod"], enumeration: "e2", createdAt: recent,
                metadata: #"{"port":8080,"host":"b.example","domain_name":"example.org","is_tech":true}"#, key: key)
            try await server.putAsset(
                3, name: "C", labels: ["web"], enumeration: "e1", createdAt: "2021-06-01T12:00:00.123Z",
                metadata: #"{"port":"443","technologies":"php","is_new":false}"#, key: key)
            try await server.putAsset(4, name: "plain", key: key)
            let filters: [(query: String, body: String)] = [
                ("", "{}"),
                ("labels=prod", #"{"labels":"prod"}"#),
                ("search=EXAMPLE", #"{"search":"EXAMPLE"}"#),
                ("enumeration_ids=e1", #"{"enumeration_ids":["e1"]}"#),
                ("enumeration_id=e2&labels=prod", #"{"enumeration_id":"e2","labels":"prod"}"#),
                ("time=last_week", #"{"time":"last_week"}"#),
                ("start_date=2020-01-01&end_date=2020-01-15", #"{"start_date":"2020-01-01","end_date":"2020-01-15"}"#),
                ("start_date=2021-06-01", #"{"start_date":"2021-06-01"}"#),
                ("port=443", #"{"port":"443"}"#),
                ("port=8080,9000", #"{"port":"8080,9000"}"#),
                ("technologies=php", #"{"technologies":"php"}"#),
                ("is_new=true", #"{"is_new":true}"#),
                ("is_tech=true&labels=prod", #"{"is_tech":true,"labels":"prod"}"#),
                ("domain=example.org", #"{"domain":["example.org"]}"#),
                ("host=a.example&port=443", #"{"host":"a.example","port":"443"}"#),
                ("not_seen_for_days=1", #"{"not_seen_for_days":1}"#),
                ("custom_filter=label:prod%20-label:web", #"{"custom_filter":"label:prod -label:web"}"#),
            ]
            for (query, body) in filters {
                let listing = try await server.send(
                    .get, "/v1/asset/enumerate/contents?limit=100&\(query)", headers: ["X-API-Key": key])
                #expect(listing.status == 200, "\(query): \(listing.text)")
                let listed = listing["data"]?.arrayValue?.count
                let reply = try await server.send(
                    .patch, "/v1/asset/labels?update_type=append", headers: ["X-API-Key": key],
                    json: #"{"filters":\#(body),"labels":["seen"]}"#)
                #expect(reply.status == 200, "\(body): \(reply.text)")
                #expect(reply["asset_count"]?.int == listed, "\(body) vs \(query)")
            }
        }
    }

    /// The other filters: custom_filter (plain and percent-encoded), time windows, dates,
    /// metadata attributes and flags, not_seen_for_days; and a bad custom_filter's error.
    @Test func attributeAndQueryFilters() async throws {
        try await withServer { server in
            let key = try server.key()
            let recent = Timestamps.iso8601(Date().addingTimeInterval(-3600))
            try await server.putAsset(
                1, name: "https://a.example", labels: ["prod", "web"], createdAt: "2020-01-15T00:00:00Z",
                metadata: #"{"port":443,"host":"a.example","technologies":["nginx","php"],"is_new":true}"#, key: key)
            try await server.putAsset(
                2, name: "https://b.example", labels: ["prod"], createdAt: recent,
                metadata: #"{"port":8080,"host":"b.example"}"#, key: key)
            func names(_ query: String) async throws -> [String] {
                let reply = try await server.send(
                    .get, "/v1/asset/enumerate/contents?\(query)", headers: ["X-API-Key": key])
                #expect(reply.status == 200, "\(query): \(reply.text)")
                return reply["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            }
            #expect(try await names("custom_filter=label:prod%20-label:web") == ["https://b.example"])
            // Double-encoded, as PDCP documents it.
            #expect(try await names("custom_filter=label%253Aweb") == ["https://a.example"])
            #expect(try await names("time=last_week") == ["https://b.example"])
            #expect(try await names("time=all_time").count == 2)
            #expect(try await names("start_date=2020-01-01&end_date=2020-01-15") == ["https://a.example"])
            #expect(try await names("end_date=2020-01-14") == [])
            #expect(try await names("port=8080,9000") == ["https://b.example"])
            #expect(try await names("technologies=php") == ["https://a.example"])
            #expect(try await names("is_new=true") == ["https://a.example"])
            #expect(try await names("is_new=false").count == 2)
            #expect(try await names("host=a.example&port=443") == ["https://a.example"])
            #expect(try await names("not_seen_for_days=1").isEmpty)

            var reply = try await server.send(
                .get, "/v1/asset/enumerate/contents?custom_filter=lable:x", headers: ["X-API-Key": key])
            #expect(reply.status == 400)
            #expect(reply["code"] == "INVALID_FILTER")
            #expect(reply["param"] == "filters.custom_filter")
            reply = try await server.send(
                .patch, "/v1/asset/labels", headers: ["X-API-Key": key],
                json: #"{"filters":{"custom_filter":"(label:a"},"labels":["x"]}"#)
            #expect(reply.status == 400)
            #expect(reply["code"] == "INVALID_FILTER")
            for query in ["time=yesterday", "start_date=2020-13-01", "is_new=maybe", "not_seen_for_days=0"] {
                reply = try await server.send(
                    .get, "/v1/asset/enumerate/contents?\(query)", headers: ["X-API-Key": key])
                #expect(reply.status == 400, "\(query)")
                #expect(reply["code"] == "INVALID_PARAM")
            }
            reply = try await server.send(
                .patch, "/v1/asset/labels", headers: ["X-API-Key": key],
                json: #"{"filters":{"is_new":"yes"},"labels":["x"]}"#)
            #expect(reply.status == 400)
            #expect(reply["param"] == "filters.is_new")
        }
    }

    /// Choice 13: over the threshold the update is queued, finishes, and is observable.
    @Test func largeBulkUpdatesRunAsJobs() async throws {
        try await withServer(.testing(asyncJobThreshold: 3, jobChunkSize: 2)) { server in
            let key = try server.key()
            for id in Int64(1)...7 { try await server.putAsset(id, labels: ["bulk"], key: key) }
            let reply = try await server.send(
                .patch, "/v1/asset/labels?update_type=replace", headers: ["X-API-Key": key],
                json: #"{"filters":{"labels":"bulk"},"labels":["done"]}"#)
            #expect(reply.status == 200)
            #expect(reply["message"] == "Label update queued")
            #expect(reply["asset_count"] == 7)
            #expect(reply["async"] == true)
            let jobID = try #require(reply["job_id"]?.stringValue)
            #expect(reply.header("Location") == "/v1/jobs/\(jobID)")
            var job: JSONValue = .null
            for _ in 0..<200 {
                job = try await server.send(.get, "/v1/jobs/\(jobID)", headers: ["X-API-Key": key]).json
                if job["status"] == "succeeded" { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(job["status"] == "succeeded")
            #expect(job["processed"] == 7)
            #expect(job["changed"] == 7)
            #expect(job["asset_count"] == 7)
            for id in Int64(1)...7 { #expect(try server.labels(of: .id(id), in: "acme/default") == ["done"]) }
            // Under the threshold the same call is synchronous.
            let small = try await server.send(
                .patch, "/v1/asset/labels", headers: ["X-API-Key": key],
                json: #"{"filters":{"labels":"done"},"labels":["x"],"filters":{"search":"nothing"}}"#)
            #expect(small["async"] == false)
            #expect(small["asset_count"] == 0)
        }
    }

    /// Choice 14 and P5/P6 paging and sorting: all six listing fields, offset/limit, sorts,
    /// the enumeration of P5, and the page size limit.
    @Test func listingPagingAndSorting() async throws {
        try await withServer { server in
            let key = try server.key()
            let headers = ["X-API-Key": key]
            for id in Int64(1)...5 {
                try await server.putAsset(
                    id, name: "asset-\(6 - id)", labels: ["l"], enumeration: id <= 3 ? "e1" : "e2",
                    createdAt: "2024-01-0\(id)T00:00:00Z", key: key)
            }
            var reply = try await server.send(.get, "/v1/asset/enumerate/contents?offset=2&limit=2", headers: headers)
            #expect(reply["data"]?.arrayValue?.map { $0["id"] } == [3, 4])
            #expect(reply["current_page"] == 2)
            #expect(reply["result_count"] == 2)
            #expect(reply["total_results"] == 5)
            #expect(reply["total_pages"] == 3)
            #expect(reply["message"]?.stringValue != nil)
            reply = try await server.send(.get, "/v1/asset/enumerate/contents?sort_asc=name", headers: headers)
            #expect(reply["data"]?.arrayValue?.map { $0["id"] } == [5, 4, 3, 2, 1])
            reply = try await server.send(
                .get, "/v1/asset/enumerate/contents?sort_desc=created_at&limit=1", headers: headers)
            #expect(reply["data"]?.arrayValue?.map { $0["id"] } == [5])
            reply = try await server.send(.get, "/v1/asset/enumerate/e2/contents", headers: headers)
            #expect(reply["data"]?.arrayValue?.map { $0["id"] } == [4, 5])
            #expect(reply["data"]?.arrayValue?.first?["enumeration_id"] == "e2")
            reply = try await server.send(.get, "/v1/asset/enumerate/e2/contents?enumeration_ids=e1", headers: headers)
            #expect(reply["data"] == [])
            reply = try await server.send(.get, "/v1/asset/enumerate/contents?sort_asc=color", headers: headers)
            #expect(reply.status == 400)
            #expect(reply["param"] == "sort_asc")
            reply = try await server.send(.get, "/v1/asset/enumerate/contents?limit=1001", headers: headers)
            #expect(reply.status == 200, "capped at 1,000")
            reply = try await server.send(.get, "/v1/asset/enumerate/contents?limit=0", headers: headers)
            #expect(reply.status == 400)
            #expect(reply["param"] == "limit")
            reply = try await server.send(.get, "/v1/asset/enumerate/contents?offset=-1", headers: headers)
            #expect(reply.status == 400)
            #expect(reply["param"] == "offset")
        }
    }

    /// PD calls see integer-id assets only: `/API` resources in the same namespace are neither
    /// listed nor changed by a bulk update.
    @Test func typedAssetsAreOutsidePD() async throws {
        try await withServer { server in
            let key = try server.key()
            try await server.putAsset(1, labels: ["shared"], key: key)
            var reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"shared2"}"#)
            let label = try #require(reply["content"]?["id"]?.stringValue)
            reply = try await server.send(
                .put, "/API/label/\(label)/add-resources", headers: ["APIKEY": key], json: #"{"resources":["77"]}"#)
            #expect(reply.status == 200)
            reply = try await server.send(
                .patch, "/v1/asset/labels", headers: ["X-API-Key": key], json: #"{"labels":["pd"]}"#)
            #expect(reply["asset_count"] == 1)
            #expect(try server.labels(of: .typed(type: "form", id: "77"), in: "acme/default") == ["shared2"])
            reply = try await server.send(.get, "/v1/asset/enumerate/contents", headers: ["X-API-Key": key])
            #expect(reply["total_results"] == 1)
        }
    }

    @Test func authenticationErrors() async throws {
        try await withServer { server in
            var reply = try await server.send(
                .post, "/v1/asset/1/labels", headers: ["X-API-Key": "wrong"], json: #"{"labels":["x"]}"#)
            #expect(reply.status == 401)
            #expect(reply["code"] == "UNAUTHORIZED")
            reply = try await server.send(.get, "/v1/asset/enumerate/contents")
            #expect(reply.status == 401)
            reply = try await server.send(.patch, "/v1/asset/labels", json: #"{"labels":["x"]}"#)
            #expect(reply.status == 401)
            // Header names are case-insensitive, as PDCP's docs spell it X-Api-Key.
            let key = try server.key()
            reply = try await server.send(.get, "/v1/asset/enumerate/contents", headers: ["x-api-key": key])
            #expect(reply.status == 200)
        }
    }
}
