import Foundation
import HTTPTypes
import LabelFormats
import LabelIndex
import Testing

@testable import LabelServer

/// J1–J8 beyond the conformance examples: every documented error and every "Choose" of
/// api-spec.md §3 for the Labeling API (items 16–27).
@Suite struct LabelingAPITests {
    struct ErrorCase {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        var headers: [String: String]
        var status: Int

        init(_ method: HTTPRequest.Method, _ path: String, _ body: String?, _ headers: [String: String], _ status: Int)
        {
            (self.method, self.path, self.body, self.headers, self.status) = (method, path, body, headers, status)
        }
    }

    /// Choices 16 and 17: `{id, type}` objects and bare strings (forms); types in any case,
    /// stored lower case, echoed upper case; numeric ids accepted.
    @Test func resourceShapesAndTypeCase() async throws {
        try await withServer { server in
            let key = try server.key()
            let label = try await server.createLabel(key, #"{"name":"L"}"#)
            let reply = try await server.send(
                .put, "/API/label/\(label)/add-resources", headers: ["APIKEY": key],
                json:
                    #"{"resources":[{"id":"1","type":"FORM"},"2",{"id":3,"type":"Workflow"},{"id":"1","type":"form"}]}"#
            )
            #expect(reply.status == 200)
            #expect(
                reply["content"] == [
                    ["id": "1", "type": "FORM"], ["id": "2", "type": "FORM"], ["id": "3", "type": "WORKFLOW"],
                ])
            #expect(try server.labels(of: .typed(type: "form", id: "1"), in: "acme/default") == ["L"])
            #expect(try server.labels(of: .typed(type: "form", id: "2"), in: "acme/default") == ["L"])
            #expect(try server.labels(of: .typed(type: "workflow", id: "3"), in: "acme/default") == ["L"])
            let listed = try await server.send(.get, "/API/label/\(label)/resources", headers: ["APIKEY": key])
            #expect(listed["content"]?.arrayValue?.map { $0["assetType"] } == ["form", "form", "workflow"])
            #expect(listed["resultSet"] == ["offset": 0, "limit": 20, "count": 3])
            for bad in [
                #"{"resources":[{"type":"form"}]}"#, #"{"resources":[{"id":"1","type":"a b"}]}"#, #"{"resources":"x"}"#,
                #"{"resources":[true]}"#, #"{}"#,
            ] {
                let reply = try await server.send(
                    .put, "/API/label/\(label)/add-resources", headers: ["APIKEY": key], json: bad)
                #expect(reply.status == 400, "\(bad)")
                #expect(reply["responseCode"] == 400)
                #expect(reply["content"] == "")
            }
        }
    }

