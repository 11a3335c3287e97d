import Foundation
import HTTPTypes
import Testing

@testable import LabelServer

/// `GET /v1/cluster/snapshot`: only cluster nodes serve one, only to a holder of the cluster's
/// secret, with the file's SHA-256 and sequences in headers.
@Suite struct SnapshotRouteTests {
    struct Source: SnapshotSource {
        var file: SnapshotFile?
        func authorizes(secret: String) async -> Bool { secret == "s3cret" }
        func newestSnapshot() -> SnapshotFile? { file }
    }

    @Test func aSingleNodeHasNone() async throws {
        try await withServer { server in
            let reply = try await server.send(.get, "/v1/cluster/snapshot", headers: ["Authorization": "Bearer x"])
            #expect(reply.status == 404)
            #expect(reply["error"] == "not_found")
        }
    }

    @Test func onlyTheClustersSecretFetchesTheNewestSnapshot() async throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "snapshot-\(UUID().uuidString)").path
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = ServerConfiguration.testing()
        configuration.snapshots = Source(
            file: SnapshotFile(path: path, bytes: bytes.count, sha256: "ab", sequences: "0:3,1:4"))
        try await withServer(configuration) { server in
            for headers in [[:], ["Authorization": "Bearer wrong"], ["Authorization": "Basic s3cret"]] {
                let refused = try await server.send(.get, "/v1/cluster/snapshot", headers: headers)
                #expect(refused.status == 401, "\(headers)")
                #expect(refused["error"] == "unauthorized")
            }
            let reply = try await server.send(.get, "/v1/cluster/snapshot", headers: ["Authorization": "Bearer s3cret"])
            #expect(reply.status == 200)
            #expect(reply.bytes == bytes)
            #expect(reply.headers[HTTPField.Name("X-Snapshot-SHA256")!] == "ab")
            #expect(reply.headers[HTTPField.Name("X-Snapshot-Sequences")!] == "0:3,1:4")
        }
        var empty = ServerConfiguration.testing()
        empty.snapshots = Source(file: nil)
        try await withServer(empty) { server in
            let reply = try await server.send(.get, "/v1/cluster/snapshot", headers: ["Authorization": "Bearer s3cret"])
            #expect(reply.status == 404)
        }
    }
}
