import ArgumentParser
import LabelCommandLine
import LabelServer

struct KeysRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an API key; requests using it fail from then on.",
        discussion: """
            Example:
              labelindex keys revoke 0123456789abcdef
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "The key's id, as `keys list` shows it.")
    var id: String

    func run() throws {
        let labelStore = try store.openExisting()
        guard try APIKeyStore(store: labelStore).revoke(id: id) else {
            throw CommandFailure.badInput("no API key with id \(id)")
        }
        Console.output("revoked key \(id)")
    }
}