    /// Choice 18: `parent` and `parent_label_id` both work on create; `parent_label_id` is
    /// always written (the root's id for top-level labels).
    @Test func parentFieldNames() async throws {
        try await withServer { server in
            let key = try server.key()
            let top = try await server.createLabel(key, #"{"name":"top"}"#)
            var reply = try await server.send(.get, "/API/label/\(top)", headers: ["APIKEY": key])
            #expect(reply["content"]?["parent_label_id"] == "0")
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"a","parent_label_id":"\#(top)"}"#)
            #expect(reply["content"]?["parent_label_id"]?.stringValue == top)
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"b","parent":\#(top)}"#)
            #expect(reply["content"]?["parent_label_id"]?.stringValue == top)
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"c","parent":"999"}"#)
            #expect(reply.status == 404)
            #expect(reply["message"]?.stringValue?.contains("names no label (999)") == true)
        }
    }

    /// Choice 19: re-parenting through PUT, to the root with "0", and cycles rejected with 400.
    @Test func reparenting() async throws {
        try await withServer { server in
            let key = try server.key()
            let a = try await server.createLabel(key, #"{"name":"a"}"#)
            let b = try await server.createLabel(key, #"{"name":"b","parent":"\#(a)"}"#)
            let c = try await server.createLabel(key, #"{"name":"c"}"#)
            var reply = try await server.send(
                .put, "/API/label/\(c)", headers: ["APIKEY": key], json: #"{"parent":"\#(b)"}"#)
            #expect(reply.status == 200)
            #expect(reply["content"]?["parent_label_id"]?.stringValue == b)
            reply = try await server.send(
                .put, "/API/label/\(a)", headers: ["APIKEY": key], json: #"{"parent_label_id":"\#(c)"}"#)
            #expect(reply.status == 400)
            #expect(reply["responseCode"] == 400)
            #expect(reply["message"]?.stringValue?.contains("cycle") == true)
            // A missing parent is a 404 that names it, a parent that is no id a 400; a missing
            // label (with a missing parent) the plain 404.
            reply = try await server.send(.put, "/API/label/\(c)", headers: ["APIKEY": key], json: #"{"parent":"999"}"#)
            #expect(reply.status == 404)
            #expect(reply["message"]?.stringValue?.contains("names no label (999)") == true)
            reply = try await server.send(
                .put, "/API/label/\(c)", headers: ["APIKEY": key], json: #"{"parent":"99999999999"}"#)
            #expect(reply.status == 404)
            reply = try await server.send(.put, "/API/label/\(c)", headers: ["APIKEY": key], json: #"{"parent":"-1"}"#)
            #expect(reply.status == 400)
            #expect(reply["message"]?.stringValue?.contains("decimal digits") == true)
            reply = try await server.send(.put, "/API/label/998", headers: ["APIKEY": key], json: #"{"parent":"999"}"#)
            #expect(reply.status == 404)
            reply = try await server.send(.put, "/API/label/\(c)", headers: ["APIKEY": key], json: #"{"parent":"0"}"#)
            #expect(reply["content"]?["parent_label_id"] == "0")
            let tree = try await server.send(.get, "/API/user/labels", headers: ["APIKEY": key])
            #expect(tree["content"]?["sublabels"]?.arrayValue?.map { $0["name"] } == ["a", "c"])
        }
    }

    /// Choices 20 and 21: deleting a label deletes its sub-labels and unlinks their resources,
    /// which survive; a label's listing has its direct links only.
    @Test func cascadeAndDirectLinks() async throws {
        try await withServer { server in
            let key = try server.key()
            let parent = try await server.createLabel(key, #"{"name":"parent"}"#)
            let child = try await server.createLabel(key, #"{"name":"child","parent":"\#(parent)"}"#)
            var reply = try await server.send(
                .put, "/API/label/\(child)/add-resources", headers: ["APIKEY": key], json: #"{"resources":["10"]}"#)
            #expect(reply.status == 200)
            reply = try await server.send(.get, "/API/label/\(parent)/resources", headers: ["APIKEY": key])
            #expect(reply["content"] == [])
            reply = try await server.send(.delete, "/API/label/\(parent)", headers: ["APIKEY": key])
            #expect(reply["content"] == true)
            reply = try await server.send(.get, "/API/label/\(child)/resources", headers: ["APIKEY": key])
            #expect(reply.status == 404)
            #expect(try server.labels(of: .typed(type: "form", id: "10"), in: "acme/default") == [])
            reply = try await server.send(.delete, "/API/label/\(parent)", headers: ["APIKEY": key])
            #expect(reply.status == 404)
        }
    }

    /// Choice 22: the HTTP status equals `responseCode`; errors have `content: ""`.
    @Test func errorStatuses() async throws {
        try await withServer { server in
            let key = try server.key()
            let cases: [ErrorCase] = [
                ErrorCase(.get, "/API/label/12345", nil, ["APIKEY": key], 404),
                ErrorCase(.get, "/API/label/not-a-number", nil, ["APIKEY": key], 404),
                ErrorCase(.put, "/API/label/77", #"{"name":"x"}"#, ["APIKEY": key], 404),
                ErrorCase(.put, "/API/label/77/add-resources", #"{"resources":["1"]}"#, ["APIKEY": key], 404),
                ErrorCase(.get, "/API/label/77/resources", nil, ["APIKEY": key], 404),
                ErrorCase(.post, "/API/label", ##"{"color":"#FFFFFF"}"##, ["APIKEY": key], 400),
                ErrorCase(.post, "/API/label", #"{"name":""}"#, ["APIKEY": key], 400),
                ErrorCase(.post, "/API/label", #"{"name":"x","color":"red"}"#, ["APIKEY": key], 400),
                ErrorCase(.post, "/API/label", "{\"name\":", ["APIKEY": key], 400),
                ErrorCase(.post, "/API/label", #"{"name":"x"}"#, [:], 401),
                ErrorCase(.delete, "/API/label/1", nil, ["APIKEY": "lix_nope"], 401),
            ]
            for item in cases {
                let reply = try await server.send(item.method, item.path, headers: item.headers, json: item.body)
                #expect(reply.status == item.status, "\(item.method) \(item.path)")
                #expect(reply["responseCode"]?.int == item.status)
                #expect(reply["content"] == "")
                #expect(reply["message"]?.stringValue?.isEmpty == false)
            }
            let reply = try await server.send(.put, "/API/label/5/remove-resources", json: #"{"resources":[]}"#)
            #expect(reply["message"] == "You're not authorized to use (/label-id-remove-resources) ")
        }
    }

    /// Choice 23: the tree's root is synthetic, with a stable id and the labels as sublabels;
    /// `addResources=true` includes each label's resources.
    @Test func syntheticRoot() async throws {
        try await withServer { server in
            let key = try server.key()
            var reply = try await server.send(.get, "/API/user/labels", headers: ["APIKEY": key])
            #expect(
                try reply.json == [
                    "responseCode": 200, "message": "success", "content": ["id": "0", "name": "root", "sublabels": []],
                ])
            let label = try await server.createLabel(key, #"{"name":"L"}"#)
            _ = try await server.send(
                .put, "/API/label/\(label)/add-resources", headers: ["APIKEY": key], json: #"{"resources":["5"]}"#)
            reply = try await server.send(.get, "/API/user/labels?addResources=true", headers: ["APIKEY": key])
            #expect(reply["content"]?["id"] == "0")
            #expect(reply["content"]?["sublabels"]?.arrayValue?.first?["resources"] == [["id": "5", "type": "FORM"]])
        }
    }

    /// Choice 24: names are unique among siblings, so a duplicate beside its twin is a 409;
    /// colors must be #RRGGBB and default from the palette; names are capped at 255 UTF-8 bytes.
    @Test func namesAndColors() async throws {
        try await withServer { server in
            let key = try server.key()
            let first = try await server.createLabel(key, #"{"name":"Dup"}"#)
            var reply = try await server.send(.post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"Dup"}"#)
            #expect(reply.status == 409)
            #expect(reply["responseCode"] == 409)
            let other = try await server.createLabel(key, #"{"name":"dup"}"#)
            reply = try await server.send(
                .put, "/API/label/\(other)", headers: ["APIKEY": key], json: #"{"name":"Dup"}"#)
            #expect(reply.status == 409)
            reply = try await server.send(.get, "/API/label/\(first)", headers: ["APIKEY": key])
            let color = try #require(reply["content"]?["color"]?.stringValue)
            #expect(LabelColor(hex: color) != nil)
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key], json: ##"{"name":"c","color":"#abcdef"}"##)
            #expect(reply["content"]?["color"] == "#ABCDEF")
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key],
                json: #"{"name":"\#(String(repeating: "n", count: 256))"}"#)
            #expect(reply.status == 400)
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key],
                json: #"{"name":"\#(String(repeating: "n", count: 255))"}"#)
            #expect(reply.status == 200)
        }
    }

    /// Jotform trees repeat names under different parents (`2024/Q1`, `2025/Q1`): create,
    /// rename, move, list, query and delete them through `/API`, with conflicts only among
    /// siblings, and the query language naming each by its path.
    @Test func repeatedNamesUnderDifferentParents() async throws {
        try await withServer { server in
            let key = try server.key()
            let y2024 = try await server.createLabel(key, #"{"name":"2024"}"#)
            let y2025 = try await server.createLabel(key, #"{"name":"2025"}"#)
            let q1of2024 = try await server.createLabel(key, #"{"name":"Q1","parent":"\#(y2024)"}"#)
            let q1of2025 = try await server.createLabel(key, #"{"name":"Q1","parent":"\#(y2025)"}"#)
            var reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"Q1","parent":"\#(y2025)"}"#)
            #expect(reply.status == 409)
            #expect(reply["message"]?.stringValue?.contains("2025/Q1") == true)
            // A script that re-creates what it made gets the same 409, not a second label.
            let q2of2025 = try await server.createLabel(key, #"{"name":"Q2","parent":"\#(y2025)"}"#)
            reply = try await server.send(
                .put, "/API/label/\(q2of2025)", headers: ["APIKEY": key], json: #"{"name":"Q1"}"#)
            #expect(reply.status == 409)
            for (label, resource) in [(q1of2024, "10"), (q1of2025, "20")] {
                reply = try await server.send(
                    .put, "/API/label/\(label)/add-resources", headers: ["APIKEY": key],
                    json: #"{"resources":["\#(resource)"]}"#)
                #expect(reply.status == 200)
            }
            var tree = try await server.send(.get, "/API/user/labels", headers: ["APIKEY": key])
            let years = try #require(tree["content"]?["sublabels"]?.arrayValue)
            #expect(years.map { $0["name"] } == ["2024", "2025"])
            #expect(years.map { $0["sublabels"]?.arrayValue?.map { $0["name"] } } == [["Q1"], ["Q1", "Q2"]])
            reply = try await server.send(.get, "/API/label/\(q1of2025)", headers: ["APIKEY": key])
            #expect(reply["content"]?["name"] == "Q1")
            #expect(try server.labels(of: .typed(type: "form", id: "20"), in: "acme/default") == ["2025/Q1"])

            // The query language names a label below the root by its path.
            func ids(_ query: String) async throws -> [JSONValue]? {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let reply = try await server.send(.get, "/v1/query?q=\(encoded)", headers: ["X-API-Key": key])
                #expect(reply.status == 200, "\(query): \(reply.text)")
                return reply["assets"]?.arrayValue?.map { $0["id"] ?? .null }
            }
            #expect(try await ids("label:2025/Q1") == ["form:20"])
            #expect(try await ids("label:2024/Q1") == ["form:10"])
            #expect(try await ids("under:2025") == ["form:20"])
            // A bare name that two labels below the root share names neither: the error lists paths.
            let ambiguous = try await server.send(.get, "/v1/query?q=label:Q1", headers: ["X-API-Key": key])
            #expect(ambiguous.status == 400)
            #expect(ambiguous["message"]?.stringValue?.contains(#"label:"2024/Q1", label:"2025/Q1""#) == true)

            // Renames and moves carry the subtree's paths along.
            reply = try await server.send(
                .put, "/API/label/\(y2025)", headers: ["APIKEY": key], json: #"{"name":"FY25"}"#)
            #expect(reply.status == 200)
            #expect(try await ids("label:FY25/Q1") == ["form:20"])
            reply = try await server.send(
                .put, "/API/label/\(q1of2024)", headers: ["APIKEY": key], json: #"{"parent":"\#(y2025)"}"#)
            #expect(reply.status == 409)
            reply = try await server.send(
                .put, "/API/label/\(q1of2024)", headers: ["APIKEY": key], json: #"{"parent":"0"}"#)
            #expect(reply.status == 200)
            #expect(try await ids("label:Q1") == ["form:10"])

            // Deleting a year deletes its quarters only; the names are free again.
            reply = try await server.send(.delete, "/API/label/\(y2025)", headers: ["APIKEY": key])
            #expect(reply["content"] == true)
            reply = try await server.send(.get, "/API/label/\(q1of2024)", headers: ["APIKEY": key])
            #expect(reply.status == 200)
            let again = try await server.createLabel(key, #"{"name":"2025"}"#)
            _ = try await server.createLabel(key, #"{"name":"Q1","parent":"\#(again)"}"#)
            tree = try await server.send(.get, "/API/user/labels", headers: ["APIKEY": key])
            #expect(tree["content"]?["sublabels"]?.arrayValue?.map { $0["name"] } == ["2024", "Q1", "2025"])

            // A path has a limit of its own (480 bytes), beside each name's 255.
            let long = String(repeating: "n", count: 200)
            let top = try await server.createLabel(key, #"{"name":"\#(long)"}"#)
            let middle = try await server.createLabel(key, #"{"name":"\#(long)","parent":"\#(top)"}"#)
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"\#(long)","parent":"\#(middle)"}"#)
            #expect(reply.status == 400)
            #expect(reply["message"]?.stringValue?.contains("the limit is 480") == true)
        }
    }

    /// Choice 25: urlencoded, multipart and JSON on every write.
    @Test func everyBodyEncoding() async throws {
        try await withServer { server in
            let key = try server.key()
            let boundary = "XyZ"
            func multipart(_ fields: [(String, String)]) -> [UInt8] {
                var text = ""
                for (name, value) in fields {
                    text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                }
                return Array((text + "--\(boundary)--\r\n").utf8)
            }
            let multipartType = "multipart/form-data; boundary=\(boundary)"
            var reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key],
                body: multipart([("name", "multi"), ("color", "#010203")]), contentType: multipartType)
            #expect(reply.status == 200)
            let id = try #require(reply["content"]?["id"]?.stringValue)
            #expect(reply["content"]?["color"] == "#010203")
            reply = try await server.send(
                .put, "/API/label/\(id)", headers: ["APIKEY": key], body: Array("name=renamed".utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(reply["content"]?["name"] == "renamed")
            reply = try await server.send(
                .put, "/API/label/\(id)", headers: ["APIKEY": key], body: multipart([("color", "#0A0B0C")]),
                contentType: multipartType)
            #expect(reply["content"]?["color"] == "#0A0B0C")
            reply = try await server.send(
                .put, "/API/label/\(id)/add-resources", headers: ["APIKEY": key],
                body: Array("resources%5B0%5D%5Bid%5D=9&resources%5B0%5D%5Btype%5D=sheet".utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(reply["content"] == [["id": "9", "type": "SHEET"]])
            reply = try await server.send(
                .put, "/API/label/\(id)/add-resources", headers: ["APIKEY": key],
                body: multipart([("resources", #"[{"id":"8","type":"portal"}]"#)]), contentType: multipartType)
            #expect(reply["content"] == [["id": "8", "type": "PORTAL"]])
            reply = try await server.send(
                .put, "/API/label/\(id)/remove-resources", headers: ["APIKEY": key],
                body: Array("resources=%5B%7B%22id%22%3A%229%22%2C%22type%22%3A%22sheet%22%7D%5D".utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(reply["content"] == [["id": "9", "type": "SHEET"]])
            #expect(try server.labels(of: .typed(type: "sheet", id: "9"), in: "acme/default") == [])
            #expect(try server.labels(of: .typed(type: "portal", id: "8"), in: "acme/default") == ["renamed"])
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key], body: Array("name=x".utf8), contentType: "text/plain")
            #expect(reply.status == 415)
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key], body: Array("name=%ZZ".utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(reply.status == 400)
            reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": key], body: Array("--nope\r\n".utf8),
                contentType: multipartType)
            #expect(reply.status == 400)
        }
    }

    /// Choices 26 and 27: `/API/v1` is an alias; `/api` does not route. Auth by header in any
    /// case (`apiKey`) or by query parameter.
    @Test func pathsAndAuthentication() async throws {
        try await withServer { server in
            let key = try server.key()
            let id = try await server.createLabel(key, #"{"name":"v"}"#)
            var reply = try await server.send(.get, "/API/v1/label/\(id)", headers: ["apiKey": key])
            #expect(reply.status == 200)
            #expect(reply["content"]?["name"] == "v")
            reply = try await server.send(.get, "/API/v1/user/labels?apiKey=\(key)")
            #expect(reply.status == 200)
            for path in ["/api/label/\(id)", "/api/v1/user/labels", "/Api/user/labels", "/API/V1/user/labels"] {
                reply = try await server.send(.get, path, headers: ["APIKEY": key])
                #expect(reply.status == 404, "\(path)")
            }
        }
    }

    /// J8 paging, ordering and status.
    @Test func resourceListingOptions() async throws {
        try await withServer { server in
            let key = try server.key()
            let id = try await server.createLabel(key, #"{"name":"r"}"#)
            _ = try await server.send(
                .put, "/API/label/\(id)/add-resources", headers: ["APIKEY": key], json: #"{"resources":["3","1","2"]}"#)
            var reply = try await server.send(
                .get, "/API/label/\(id)/resources?offset=1&limit=1", headers: ["APIKEY": key])
            #expect(reply["content"]?.arrayValue?.map { $0["id"] } == ["1"])
            #expect(reply["resultSet"] == ["offset": 1, "limit": 1, "count": 3])
            reply = try await server.send(.get, "/API/label/\(id)/resources?orderby=id,desc", headers: ["APIKEY": key])
            #expect(
                reply["content"]?.arrayValue?.map { $0["id"] }
                    == ["form:3", "form:2", "form:1"].map { JSONValue.string(String($0.dropFirst(5))) })
            reply = try await server.send(.get, "/API/label/\(id)/resources?status=DELETED", headers: ["APIKEY": key])
            #expect(reply["content"] == [])
            reply = try await server.send(.get, "/API/label/\(id)/resources?orderby=color", headers: ["APIKEY": key])
            #expect(reply.status == 400)
            reply = try await server.send(.get, "/API/label/\(id)/resources?offset=99", headers: ["APIKEY": key])
            #expect(reply["content"] == [])
            reply = try await server.send(.get, "/API/label/\(id)/resources?limit=0", headers: ["APIKEY": key])
            #expect(reply.status == 400)
        }
    }
}
