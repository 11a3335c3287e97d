import Foundation
import LabelIndex
import LabelTestSupport
import Testing

@testable import LabelServer

/// API keys: creation, listing, revocation, hashing, scopes, and `--no-auth` mode.
@Suite struct AuthTests {
    @Test func createListRevoke() async throws {
        try await withServer { server in
            let keys = APIKeyStore(store: server.store)
            let created = try keys.create(account: "acme", scopes: ["team/blue", "default", "team/blue"], note: "CI")
            #expect(created.secret.hasPrefix("lix_\(created.id)_"))
            #expect(created.scopes == ["team/blue", "default"])
            #expect(created.account == "acme")
            let all = try keys.create(account: "acme", scopes: nil, note: nil)
            let listed = try keys.list()
            #expect(listed.map(\.id).sorted() == [created.id, all.id].sorted())
            #expect(listed.first { $0.id == created.id }?.note == "CI")
            #expect(listed.first { $0.id == all.id }?.scopes == nil)

            var reply = try await server.send(.get, "/v1/query?q=*", headers: ["X-API-Key": created.secret])
            #expect(reply.status == 200)
            #expect(try keys.revoke(id: created.id))
            #expect(try !keys.revoke(id: created.id))
            #expect(try !keys.revoke(id: "not-an-id"))
            reply = try await server.send(.get, "/v1/query?q=*", headers: ["X-API-Key": created.secret])
            #expect(reply.status == 401)
            #expect(try keys.list().map(\.id) == [all.id])
        }
    }

    /// Only a SHA-256 of a key is stored; a key with the right id but another secret fails.
    @Test func keysAreStoredAsHashes() async throws {
        try await withServer { server in
            let created = try APIKeyStore(store: server.store).create(account: "acme", scopes: nil, note: nil)
            let stored = try await server.store.read {
                try $0.applicationEntries(withPrefix: Array("labelserver/apikey/".utf8))
            }
            #expect(stored.count == 1)
            let text = String(decoding: stored[0].value, as: UTF8.self)
            let secretPart = String(created.secret.split(separator: "_").last!)
            #expect(!text.contains(secretPart))
            #expect(text.contains("sha256"))
            var forged = Array(created.secret)
            forged[forged.count - 1] = forged.last == "A" ? "B" : "A"
            let reply = try await server.send(.get, "/v1/query?q=*", headers: ["X-API-Key": String(forged)])
            #expect(reply.status == 401)
            #expect(!APIKeyToken.digestMatches(presented: String(forged), storedHex: String(repeating: "0", count: 64)))
            for malformed in [
                "", "lix_", "lix_zzzzzzzzzzzzzzzz_\(secretPart)", created.secret + "x", "Bearer " + created.secret,
            ] {
                #expect(APIKeyToken.id(ofPresentedKey: malformed) == nil || malformed == created.secret)
            }
        }
    }

    @Test func invalidKeyRequests() throws {
        let temporary = try TemporaryStore()
        let keys = APIKeyStore(store: temporary.store)
        #expect(throws: APIKeyStoreError.invalidAccount("Acme")) {
            try keys.create(account: "Acme", scopes: nil, note: nil)
        }
        #expect(throws: APIKeyStoreError.invalidAccount("a/b")) {
            try keys.create(account: "a/b", scopes: nil, note: nil)
        }
        #expect(throws: APIKeyStoreError.invalidAccount("")) { try keys.create(account: "", scopes: nil, note: nil) }
        #expect(throws: APIKeyStoreError.invalidAccount("-x")) {
            try keys.create(account: "-x", scopes: nil, note: nil)
        }
        #expect(throws: APIKeyStoreError.emptyScopeList) { try keys.create(account: "a", scopes: [], note: nil) }
        #expect(throws: APIKeyStoreError.self) { try keys.create(account: "a", scopes: ["teams/x"], note: nil) }
        #expect(throws: APIKeyStoreError.self) { try keys.create(account: "a", scopes: ["team/"], note: nil) }
        #expect(throws: APIKeyStoreError.self) { try keys.create(account: "a", scopes: ["program/a/b"], note: nil) }
        #expect(throws: APIKeyStoreError.noteTooLong(limit: 200)) {
            try keys.create(account: "a", scopes: nil, note: String(repeating: "n", count: 201))
        }
        #expect(try keys.list().isEmpty)
        #expect(try keys.create(account: "a_b-9", scopes: ["program/p.1"], note: nil).account == "a_b-9")
    }

    /// A key with an explicit scope list reaches those scopes of its account only.
    @Test func scopedKeys() async throws {
        try await withServer { server in
            let key = try server.key(scopes: ["team/blue"])
            var reply = try await server.send(.get, "/v1/asset/enumerate/contents", headers: ["X-API-Key": key])
            #expect(reply.status == 403)
            #expect(reply["code"] == "FORBIDDEN")
            reply = try await server.send(
                .get, "/v1/asset/enumerate/contents", headers: ["X-API-Key": key, "X-Team-Id": "blue"])
            #expect(reply.status == 200)
            reply = try await server.send(.get, "/API/user/labels", headers: ["APIKEY": key])
            #expect(reply.status == 401)
            reply = try await server.send(.get, "/labels", headers: ["actionhub-key": key, "program-id": "blue"])
            #expect(reply.status == 403)
            reply = try await server.send(.get, "/v1/query?q=*", headers: ["X-API-Key": key])
            #expect(reply.status == 403)
            #expect(reply["error"] == "forbidden")
            reply = try await server.send(
                .get, "/v1/query?q=*", headers: ["X-API-Key": key, "X-Namespace": "team/blue"])
            #expect(reply.status == 200)
        }
    }

    /// `--no-auth`: no key needed, every request is account `dev` with every scope, and every
    /// response says so.
    @Test func developmentMode() async throws {
        try await withServer(.testing(authentication: .disabled)) { server in
            try await server.putAsset(1, labels: ["a"], key: "")
            var reply = try await server.send(.post, "/v1/asset/1/labels", json: #"{"labels":["b"]}"#)
            #expect(reply.status == 200)
            #expect(reply.header("X-LabelIndex-Auth") == "disabled")
            #expect(try server.labels(of: .id(1), in: "dev/default") == ["a", "b"])
            reply = try await server.send(.get, "/labels", headers: ["program-id": "p"])
            #expect(reply.status == 200)
            reply = try await server.send(.get, "/API/user/labels")
            #expect(reply.status == 200)
            reply = try await server.send(.get, "/healthz")
            #expect(reply.header("X-LabelIndex-Auth") == "disabled")
        }
        try await withServer { server in
            let reply = try await server.send(.get, "/healthz")
            #expect(reply.header("X-LabelIndex-Auth") == nil)
        }
    }
}
