import ArgumentParser
import Foundation
import LabelCommandLine
import LabelServer

struct KeysCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API key and print its secret (shown only once).",
        discussion: """
            The secret is the only line on standard output, so it can be captured: \
            KEY=$(labelindex keys create --account acme). The key's id and grants go to \
            standard error. Scopes are `default`, `team/ID` or `program/ID`.

            Examples:
              labelindex keys create --account acme
              labelindex keys create --account acme --scope team/blue --note 'blue team CI'
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "The account the key belongs to (a-z, 0-9, _ and -).")
    var account: String

    @Option(name: .customLong("scope"), help: "A scope to grant (repeatable); every scope when omitted.")
    var scopes: [String] = []

    @Option(help: "A note to recognise the key by in `keys list`.")
    var note: String?

    @Flag(help: "Print the key (secret included) as JSON.")
    var json = false

    func run() throws {
        let labelStore = try store.openForWriting()
        let created = try APIKeyStore(store: labelStore).create(
            account: account, scopes: scopes.isEmpty ? nil : scopes, note: note)
        if json {
            try JSONPrinting.print(KeyOutput(created))
            return
        }
        Console.error(
            "created key \(created.id) for account \(created.account) "
                + "(scopes: \(created.scopes?.joined(separator: ", ") ?? "all")); the secret is shown only this once:")
        Console.output(created.secret)
    }
}

/// A key as `--json` prints it; `secret` only right after creation.
struct KeyOutput: Encodable {
    var id: String
    var account: String
    var scopes: [String]?
    var note: String?
    var createdAt: Date
    var secret: String?

    init(_ key: CreatedAPIKey) {
        id = key.id
        account = key.account
        scopes = key.scopes
        note = key.note
        createdAt = key.createdAt
        secret = key.secret
    }

    init(_ key: APIKeyInfo) {
        id = key.id
        account = key.account
        scopes = key.scopes
        note = key.note
        createdAt = key.createdAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, account, scopes, note, secret
        case createdAt = "created_at"
    }
}
