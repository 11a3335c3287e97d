import ArgumentParser
import Foundation
import LabelCluster

/// How a replicated node (`serve --etcd`) names itself, where peers reach it, and how often it
/// takes snapshots and trims the log.
struct NodeOptions: ParsableArguments {
    @Option(
        name: .customLong("node-name"),
        help:
            "This node's name in the cluster, stable across restarts (default: the host name and a hash of --data-dir)."
    )
    var name: String?

    @Option(
        name: .customLong("advertise-url"),
        help: "The URL peers reach this node at, to fetch its snapshots (default: http://HOST:PORT as bound).")
    var advertiseURL: String?

    @Option(
        name: .customLong("snapshot-interval"),
        help: "Seconds between snapshots of the store, taken when something new was applied; 0 takes none.")
    var snapshotInterval: Double = 600

    @Option(name: .customLong("trim-interval"), help: "Seconds between trims of the log; 0 never trims.")
    var trimInterval: Double = 60

    @Option(
        name: .customLong("log-retain"),
        help: "Newest entries of each partition's log never trimmed (a node restarting within them replays).")
    var retainedEntries: UInt64 = 10_000

    func validate() throws {
        if let name {
            guard (1...64).contains(name.utf8.count),
                name.unicodeScalars.allSatisfy(Self.nameCharacters.contains)
            else { throw ValidationError("--node-name takes 1 to 64 of A-Z a-z 0-9 . _ -") }
        }
        if let advertiseURL {
            guard advertiseURL.hasPrefix("http://") || advertiseURL.hasPrefix("https://") else {
                throw ValidationError("--advertise-url takes a URL such as http://10.0.0.1:8080.")
            }
        }
        for (flag, seconds) in [("snapshot", snapshotInterval), ("trim", trimInterval)]
        where !(seconds >= 0 && seconds <= 86_400 * 7) {
            throw ValidationError("--\(flag)-interval must be 0 to 604800 seconds.")
        }
    }

    private static let nameCharacters = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-".unicodeScalars)

    /// The node's name: `--node-name`, else the host name and a hash of the data directory's
    /// absolute path (two nodes on one host differ; one node keeps its name across restarts).
    func nodeName(dataDirectory: String) -> String {
        if let name { return name }
        let path = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        var hash: UInt32 = 2_166_136_261
        for byte in path.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let host = ProcessInfo.processInfo.hostName.unicodeScalars.filter { Self.nameCharacters.contains($0) }
        return String(String.UnicodeScalarView(host.prefix(50))) + "-" + String(hash, radix: 16)
    }

    /// The URL peers use: `--advertise-url`, else the bound address (the host name when bound
    /// to every interface).
    func url(host: String, port: Int) -> String {
        if let advertiseURL { return advertiseURL.hasSuffix("/") ? String(advertiseURL.dropLast()) : advertiseURL }
        let reachable = ["0.0.0.0", "::", ""].contains(host) ? ProcessInfo.processInfo.hostName : host
        return "http://\(reachable.contains(":") ? "[\(reachable)]" : reachable):\(port)"
    }

    func maintenance(name: String) -> NodeMaintenance.Options {
        var options = NodeMaintenance.Options(name: name)
        options.snapshotInterval = snapshotInterval > 0 ? .milliseconds(Int64(snapshotInterval * 1000)) : nil
        options.trimInterval = trimInterval > 0 ? .milliseconds(Int64(trimInterval * 1000)) : nil
        options.retainedEntries = retainedEntries
        return options
    }
}
