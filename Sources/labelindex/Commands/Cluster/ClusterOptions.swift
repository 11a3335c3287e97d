import ArgumentParser
import LabelCluster
import LabelCommandLine

/// Where a cluster lives: its etcd members and its key root there.
struct ClusterOptions: ParsableArguments {
    @Option(
        name: .customLong("etcd"),
        help: ArgumentHelp(
            "etcd client URLs, comma-separated (http://10.0.0.1:2379,http://10.0.0.2:2379); cluster mode.",
            valueName: "urls"))
    var etcd: String?

    @Option(name: .customLong("cluster-prefix"), help: "The etcd key prefix of the cluster.")
    var prefix: String = "/lix/"

    func validate() throws {
        guard prefix.hasPrefix("/"), prefix.hasSuffix("/"), prefix.count > 1 else {
            throw ValidationError("--cluster-prefix must start and end with / (for example /lix/).")
        }
        if let etcd {
            guard !endpoints(etcd).isEmpty,
                endpoints(etcd).allSatisfy({ $0.hasPrefix("http://") || $0.hasPrefix("https://") })
            else {
                throw ValidationError("--etcd takes etcd client URLs such as http://127.0.0.1:2379, comma-separated.")
            }
        }
    }

    private func endpoints(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The cluster's log, or nil without `--etcd`.
    var log: EtcdReplicationLog? {
        etcd.map { EtcdReplicationLog(endpoints: endpoints($0), keyRoot: prefix) }
    }

    /// The log and partition map of an initialised cluster; a clear failure otherwise.
    func openCluster() async throws -> (log: EtcdReplicationLog, partitions: PartitionMap)? {
        guard let log else { return nil }
        let count: UInt32?
        do { count = try await log.partitionCount() } catch {
            throw CommandFailure.failure("cannot reach etcd at \(etcd ?? ""): \(error)")
        }
        guard let count else {
            throw CommandFailure.failure(
                "no cluster under \(prefix) in etcd: create it with `labelindex cluster init --etcd \(etcd ?? "") --partitions N`"
            )
        }
        return (log, PartitionMap(count: count))
    }
}
