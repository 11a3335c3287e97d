import HTTPTypes
import LabelIndex
import Testing

@testable import LabelServer

/// Hostile bodies on every write endpoint: invalid UTF-8, malformed and deeply nested JSON,
/// huge numbers, wrong types, broken forms. Always a 4xx with a message, never a 5xx, never a
/// partial write.
@Suite struct MalformedInputTests {
    static let badBodies: [(String, [UInt8], String?)] = [
        ("invalid UTF-8", Array(#"{"labels":["ok","#.utf8) + [0xFF, 0xFE] + Array(#""]}"#.utf8), "application/json"),
        ("overlong UTF-8", Array(#"{"name":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8), nil),
        ("truncated", Array(#"{"labels":["a""#.utf8), "application/json"),
        ("trailing garbage", Array(#"{"labels":[]} x"#.utf8), "application/json"),
        ("deep nesting", Array(String(repeating: "[", count: 100_000).utf8), "application/json"),
        (
            "huge integer", Array(#"{"labels":[123456789012345678901234567890],"assets":1e999999,"q":1e400}"#.utf8),
            "application/json"
        ),
        ("very long number", Array(("{\"x\":" + String(repeating: "9", count: 5_000) + "}").utf8), "application/json"),
        (
            "wrong types", Array(#"{"labels":{"a":1},"assets":"x","q":[],"resources":5,"name":[],"filters":[]}"#.utf8),
            "application/json"
        ),
        ("lone surrogate", Array(#"{"labels":["\ud800"],"name":"\ud800"}"#.utf8), "application/json"),
        ("control character", Array("{\"labels\":[\"a\u{01}\"],\"name\":\"a\u{01}\"}".utf8), "application/json"),
        ("NaN", Array(#"{"labels":[NaN],"name":NaN}"#.utf8), "application/json"),
        ("empty", [], "application/json"),
        ("bad form", Array("name=%E0%A4%A&color=%".utf8), "application/x-www-form-urlencoded"),
        ("bad form UTF-8", Array("name=%FF%FE".utf8), "application/x-www-form-urlencoded"),
        (
            "bad multipart", Array("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--".utf8),
            "multipart/form-data; boundary=b"
        ),
        ("ndjson garbage", Array("{\"id\":1}\n\u{FF}\n".utf8), "application/x-ndjson"),
    ]

    @Test func everyWriteEndpointRejectsBadBodies() async throws {
        try await withServer { server in
            let key = try server.key()
            try await server.putAsset(1, labels: ["keep"], key: key)
            var reply = try await server.send(.post, "/API/label", headers: ["APIKEY": key], json: #"{"name":"L"}"#)
            let label = try #require(reply["content"]?["id"]?.stringValue)
            reply = try await server.send(
                .put, "/labels", headers: ["actionhub-key": key, "program-id": "p"],
                json: #"{"labels":[{"label":"w","weight":1}]}"#)
            let before = try snapshot(server.store)
            let endpoints: [(HTTPRequest.Method, String)] = [
                (.post, "/v1/asset/1/labels"), (.patch, "/v1/asset/1/labels"), (.patch, "/v1/asset/labels"),
                (.post, "/API/label"),
                (.put, "/API/label/\(label)"), (.put, "/API/label/\(label)/add-resources"),
                (.put, "/API/label/\(label)/remove-resources"),
                (.put, "/labels"), (.post, "/assets"), (.post, "/v1/query"), (.put, "/v1/assets/1"),
                (.post, "/v1/assets"),
            ]
            let headers = ["X-API-Key": key, "APIKEY": key, "actionhub-key": key, "program-id": "p"]
            for (method, path) in endpoints {
                for (name, body, contentType) in Self.badBodies {
                    let reply = try await server.send(
                        method, path, headers: headers, body: body, contentType: contentType)
                    #expect(
                        (400..<500).contains(reply.status),
                        "\(method) \(path) \(name): \(reply.status) \(reply.text.prefix(200))")
                    #expect(reply.text.count > 10, "\(method) \(path) \(name): a message")
                }
            }
            #expect(try snapshot(server.store) == before)
        }
    }

    @Test func badQueryStrings() async throws {
        try await withServer { server in
            let key = try server.key()
            for path in [
                "/v1/query?q=%FF", "/v1/query?q=label:%ZZ", "/v1/asset/enumerate/contents?limit=-99999999999999999999",
                "/v1/asset/enumerate/contents?labels=%E0", "/API/user/labels?addResources=%", "/labels?page=1e3",
            ] {
                let reply = try await server.send(
                    .get, path, headers: ["X-API-Key": key, "APIKEY": key, "actionhub-key": key, "program-id": "p"])
                #expect((400..<500).contains(reply.status), "\(path): \(reply.status)")
            }
        }
    }

    private func snapshot(_ store: LabelStore) throws -> String {
        try store.read { snapshot in
            var lines: [String] = []
            for namespace in try snapshot.namespaces() {
                guard let reader = try snapshot.namespace(namespace) else { continue }
                lines += try reader.labels().map {
                    "\(namespace) \($0.name) \($0.color) \(String(describing: $0.weight)) \($0.assetCount)"
                }
                lines += try reader.assets(limit: 1_000).map {
                    "\(namespace) \($0.key) \($0.name) \($0.labels.map(\.name)) \($0.updatedAt)"
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
