import LabelIndex
import Testing

@testable import LabelServer

/// The ActionHub conformance examples AH-1 … AH-10 of api-spec.md §4.3, replayed in order.
@Suite struct ActionHubConformanceTests {
    @Test func examplesInOrder() async throws {
        try await withServer { server in
            let key = try server.key()
            let auth = ["actionhub-key": key, "program-id": "prog-1"]

            // AH-1 upsert labels
            var reply = try await server.send(
                .put, "/labels", headers: auth,
                json: #"{"labels":[{"label":"running","weight":0.8},{"label":"trail","weight":0.3}]}"#)
            #expect(reply.status == 200)
            #expect(reply["result"]?.stringValue != nil)

            // AH-2 list, paged
            reply = try await server.send(.get, "/labels?page=1&size=50", headers: auth)
            #expect(reply.status == 200)
            #expect(
                try reply.json
                    == [
                        "items": [
                            ["label": "running", "weight": .double(0.8)], ["label": "trail", "weight": .double(0.3)],
                        ],
                        "total": 2, "page": 1, "size": 50,
                    ])

            // AH-3 upsert updates weight, leaves others
            reply = try await server.send(
                .put, "/labels", headers: auth, json: #"{"labels":[{"label":"running","weight":0.5}]}"#)
            #expect(reply.status == 200)
            reply = try await server.send(.get, "/labels?page=1&size=50", headers: auth)
            #expect(
                reply["items"] == [
                    ["label": "running", "weight": .double(0.5)], ["label": "trail", "weight": .double(0.3)],
                ])
            #expect(reply["total"] == 2)

            // AH-4 label too long (65 chars)
            let long = String(repeating: "x", count: 65)
            reply = try await server.send(
                .put, "/labels", headers: auth, json: #"{"labels":[{"label":"\#(long)","weight":1}]}"#)
            #expect(reply.status == 422)
            let tooLong = try #require(reply["detail"]?.arrayValue?.first)
            #expect(tooLong["loc"] == ["body", "labels", 0, "label"])
            #expect(tooLong["msg"]?.stringValue != nil)
            #expect(tooLong["type"]?.stringValue != nil)

            // AH-5 missing weight
            reply = try await server.send(.put, "/labels", headers: auth, json: #"{"labels":[{"label":"running"}]}"#)
            #expect(reply.status == 422)
            #expect(reply["detail"]?.arrayValue?.first?["loc"] == ["body", "labels", 0, "weight"])

            // AH-6 missing program-id
            reply = try await server.send(.get, "/labels", headers: ["actionhub-key": key])
            #expect(reply.status == 422)
            #expect(reply["detail"]?.arrayValue?.first?["loc"] == ["header", "program-id"])

            // AH-7 invalid key
            reply = try await server.send(.get, "/labels", headers: ["actionhub-key": "nope", "program-id": "prog-1"])
            #expect(reply.status == 403)
            #expect(try reply.json == ["detail": "Could not validate API KEY"])

            // AH-8 page size over the limit
            reply = try await server.send(.get, "/labels?size=101", headers: auth)
            #expect(reply.status == 422)
            #expect(reply["detail"]?.arrayValue?.first?["loc"] == ["query", "size"])

            // AH-9 asset upsert carrying labels
            reply = try await server.send(
                .post, "/assets", headers: auth,
                json: #"{"assets":[{"asset_id":"sku-1","asset_name":"Trail Shoe","labels":["running","trail"]}]}"#)
            #expect(reply.status == 200)
            #expect(reply["result"]?.stringValue != nil)
            reply = try await server.send(.get, "/assets?search=Trail", headers: auth)
            #expect(reply.status == 200)
            #expect(
                try reply.json
                    == [
                        "items": [["asset_id": "sku-1", "asset_name": "Trail Shoe", "labels": ["running", "trail"]]],
                        "total": 1,
                        "page": 1, "size": 50,
                    ])

            // AH-10 unknown user label weights
            reply = try await server.send(.get, "/users/nobody/labels", headers: auth)
            #expect(reply.status == 404)
            #expect(reply["detail"]?.stringValue != nil)
        }
    }
}
