import ArgumentParser
import Foundation
import LabelCluster
import LabelCommandLine

struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Create a cluster in etcd and show its logs.",
        discussion: """
            A cluster is a set of `labelindex serve --etcd URLS` nodes that share one ordered log \
            per partition in etcd: every node applies every partition, so any node answers any \
            read and a dead node is neither an outage nor lost data.
            """,
        subcommands: [ClusterInitCommand.self, ClusterStatusCommand.self])
}

struct ClusterInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the cluster: fix its partition count (once; it never changes).",
        discussion: """
            Namespaces map to partitions by FNV-1a of their name modulo the count, so the count \
            bounds how many tailers each node runs and how many writers can append at once.

            Examples:
              labelindex cluster init --etcd http://127.0.0.1:2379 --partitions 8
            """)

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Partitions (1...\(PartitionMap.maximumCount)).")
    var partitions: UInt32 = 8

    func validate() throws {
        guard cluster.etcd != nil else { throw ValidationError("--etcd is required.") }
        guard (1...PartitionMap.maximumCount).contains(partitions) else {
            throw ValidationError("--partitions must be in 1...\(PartitionMap.maximumCount).")
        }
    }

    func run() async throws {
        guard let log = cluster.log else { return }
        let created: Bool
        do {
            created = try await log.initialize(
                partitions: partitions, createdAt: Int64(Date().timeIntervalSince1970 * 1000))
        } catch { throw CommandFailure.failure("cannot reach etcd: \(error)") }
        let count = try await log.partitionCount() ?? partitions
        if created {
            Console.output("created the cluster under \(cluster.prefix) with \(count) partitions")
        } else if count == partitions {
            Console.output("the cluster under \(cluster.prefix) already exists with \(count) partitions")
        } else {
            throw CommandFailure.badInput(
                "the cluster under \(cluster.prefix) already exists with \(count) partitions; the count never changes")
        }
    }
}

struct ClusterStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each partition's log (first and last sequence) and the live nodes (lag, snapshot).",
        discussion: """
            Examples:
              labelindex cluster status --etcd http://127.0.0.1:2379
              labelindex cluster status --etcd http://127.0.0.1:2379 --json
            """)

    @OptionGroup var cluster: ClusterOptions

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard cluster.etcd != nil else { throw ValidationError("--etcd is required.") }
    }

    struct Partition: Encodable {
        var partition: UInt32
        var start: UInt64
        var head: UInt64
    }

    struct Status: Encodable {
        var partitions: [Partition]
        var nodes: [NodeRegistration]
    }

    func run() async throws {
        guard let (log, partitions) = try await cluster.openCluster() else { return }
        var status = Status(partitions: [], nodes: [])
        do {
            for partition in 0..<partitions.count {
                status.partitions.append(
                    Partition(
                        partition: partition, start: try await log.start(partition: partition),
                        head: try await log.head(partition: partition)))
            }
            status.nodes = try await log.liveNodes()
        } catch { throw CommandFailure.failure("cannot reach etcd: \(error)") }
        if json {
            try JSONPrinting.print(status)
            return
        }
        var table = Table([.init("partition", .right), .init("first", .right), .init("last", .right)])
        for row in status.partitions { table.append(["\(row.partition)", "\(row.start)", "\(row.head)"]) }
        Console.output(table.rendered)
        var nodes = Table([.init("node"), .init("url"), .init("behind", .right), .init("snapshot")])
        for node in status.nodes {
            let behind = status.partitions.reduce(UInt64(0)) { total, row in
                total + (row.head - min(row.head, node.applied(row.partition)))
            }
            let snapshot = node.snapshot.map { "\($0.bytes) bytes at \($0.header)" } ?? "none"
            nodes.append([node.name, node.url, "\(behind)", snapshot])
        }
        Console.output("\n" + (status.nodes.isEmpty ? "no live nodes" : nodes.rendered))
    }
}
