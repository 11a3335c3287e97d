import Crypto
import Foundation
import LabelCommands
import LabelIndex
import LabelServer
import Synchronization

/// A node's own snapshots, in `<data-dir>/snapshots/<created-ms>/`: `data.mdb`, a compacted
/// copy of the store (`mdb_env_copy2` with `MDB_CP_COMPACT`), and `manifest.json`, written last,
/// so a directory without one is an unfinished copy. The newest two are kept; the newest is
/// what `GET /v1/cluster/snapshot` serves to peers that hold the cluster's secret.
public final class SnapshotKeeper: SnapshotSource {
    public let directory: String
    let store: LabelStore
    private let secret = Mutex<String?>(nil)
    private let newest = Mutex<(file: SnapshotFile, manifest: SnapshotManifest)?>(nil)

    /// Snapshots kept on disk (the newest serves peers; the one before finishes serving a peer
    /// that started fetching it).
    static let kept = 2

    init(store: LabelStore) {
        self.store = store
        directory = store.path + "/snapshots"
        newest.withLock { $0 = Self.completed(in: directory).last }
    }

    /// The manifest of the newest snapshot, nil before the first.
    var manifest: SnapshotManifest? { newest.withLock { $0?.manifest } }

    func setSecret(_ value: String) { secret.withLock { $0 = value } }

    public func authorizes(secret candidate: String) async -> Bool {
        guard let expected = secret.withLock({ $0 }) else { return false }
        // Compared in constant time: the secret guards every tenant's data.
        let lhs = Array(candidate.utf8)
        let rhs = Array(expected.utf8)
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    public func newestSnapshot() -> SnapshotFile? { newest.withLock { $0?.file } }

    /// Copies the store now (blocking: a large store takes seconds) and makes the copy the
    /// newest snapshot. `applied` is read before the copy, so the copy holds at least that.
    @discardableResult
    func make(now milliseconds: Int64) throws -> SnapshotManifest {
        let applied = try store.appliedSequences()
        let target = directory + "/\(milliseconds)"
        try? FileManager.default.removeItem(atPath: target)
        try store.backup(to: target)
        let data = target + "/data.mdb"
        let (bytes, sha256) = try Self.digest(ofFile: data)
        let manifest = SnapshotManifest(sequences: applied, bytes: bytes, sha256: sha256, created: milliseconds)
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: target + "/manifest.json"), options: .atomic)
        let file = SnapshotFile(path: data, bytes: bytes, sha256: sha256, sequences: manifest.header)
        newest.withLock { $0 = (file, manifest) }
        for (old, _) in Self.completed(in: directory).dropLast(Self.kept) {
            try? FileManager.default.removeItem(atPath: (old.path as NSString).deletingLastPathComponent)
        }
        return manifest
    }

    /// Completed snapshots under `directory`, oldest first.
    private static func completed(in directory: String) -> [(file: SnapshotFile, manifest: SnapshotManifest)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> (SnapshotFile, SnapshotManifest)? in
            let folder = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: folder + "/manifest.json"),
                let manifest = try? JSONDecoder().decode(SnapshotManifest.self, from: data)
            else {
                // An unfinished copy (the node stopped while copying).
                if Int64(name) != nil { try? FileManager.default.removeItem(atPath: folder) }
                return nil
            }
            let file = SnapshotFile(
                path: folder + "/data.mdb", bytes: manifest.bytes, sha256: manifest.sha256, sequences: manifest.header)
            return (file, manifest)
        }.sorted { $0.1.created < $1.1.created }
    }

    /// The size and lower-case hex SHA-256 of the file at `path`.
    static func digest(ofFile path: String) throws -> (bytes: Int, sha256: String) {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += chunk.count
        }
        return (bytes, hex(hasher.finalize()))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
