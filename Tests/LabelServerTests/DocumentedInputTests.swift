import HTTPTypes
import LabelIndex
import Testing

@testable import LabelServer

/// The server accepts what `/openapi.json` declares and refuses what it forbids: the cases a
/// schemathesis run against the document found (scripts/conformance runs it in CI).
@Suite struct DocumentedInputTests {
    @Test func theRootsResourceListingChecksItsParameters() async throws {
        try await withServer { server in
            let auth = ["APIKEY": try server.key()]
            for query in ["type=%C3%97%C3%B8", "offset=-1", "orderby=size", "limit=0"] {
                let reply = try await server.send(.get, "/API/label/0/resources?\(query)", headers: auth)
                #expect(reply.status == 400, "\(query): \(reply.text)")
            }
            let reply = try await server.send(.get, "/API/label/0/resources?offset=5&limit=7", headers: auth)
            #expect(reply.status == 200)
            #expect(reply["resultSet"] == ["offset": 5, "limit": 7, "count": 0])
        }
    }

    @Test func resourceTypesAndOrderAreWhatTheirPatternsSay() async throws {
        try await withServer { server in
            let key = try server.key()
            let auth = ["APIKEY": key]
            let label = try await server.createLabel(key, #"{"name":"L"}"#)
            // ASCII letters, digits, _ . - only: a letter outside ASCII is refused, not folded.
            for type in ["förm", "\u{212A}ind", "a b", ""] {
                let json = #"{"resources":[{"id":"1","type":\#(quoted(type))}]}"#
                let reply = try await server.send(.put, "/API/label/\(label)/add-resources", headers: auth, json: json)
                #expect(reply.status == 400, "\(type): \(reply.text)")
            }
            let ok = try await server.send(
                .put, "/API/label/\(label)/add-resources", headers: auth,
                json: #"{"resources":[{"id":"1","type":"Work-Flow_2.x"},{"id":5.0,"type":null}]}"#)
            #expect(ok.status == 200, "\(ok.text)")
            #expect(ok["content"] == [["id": "1", "type": "WORK-FLOW_2.X"], ["id": "5", "type": "FORM"]])
            // Commas separate exactly one field and one direction.
            for order in ["id,", ",id", "id,,desc", "id,desc,"] {
                let reply = try await server.send(.get, "/API/label/\(label)/resources?orderby=\(order)", headers: auth)
                #expect(reply.status == 400, "\(order)")
            }
            for order in ["id", "ID,Desc", "%20title%09,%20asc"] {
                let reply = try await server.send(.get, "/API/label/\(label)/resources?orderby=\(order)", headers: auth)
                #expect(reply.status == 200, "\(order): \(reply.text)")
            }
        }
    }

    @Test func formBodiesMayRepeatTheirResourcesField() async throws {
        try await withServer { server in
            let key = try server.key()
            let auth = ["APIKEY": key]
            let label = try await server.createLabel(key, #"{"name":"L"}"#)
            let form =
                "resources=11&resources=%7B%22id%22%3A%2212%22%2C%22type%22%3A%22sheet%22%7D&resources=%5B%2213%22%5D"
            let reply = try await server.send(
                .put, "/API/label/\(label)/add-resources", headers: auth, body: Array(form.utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(reply.status == 200, "\(reply.text)")
            #expect(
                reply["content"] == [
                    ["id": "11", "type": "FORM"], ["id": "12", "type": "SHEET"], ["id": "13", "type": "FORM"],
                ])
            // A form field that starts like JSON must be JSON; a JSON body's string must be JSON text.
            let broken = try await server.send(
                .put, "/API/label/\(label)/add-resources", headers: auth, body: Array("resources=%5Bx".utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(broken.status == 400)
            let bare = try await server.send(
                .put, "/API/label/\(label)/add-resources", headers: auth, json: #"{"resources":"AAA"}"#)
            #expect(bare.status == 400, "\(bare.text)")
        }
    }

    @Test func parentsAreDecimalIdsAndEveryZeroIsTheRoot() async throws {
        try await withServer { server in
            let key = try server.key()
            let auth = ["APIKEY": key]
            let top = try await server.createLabel(key, #"{"name":"top"}"#)
            let child = try await server.createLabel(key, #"{"name":"child","parent":\#(top).0}"#)
            var reply = try await server.send(.get, "/API/label/\(child)", headers: auth)
            #expect(reply["content"]?["parent_label_id"]?.stringValue == top)
            reply = try await server.send(.put, "/API/label/\(child)", headers: auth, json: #"{"parent":"00"}"#)
            #expect(reply["content"]?["parent_label_id"] == "0", "\(reply.text)")
            // Both names are checked; `parent` is the one used.
            reply = try await server.send(
                .put, "/API/label/\(child)", headers: auth, json: #"{"parent":"\#(top)","parent_label_id":"x"}"#)
            #expect(reply.status == 400)
            reply = try await server.send(
                .put, "/API/label/\(child)", headers: auth, json: #"{"parent":"\#(top)","parent_label_id":"0"}"#)
            #expect(reply["content"]?["parent_label_id"]?.stringValue == top, "\(reply.text)")
            // A null member is absent, so it changes nothing.
            reply = try await server.send(.put, "/API/label/\(child)", headers: auth, json: #"{"color":null}"#)
            #expect(reply.status == 400)
            #expect(reply["message"]?.stringValue?.contains("changes nothing") == true)
            reply = try await server.send(.put, "/API/label/\(child)", headers: auth, json: #"{"color":""}"#)
            #expect(reply.status == 200, "an empty color is back to a palette color: \(reply.text)")
        }
    }

    @Test func integralNumbersAreIntegers() async throws {
        try await withServer { server in
            let key = try server.key()
            let auth = ["X-API-Key": key]
            try await server.putAsset(1, labels: ["a"], key: key)
            for days in ["5.0", "5e0", "500E-2"] {
                let reply = try await server.send(
                    .patch, "/v1/asset/labels", headers: auth,
                    json: #"{"filters":{"not_seen_for_days":\#(days)},"labels":["b"]}"#)
                #expect(reply.status == 200, "\(days): \(reply.text)")
            }
            let fractional = try await server.send(
                .patch, "/v1/asset/labels", headers: auth,
                json: #"{"filters":{"not_seen_for_days":5.5},"labels":["b"]}"#)
            #expect(fractional.status == 400)
            #expect(fractional.text.contains("fractional"))
        }
    }

    @Test func headerIdsThatAreNotUTF8AreRefused() async throws {
        try await withServer { server in
            let key = try server.key()
            for (name, extra) in [("X-Team-Id", ["X-API-Key": key]), ("program-id", ["actionhub-key": key])] {
                var fields = HTTPFields()
                for (header, value) in extra { fields[HTTPField.Name(header)!] = value }
                // A client that sends ë as Latin-1, one byte 0xEB.
                fields.append(HTTPField(name: HTTPField.Name(name)!, lenientValue: [0xEB]))
                let path = name == "program-id" ? "/labels" : "/v1/asset/enumerate/contents"
                let response = try await server.client.execute(uri: path, method: .get, headers: fields, body: nil)
                #expect(response.status.code == (name == "program-id" ? 422 : 400), "\(name)")
            }
            // The same id in UTF-8 is an id.
            let reply = try await server.send(.get, "/labels", headers: ["actionhub-key": key, "program-id": "ë"])
            #expect(reply.status == 200, "\(reply.text)")
        }
    }

    @Test func labelFiltersRefuseNamesNoLabelCanHave() async throws {
        try await withServer { server in
            let auth = ["X-API-Key": try server.key()]
            let reply = try await server.send(.get, "/v1/asset/enumerate/contents?labels=a,%C2%84", headers: auth)
            #expect(reply.status == 400, "\(reply.text)")
            #expect(reply["param"] == "labels")
            let fine = try await server.send(.get, "/v1/asset/enumerate/contents?labels=a,,b", headers: auth)
            #expect(fine.status == 200)
        }
    }

    @Test func snapshotsAskForTheCredentialFirst() async throws {
        try await withServer { server in
            let reply = try await server.send(.get, "/v1/cluster/snapshot")
            #expect(reply.status == 401, "\(reply.text)")
        }
    }
}
