import HTTPTypes
import LabelIndex
import Testing

@testable import LabelServer

/// Every registered route, called with another account's key and with a key of the same
/// account that lacks the scope, using the victim's ids: nothing of the victim's data is
/// returned and nothing of it changes.
@Suite struct TenancyIsolationTests {
    /// What each route is sent: a query suffix and a body that would change data if the call
    /// reached the victim's namespace.
    static let calls: [String: (query: String, body: String?)] = [
        "POST /v1/asset/{asset_id}/labels": ("", #"{"labels":["pwned"]}"#),
        "PATCH /v1/asset/{asset_id}/labels": ("?update_type=replace", #"{"labels":["pwned"]}"#),
        "DELETE /v1/asset/{asset_id}/labels": ("", nil),
        "PATCH /v1/asset/labels": ("?update_type=replace", #"{"filters":{},"labels":["pwned"]}"#),
        "GET /v1/asset/enumerate/{enumerate_id}/contents": ("", nil),
        "GET /v1/asset/enumerate/contents": ("?search=victim", nil),
        "GET /API/user/labels": ("?addResources=true", nil),
        "POST /API/label": ("", #"{"name":"pwned","parent":"1"}"#),
        "GET /API/label/{id}": ("", nil),
        "PUT /API/label/{id}": ("", ##"{"name":"pwned","color":"#000000"}"##),
        "DELETE /API/label/{id}": ("", nil),
        "PUT /API/label/{id}/add-resources": ("", #"{"resources":[{"id":"vform","type":"form"}]}"#),
        "PUT /API/label/{id}/remove-resources": ("", #"{"resources":[{"id":"vform","type":"form"}]}"#),
        "GET /API/label/{id}/resources": ("", nil),
        "PUT /labels": ("", #"{"labels":[{"label":"victim-ah-label","weight":-1}]}"#),
        "GET /labels": ("?search=victim", nil),
        "POST /assets": ("", #"{"assets":[{"asset_id":"vsku","asset_name":"pwned","labels":["pwned"]}]}"#),
        "GET /assets": ("", nil),
        "GET /users/{user_id}/labels": ("", nil),
        "GET /v1/query": ("?q=*&facets=victim-label-secret", nil),
        "POST /v1/query": ("", #"{"q":"label:victim-label-secret","explain":true}"#),
        "PUT /v1/assets/{asset_id}": ("", #"{"name":"pwned","labels":[]}"#),
        "GET /v1/assets/{asset_id}": ("", nil),
        "DELETE /v1/assets/{asset_id}": ("", nil),
        "POST /v1/assets": ("", #"[{"id":1001,"name":"pwned","labels":[]}]"#),
        "GET /v1/stats": ("", nil),
        "GET /v1/jobs/{job_id}": ("", nil),
        "GET /v1/cluster/snapshot": ("", nil),
        "GET /v1/changes": ("?since=0&follow=false", nil),
        "GET /healthz": ("", nil),
        "GET /metrics": ("", nil),
        "GET /openapi.json": ("", nil),
    ]

    @Test func nothingCrossesAccountsOrScopes() async throws {
        try await withServer(.testing(asyncJobThreshold: 0)) { server in
            let victim = try server.key("victim")
            // The victim's data in all three kinds of scope.
            for namespace in [nil, "team/t", "program/p"] {
                try await server.putAsset(
                    1001, name: "victim-asset-secret", labels: ["victim-label-secret"], enumeration: "venum",
                    key: victim,
                    namespace: namespace)
            }
            var reply = try await server.send(
                .post, "/API/label", headers: ["APIKEY": victim], json: #"{"name":"victim-api-label"}"#)
            let labelID = try #require(reply["content"]?["id"]?.stringValue)
            reply = try await server.send(
                .put, "/API/label/\(labelID)/add-resources", headers: ["APIKEY": victim],
                json: #"{"resources":[{"id":"vform","type":"form"}]}"#)
            #expect(reply.status == 200)
            reply = try await server.send(
                .put, "/labels", headers: ["actionhub-key": victim, "program-id": "p"],
                json: #"{"labels":[{"label":"victim-ah-label","weight":2}]}"#)
            reply = try await server.send(
                .post, "/assets", headers: ["actionhub-key": victim, "program-id": "p"],
                json: #"{"assets":[{"asset_id":"vsku","asset_name":"victim-sku","labels":["victim-ah-label"]}]}"#)
            reply = try await server.send(
                .patch, "/v1/asset/labels", headers: ["X-API-Key": victim, "X-Team-Id": "t"],
                json: #"{"labels":["victim-bulk"]}"#)
            let jobID = try #require(reply["job_id"]?.stringValue)
            await server.runtime.jobs.waitForAll()
            let before = try dump(server.store, account: "victim")
            #expect(before.contains("victim-bulk"))

            let attackers = [
                ("another account", try server.key("attacker")),
                ("same account, other scope", try server.key("victim", scopes: ["program/elsewhere"])),
            ]
            var tried = Set<String>()
            for (who, key) in attackers {
                for route in server.routes {
                    // `/API/v1/...` is an alias of `/API/...` and is sent the same.
                    let canonical = route.replacingOccurrences(of: " /API/v1/", with: " /API/")
                    let call = try #require(Self.calls[canonical], "no isolation call for \(route): add one")
                    tried.insert(canonical)
                    let parts = route.split(separator: " ", maxSplits: 1)
                    let path = String(parts[1])
                        .replacingOccurrences(of: "{asset_id}", with: "1001").replacingOccurrences(
                            of: "{enumerate_id}", with: "venum"
                        )
                        .replacingOccurrences(of: "{id}", with: labelID).replacingOccurrences(
                            of: "{user_id}", with: "u"
                        )
                        .replacingOccurrences(of: "{job_id}", with: jobID)
                    let headers = [
                        "X-API-Key": key, "APIKEY": key, "actionhub-key": key, "X-Team-Id": "t", "program-id": "p",
                        "X-Namespace": "team/t",
                    ]
                    let method: HTTPRequest.Method =
                        switch parts[0] {
                        case "GET": .get
                        case "POST": .post
                        case "PUT": .put
                        case "PATCH": .patch
                        default: .delete
                        }
                    let reply = try await server.send(method, path + call.query, headers: headers, json: call.body)
                    #expect(reply.status < 500, "\(who): \(route) → \(reply.status)")
                    // Names the attacker sent may be echoed back (a query's text, a facet's name);
                    // nothing else of the victim's may appear.
                    var text = reply.text
                    for echoed in Self.victimNames(in: path + call.query + (call.body ?? "")) {
                        text = text.replacingOccurrences(of: echoed, with: "")
                    }
                    #expect(!text.contains("victim"), "\(who): \(route) leaked: \(reply.text.prefix(300))")
                    for facet in reply["facets"]?.arrayValue ?? [] { #expect(facet["count"] == 0) }
                    if who == "same account, other scope",
                        !["/healthz", "/metrics", "/openapi.json", "/v1/stats"].contains(path)
                    {
                        #expect(
                            [401, 403, 404].contains(reply.status),
                            "\(who): \(route) → \(reply.status) \(reply.text.prefix(200))")
                    }
                }
            }
            await server.runtime.jobs.waitForAll()
            #expect(tried == Set(Self.calls.keys), "every route was tried")
            #expect(try dump(server.store, account: "victim") == before, "the victim's data is unchanged")
            // The other account's writes landed in its own namespaces.
            #expect(try await server.store.read { try $0.namespaces().map(\.name) }.contains("attacker/team/t"))
        }
    }

    private static func victimNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "victim") {
            let tail = rest[start.lowerBound...]
            let end = tail.firstIndex { !($0.isLetter || $0 == "-") } ?? tail.endIndex
            names.append(String(tail[..<end]))
            rest = tail[end...]
        }
        return names.sorted { $0.count > $1.count }
    }

    /// Everything stored for `account`: labels and assets of its namespaces, and its jobs.
    private func dump(_ store: LabelStore, account: String) throws -> String {
        try store.read { snapshot in
            var lines: [String] = []
            for namespace in try snapshot.namespaces() where namespace.name.hasPrefix("\(account)/") {
                guard let reader = try snapshot.namespace(namespace) else { continue }
                for label in try reader.labels() {
                    lines.append(
                        "\(namespace) label \(label.id) \(label.name) \(label.color) \(String(describing: label.parent)) \(String(describing: label.weight)) \(label.assetCount) \(label.updatedAt)"
                    )
                }
                for asset in try reader.assets(limit: 10_000) {
                    lines.append(
                        "\(namespace) asset \(asset.key) \(asset.name) \(asset.labels.map(\.name)) \(asset.updatedAt) \(asset.metadata ?? [])"
                    )
                }
            }
            for entry in try snapshot.applicationEntries(withPrefix: BulkJob.storagePrefix) {
                let job = try BulkJob.decode(entry.value)
                if job.account == account { lines.append("job \(job)") }
            }
            return lines.joined(separator: "\n")
        }
    }
}
