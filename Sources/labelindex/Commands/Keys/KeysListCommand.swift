import ArgumentParser
import LabelCommandLine
import LabelServer

struct KeysListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List API keys (never their secrets), oldest first.",
        discussion: """
            Example:
              labelindex keys list --json
            """)

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let labelStore = try store.openExisting()
        let keys = try APIKeyStore(store: labelStore).list()
        if json {
            try JSONPrinting.print(keys.map(KeyOutput.init))
            return
        }
        var table = Table([.init("id"), .init("account"), .init("scopes"), .init("created"), .init("note")])
        for key in keys {
            table.append([
                key.id, key.account, key.scopes?.joined(separator: ",") ?? "all", Formatting.timestamp(key.createdAt),
                key.note ?? "",
            ])
        }
        Console.output(keys.isEmpty ? "no API keys" : table.rendered)
    }
}
