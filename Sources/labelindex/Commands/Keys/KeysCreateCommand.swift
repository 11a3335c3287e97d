import ArgumentParser
import Foundation
import LabelCluster
import LabelCommandLine
import LabelCommands
import LabelServer

struct KeysCreateCommand: AsyncParsableCommand {
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
              labelindex keys create --account acme --etcd http://127.0.0.1:2379   (a cluster)
            """)

    @OptionGroup var store: StoreOptions

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "The account the key belongs to (a-z, 0-9, _ and -).")
    var account: String

    @Option(name: .customLong("scope"), help: "A scope to grant (repeatable); every scope when omitted.")
    var scopes: [String] = []

    @Option(help: "A note to recognise the key by in `keys list`.")
    var note: String?

    @Flag(help: "Print the key (secret included) as JSON.")
    var json = false

    func run() async throws {
        let created: CreatedAPIKey
        if let (log, partitions) = try await cluster.openCluster() {
            // Through the log, so every node has the key once it has applied the entry.
            let prepared = try APIKeyStore.creation(account: account, scopes: scopes.isEmpty ? nil : scopes, note: note)
            _ = try await LogSubmitter(log: log, partitions: partitions).append(
                CommandSubmission(commands: [prepared.command], namespace: nil))
            created = prepared.key
        } else {
            created = try APIKeyStore(store: try store.openForWriting()).create(
                account: account, scopes: scopes.isEmpty ? nil : scopes, note: note)
        }
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
