import Foundation
import Testing

/// `keys create|list|revoke`.
@Suite struct KeysCommandTests {
    @Test func createListRevoke() throws {
        let directory = try TemporaryDirectory()
        let data = directory.path("data")
        let created = try CLI.succeed(["keys", "create", "--data-dir", data, "--account", "acme", "--note", "CI"])
        let secret = created.stdout.trimmingCharacters(in: .newlines)
        #expect(secret.hasPrefix("lix_"))
        #expect(created.stderr.contains("for account acme (scopes: all)"))
        let scoped = try JSON.parse(
            try CLI.succeed([
                "keys", "create", "--data-dir", data, "--account", "acme", "--scope", "team/blue", "--json",
            ]).stdout)
        #expect(scoped["scopes"] == ["team/blue"])
        #expect(scoped["secret"]?.string?.hasPrefix("lix_") == true)

        let list = try JSON.parse(try CLI.succeed(["keys", "list", "--data-dir", data, "--json"]).stdout)
        #expect(list.array?.count == 2)
        #expect(list[0]?["note"] == "CI")
        #expect(list[0]?["secret"] == nil)
        let table = try CLI.succeed(["keys", "list", "--data-dir", data]).stdout
        #expect(!table.contains("lix_"), "keys list shows a secret")
        let id = try #require(list[0]?["id"]?.string)
        #expect(secret.contains(id))

        #expect(try CLI.succeed(["keys", "revoke", "--data-dir", data, id]).stdout == "revoked key \(id)\n")
        let again = try CLI.run(["keys", "revoke", "--data-dir", data, id])
        #expect(again.status == 2, "\(again)")
        #expect(again.stderr.contains("no API key with id"))
        #expect(
            try JSON.parse(try CLI.succeed(["keys", "list", "--data-dir", data, "--json"]).stdout).array?.count == 1)
    }

    @Test func invalidAccountOrScopeIsBadInput() throws {
        let directory = try TemporaryDirectory()
        let data = directory.path("data")
        let account = try CLI.run(["keys", "create", "--data-dir", data, "--account", "Not Valid"])
        #expect(account.status == 2, "\(account)")
        #expect(account.stderr.contains("invalid account"))
        let scope = try CLI.run(["keys", "create", "--data-dir", data, "--account", "acme", "--scope", "galaxy/x"])
        #expect(scope.status == 2, "\(scope)")
        #expect(scope.stderr.contains("invalid scope"))
    }
}
