import AsyncHTTPClient
import Crypto
import Foundation
import LabelCommands
import LabelIndex
import LabelServer
import Logging
import NIOCore

/// Catch-up from a peer's snapshot, before a node opens its store: a node with nothing applied
/// (new, or its data wiped) installs the best snapshot a live peer has (when there is one;
/// otherwise it replays the log), and a node behind the log's start in any partition (its
/// entries were trimmed) must install one and refuses to start without.
///
/// The snapshot is fetched over HTTP with the cluster's secret into
/// `<data-dir>/incoming-snapshot/`, its size and SHA-256 checked against what the peer says it
/// sent (the peer may have taken a newer snapshot since its registration named one), opened
/// to check it reaches every partition's log start, and only then moved into place.
public enum SnapshotInstaller {
    public enum Outcome: Sendable, Hashable {
        /// The local store follows the log as it is.
        case upToDate
        /// Nothing is applied and no peer has a snapshot: the node replays the log.
        case replaying
        /// A peer's snapshot replaced the local store.
        case installed(from: String, sequences: String)
    }

    /// Longest a snapshot download may take.
    static let downloadTimeout: TimeAmount = .minutes(30)

    public static func prepare(
        dataDirectory: String, log: EtcdReplicationLog, partitions: PartitionMap, nodeName: String,
        logger: Logger
    ) async throws -> Outcome {
        let applied = try localApplied(dataDirectory)
        var starts: [UInt32: UInt64] = [:]
        for partition in 0..<partitions.count { starts[partition] = try await log.start(partition: partition) }
        let behind = starts.filter { partition, start in (applied[partition] ?? 0) + 1 < start }
        guard !behind.isEmpty || applied.isEmpty else { return .upToDate }
        let peers = TrimPolicy.usable(try await log.liveNodes().filter { $0.name != nodeName }, starts: starts)
        var failures: [String] = []
        for peer in peers {
            guard peer.snapshot != nil else { continue }
            do {
                let secret = try await log.clusterSecret()
                let incoming = try await download(from: peer, secret: secret, covering: starts, into: dataDirectory)
                try install(incoming, into: dataDirectory)
                let sequences = try LabelStore(path: dataDirectory).appliedSequences()
                let header = SnapshotManifest(sequences: sequences, bytes: 0, sha256: "", created: 0).header
                logger.info("installed a snapshot", metadata: ["from": "\(peer.name)", "sequences": "\(header)"])
                return .installed(from: peer.name, sequences: header)
            } catch {
                logger.warning("cannot install the snapshot of \(peer.name)", metadata: ["error": "\(error)"])
                failures.append("\(peer.name): \(error)")
            }
        }
        guard behind.isEmpty else {
            let positions = behind.sorted { $0.key < $1.key }.map { partition, start in
                "partition \(partition) starts at \(start), this node applied \(applied[partition] ?? 0)"
            }
            throw SnapshotUnavailable(
                message:
                    "this node is behind the trimmed log (\(positions.joined(separator: "; "))) and no live node has a usable snapshot"
                    + (failures.isEmpty ? "" : " (\(failures.joined(separator: "; ")))")
                    + ": start a node that has applied the log, let it take a snapshot, then start this one again")
        }
        return .replaying
    }

    /// The applied sequences of the store in `directory` (none when there is no store).
    static func localApplied(_ directory: String) throws -> [UInt32: UInt64] {
        guard FileManager.default.fileExists(atPath: directory + "/data.mdb") else { return [:] }
        return try LabelStore(path: directory).appliedSequences()
    }

    /// Fetches `peer`'s newest snapshot into `<directory>/incoming-snapshot/data.mdb` and checks
    /// it: whole, and holding every partition up to its log's start (`starts`) at least.
    static func download(
        from peer: NodeRegistration, secret: String, covering starts: [UInt32: UInt64], into directory: String
    ) async throws -> String {
        let incoming = directory + "/incoming-snapshot"
        try? FileManager.default.removeItem(atPath: incoming)
        try FileManager.default.createDirectory(atPath: incoming, withIntermediateDirectories: true)
        let path = incoming + "/data.mdb"
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw SnapshotUnavailable(message: "cannot create \(path)")
        }
        var request = HTTPClientRequest(url: peer.url + "/v1/cluster/snapshot")
        request.headers.add(name: "Authorization", value: "Bearer \(secret)")
        let response = try await HTTPClient.shared.execute(request, timeout: downloadTimeout)
        guard response.status == .ok else {
            let body = try? await response.body.collect(upTo: 64 << 10)
            throw SnapshotUnavailable(
                message: "\(peer.url) answered \(response.status.code): \(body.map { String(buffer: $0) } ?? "")")
        }
        let announced = (
            bytes: response.headers.first(name: "Content-Length").flatMap { Int($0) },
            sha256: response.headers.first(name: SnapshotFile.sha256Header)
        )
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var hasher = SHA256()
        var bytes = 0
        do {
            for try await buffer in response.body {
                let chunk = Data(buffer.readableBytesView)
                hasher.update(data: chunk)
                try handle.write(contentsOf: chunk)
                bytes += chunk.count
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        let sha256 = SnapshotKeeper.hex(hasher.finalize())
        guard bytes == announced.bytes, sha256 == announced.sha256 else {
            throw SnapshotUnavailable(
                message:
                    "the snapshot of \(peer.name) arrived damaged (\(bytes) bytes, SHA-256 \(sha256); it sent \(announced.bytes.map(String.init) ?? "?") bytes, SHA-256 \(announced.sha256 ?? "?"))"
            )
        }
        // It opens, and a node that installs it can follow every partition's log from there.
        let holds = try LabelStore(path: incoming).appliedSequences()
        for (partition, start) in starts where (holds[partition] ?? 0) + 1 < start {
            throw SnapshotUnavailable(
                message:
                    "the snapshot of \(peer.name) holds partition \(partition) up to \(holds[partition] ?? 0), but its log starts at \(start)"
            )
        }
        return incoming
    }

    /// Replaces the store in `directory` by the checked snapshot in `incoming`.
    static func install(_ incoming: String, into directory: String) throws {
        let manager = FileManager.default
        for name in ["data.mdb", "lock.mdb"] { try? manager.removeItem(atPath: directory + "/" + name) }
        // The old store's snapshots describe data this node no longer has.
        try? manager.removeItem(atPath: directory + "/snapshots")
        try manager.moveItem(atPath: incoming + "/data.mdb", toPath: directory + "/data.mdb")
        try? manager.removeItem(atPath: incoming)
    }
}

/// No snapshot could be installed where one is needed.
public struct SnapshotUnavailable: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
