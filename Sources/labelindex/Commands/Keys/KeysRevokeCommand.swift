import ArgumentParser
import LabelCluster
import LabelCommandLine
import LabelCommands
import LabelServer

struct KeysRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an API key; requests using it fail from then on.",
        discussion: """
            In a cluster (`--etcd`), the revocation goes through the log: each node refuses \
            the key once it has applied it (within its replication lag).

            Example:
              labelindex keys revoke 0123456789abcdef
              labelindex keys revoke 0123456789abcdef --etcd http://127.0.0.1:2379
            """)

    @OptionGroup var store: StoreOptions

    @OptionGroup var cluster: ClusterOptions

    @Argument(help: "The key's id, as `keys list` shows it.")
    var id: String

    func run() async throws {
        if let (log, partitions) = try await cluster.openCluster() {
            guard let command = APIKeyStore.revocation(id: id) else {
                throw CommandFailure.badInput("no API key with id \(id)")
            }
            _ = try await LogSubmitter(log: log, partitions: partitions).append(
                CommandSubmission(commands: [command], namespace: nil))
        } else {
            guard try APIKeyStore(store: try store.openExisting()).revoke(id: id) else {
                throw CommandFailure.badInput("no API key with id \(id)")
            }
        }
        Console.output("revoked key \(id)")
    }
}
