import Foundation
import Synchronization

/// The 3-member etcd cluster the tests run against: the one `.ci/run` started
/// (`LABELINDEX_TEST_ETCD=DIR`, read from DIR/members.json), or else one this test process
/// starts with `scripts/etcd-test-cluster` on its own ports and stops when it exits.
struct EtcdTestCluster: Sendable {
    struct Member: Sendable, Decodable {
        var name: String
        var pid: Int32
        var clientURL: String
        var command: String
    }

    var directory: String
    var members: [Member]
    var endpoints: [String] { members.map(\.clientURL) }

    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    private static let started = Mutex<Result<EtcdTestCluster, TestClusterError>?>(nil)

    /// The shared cluster (started on first use).
    static func shared() throws -> EtcdTestCluster {
        try started.withLock { state in
            if let state { return try state.get() }
            let result = Result { () throws(TestClusterError) -> EtcdTestCluster in try start() }
            state = result
            return try result.get()
        }
    }

    private static func start() throws(TestClusterError) -> EtcdTestCluster {
        if let directory = ProcessInfo.processInfo.environment["LABELINDEX_TEST_ETCD"], !directory.isEmpty {
            return try load(directory)
        }
        let directory = NSTemporaryDirectory() + "lix-etcd-\(getpid())"
        // Ports of their own, so two test processes (or a running .ci cluster) never meet.
        let base = 30_000 + Int(getpid() % 1_500) * 20
        let status = runScript(["start", directory], environment: ["ETCD_TEST_PORT_BASE": String(base)])
        guard status == 0 else { throw TestClusterError(message: "scripts/etcd-test-cluster start failed (\(status))") }
        atexit {
            let directory = NSTemporaryDirectory() + "lix-etcd-\(getpid())"
            _ = EtcdTestCluster.runScript(["stop", directory], environment: [:])
        }
        return try load(directory)
    }

    private static func load(_ directory: String) throws(TestClusterError) -> EtcdTestCluster {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/members.json"))
            return EtcdTestCluster(directory: directory, members: try JSONDecoder().decode([Member].self, from: data))
        } catch {
            throw TestClusterError(message: "cannot read \(directory)/members.json: \(error)")
        }
    }

    @discardableResult
    static func runScript(_ arguments: [String], environment: [String: String]) -> Int32 {
        let process = Process()
        process.executableURL = repositoryRoot.appendingPathComponent("scripts/etcd-test-cluster")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        // waitpid rather than waitUntilExit: the latter spins a run loop, which can stall
        // while every cooperative thread waits for this fixture.
        var status: Int32 = 0
        while waitpid(process.processIdentifier, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }
}

struct TestClusterError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A key root no other test uses, so tests share the etcd cluster without meeting.
func uniqueKeyRoot(_ test: String = #function) -> String {
    let name = test.filter { $0.isLetter || $0.isNumber }
    return "/lix-test/\(name)-\(UUID().uuidString.prefix(8))/"
}
