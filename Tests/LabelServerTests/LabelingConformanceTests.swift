import LabelIndex
import Testing

@testable import LabelServer

/// The Labeling API conformance examples SP-1 … SP-12 of api-spec.md §4.2, replayed in order.
@Suite struct LabelingConformanceTests {
    @Test func examplesInOrder() async throws {
        try await withServer { server in
            let key = try server.key()
            let auth = ["APIKEY": key]

            // SP-1 create top-level label (form-encoded)
            var reply = try await server.send(
                .post, "/API/label", headers: auth, body: Array("name=IT+Operations&color=%23FFDC7B".utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(reply.status == 200)
            #expect(reply["responseCode"] == 200)
            #expect(reply["message"] == "success")
            let lid = try #require(reply["content"]?["id"]?.stringValue)
            #expect(reply["content"]?["name"] == "IT Operations")
            #expect(reply["content"]?["color"] == "#FFDC7B")

            // SP-2 create child label
            reply = try await server.send(
                .post, "/API/label", headers: auth, body: Array("name=Helpdesk&parent=\(lid)".utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(reply.status == 200)
            let cid = try #require(reply["content"]?["id"]?.stringValue)
            #expect(reply["content"]?["name"] == "Helpdesk")
            #expect(reply["content"]?["parent_label_id"]?.stringValue == lid)

            // SP-3 list as tree (query-param auth)
            reply = try await server.send(.get, "/API/user/labels?apiKey=\(key)")
            #expect(reply.status == 200)
            let root = try #require(reply["content"])
            #expect(root["id"]?.stringValue != nil)
            let top = try #require(root["sublabels"]?.arrayValue)
            #expect(top.count == 1)
            #expect(top[0]["id"]?.stringValue == lid)
            #expect(top[0]["name"] == "IT Operations")
            let children = try #require(top[0]["sublabels"]?.arrayValue)
            #expect(children.count == 1)
            #expect(children[0]["id"]?.stringValue == cid)
            #expect(children[0]["name"] == "Helpdesk")
            #expect(children[0]["sublabels"] == [])

            // SP-4 get one
            reply = try await server.send(.get, "/API/label/\(lid)", headers: auth)
            #expect(reply.status == 200)
            #expect(reply["content"]?["id"]?.stringValue == lid)
            #expect(reply["content"]?["name"] == "IT Operations")
            #expect(reply["content"]?["color"] == "#FFDC7B")

            // SP-5 update (JSON)
            reply = try await server.send(
                .put, "/API/label/\(lid)", headers: auth, json: ##"{"name":"Workplace Operations","color":"#23FFDD"}"##)
            #expect(reply.status == 200)
            #expect(reply["content"]?["name"] == "Workplace Operations")
            #expect(reply["content"]?["color"] == "#23FFDD")

            // SP-6 link a form
            let form = #"{"resources":[{"id":"251464995493876","type":"form"}]}"#
            reply = try await server.send(.put, "/API/label/\(cid)/add-resources", headers: auth, json: form)
            #expect(reply.status == 200)
            #expect(reply["content"] == [["id": "251464995493876", "type": "FORM"]])

            // SP-7 idempotent re-link
            reply = try await server.send(.put, "/API/label/\(cid)/add-resources", headers: auth, json: form)
            #expect(reply.status == 200)

            // SP-8 list label content
            reply = try await server.send(.get, "/API/label/\(cid)/resources?offset=0&limit=20", headers: auth)
            #expect(reply.status == 200)
            let resources = try #require(reply["content"]?.arrayValue)
            #expect(resources.count == 1)
            #expect(resources[0]["id"] == "251464995493876")
            #expect(resources[0]["assetType"] == "form")
            #expect(resources[0]["title"]?.stringValue != nil)
            #expect(resources[0]["status"] == "ENABLED")

            // SP-9 unlink (asset survives)
            reply = try await server.send(.put, "/API/label/\(cid)/remove-resources", headers: auth, json: form)
            #expect(reply.status == 200)
            #expect(reply["content"] == [["id": "251464995493876", "type": "FORM"]])
            reply = try await server.send(.get, "/API/label/\(cid)/resources", headers: auth)
            #expect(reply["content"] == [])
            let formKey = AssetKey.typed(type: "form", id: "251464995493876")
            #expect(try await server.store.read { try $0.namespace("acme/default")?.contains(formKey) } == true)

            // SP-10 cascade delete
            reply = try await server.send(.delete, "/API/label/\(lid)", headers: auth)
            #expect(reply.status == 200)
            #expect(try reply.json == ["responseCode": 200, "message": "success", "content": true])
            reply = try await server.send(.get, "/API/label/\(cid)", headers: auth)
            #expect(reply.status == 404)
            #expect(reply["responseCode"] == 404)
            #expect(reply["content"] == "")
            reply = try await server.send(.get, "/API/user/labels", headers: auth)
            #expect(reply["content"]?["sublabels"] == [])

            // SP-11 bad key
            reply = try await server.send(.get, "/API/user/labels", headers: ["APIKEY": "lix_0000000000000000_bad"])
            #expect(reply.status == 401)
            #expect(
                try reply.json == [
                    "responseCode": 401, "message": "You're not authorized to use (/user-labels) ", "content": "",
                ])

            // SP-12 wrong-case base path
            reply = try await server.send(.get, "/api/user/labels", headers: auth)
            #expect(reply.status == 404)
        }
    }
}
