import ArgumentParser

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke the server's API keys.",
        discussion: """
            Keys are stored in the store itself (only their SHA-256), so these commands work \
            while the server runs, and a revoked key fails on its next request. A key belongs \
            to an account; its namespaces are ACCOUNT/default, ACCOUNT/team/ID and \
            ACCOUNT/program/ID. Without --scope a key grants every scope of its account.

            Examples:
              labelindex keys create --account acme --note 'CI'
              labelindex keys create --account acme --scope team/blue --scope program/p1
              labelindex keys list
              labelindex keys revoke 0123456789abcdef
            """,
        subcommands: [KeysCreateCommand.self, KeysListCommand.self, KeysRevokeCommand.self])
}
