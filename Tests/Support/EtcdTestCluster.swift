// LabelTestSupport: what several test targets share — the real etcd clusters the cluster tests
// run against (started with scripts/etcd-test-cluster, stopped when the test process exits).

import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// A 3-member etcd cluster on loopback: the shared one (`.ci/run` starts it and passes its
/// directory in `LABELINDEX_TEST_ETCD`; otherwise the first test to ask starts one) or a
/// dedicated one that a test may break (kill members, lose quorum) without disturbing others.
public struct EtcdTestCluster: Sendable {
    public struct Member: Sendable, Decodable {
        public var name: String
        public var pid: Int32
        public var clientURL: String
        public var command: String
    }

    public var directory: String
    public var members: [Member]
    public var endpoints: [String] { members.map(\.clientURL) }
    /// `--etcd` as the CLI takes it.
    public var endpointList: String { endpoints.joined(separator: ",") }

    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    private static let started = Mutex<Result<EtcdTestCluster, TestClusterError>?>(nil)
    private static let dedicatedCount = Mutex(0)

    /// The shared cluster (started on first use).
    public static func shared() throws -> EtcdTestCluster {
        try started.withLock { state in
            if let state { return try state.get() }
            let result = Result { () throws(TestClusterError) -> EtcdTestCluster in
                if let directory = ProcessInfo.processInfo.environment["LABELINDEX_TEST_ETCD"], !directory.isEmpty {
                    return try load(directory)
                }
                return try start(slot: 0)
            }
            state = result
            return try result.get()
        }
    }

    /// A cluster of its own, on ports no other test process or cluster uses; stopped and its
    /// data removed when the process exits (or stopped by `stop()`).
    public static func dedicated() throws -> EtcdTestCluster {
        let slot = dedicatedCount.withLock { count in
            count += 1
            return count
        }
        return try start(slot: slot)
    }

    private static func start(slot: Int) throws(TestClusterError) -> EtcdTestCluster {
        let directory = NSTemporaryDirectory() + "lix-etcd-\(getpid())-\(slot)"
        var status: Int32 = 0
        for attempt in 0..<4 {
            let base = portBase(slot: slot, attempt: attempt)
            status = runScript(["start", directory], environment: ["ETCD_TEST_PORT_BASE": String(base)])
            // 2: a port was taken by some other process; the next attempt moves.
            guard status == 2 else { break }
        }
        guard status == 0 else { throw TestClusterError(message: "scripts/etcd-test-cluster start failed (\(status))") }
        registerForExit(directory)
        return try load(directory)
    }

    /// Ports of their own (clients base+1…3, peers base+11…13), so two test processes or the
    /// .ci cluster (23791…23803) never meet; below Linux's ephemeral range (32768–60999), where
    /// any outgoing connection may hold a port.
    static func portBase(slot: Int, attempt: Int) -> Int {
        let base = 10_000 + Int(getpid() % 100) * 200 + (slot % 8) * 20 + attempt * 5_000
        let wrapped = 10_000 + (base - 10_000) % 22_000
        return (23_770...23_820).contains(wrapped + 13) || (23_770...23_820).contains(wrapped) ? wrapped + 60 : wrapped
    }

    private static let toStop = Mutex<[String]>([])

    private static func registerForExit(_ directory: String) {
        let first = toStop.withLock { directories in
            directories.append(directory)
            return directories.count == 1
        }
        if first {
            atexit {
                // The clusters this process started are its own: their data (a few hundred MB
                // of preallocated WAL each) goes with them.
                for directory in EtcdTestCluster.toStop.withLock({ $0 }) {
                    _ = EtcdTestCluster.runScript(["stop", directory], environment: [:])
                    try? FileManager.default.removeItem(atPath: directory)
                }
            }
        }
    }

    private static func load(_ directory: String) throws(TestClusterError) -> EtcdTestCluster {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/members.json"))
            return EtcdTestCluster(directory: directory, members: try JSONDecoder().decode([Member].self, from: data))
        } catch {
            throw TestClusterError(message: "cannot read \(directory)/members.json: \(error)")
        }
    }

    /// Stops every member.
    public func stop() { _ = Self.runScript(["stop", directory], environment: [:]) }

    /// Kills member `index` (SIGKILL) and waits until it is gone.
    public func kill(member index: Int) {
        let pid = members[index].pid
        Foundation.kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
        for _ in 0..<100 where Foundation.kill(pid, 0) == 0 { usleep(20_000) }
    }

    /// Starts member `index` again with its data (after `kill`); returns the cluster with its
    /// new PID.
    public func restart(member index: Int) throws -> EtcdTestCluster {
        let pidFile = directory + "/restart-\(index).pid"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "nohup " + members[index].command + " & echo $! > " + pidFile]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // waitpid, not waitUntilExit (see runScript).
        var status: Int32 = 0
        while waitpid(process.processIdentifier, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? ""
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestClusterError(message: "cannot restart \(members[index].name): \(text)")
        }
        // members.json names the new PID, so `stop()` (and the exit handler) stop it too.
        let file = URL(fileURLWithPath: directory + "/members.json")
        if var entries = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]] {
            entries[index]["pid"] = Int(pid)
            try JSONSerialization.data(withJSONObject: entries).write(to: file)
        }
        var cluster = self
        cluster.members[index].pid = pid
        return cluster
    }

    /// The index of the member that is the leader now, if one answers.
    public func leader() async -> Int? {
        for endpoint in endpoints {
            guard let status = try? await Self.post(endpoint + "/v3/maintenance/status", body: "{}"),
                let leader = status["leader"] as? String
            else { continue }
            for (index, member) in members.enumerated() {
                guard let answer = try? await Self.post(member.clientURL + "/v3/maintenance/status", body: "{}"),
                    let header = answer["header"] as? [String: Any], header["member_id"] as? String == leader
                else { continue }
                return index
            }
        }
        return nil
    }

    /// AsyncHTTPClient rather than URLSession, whose Linux implementation (libcurl under
    /// libdispatch sources) has crashed test processes intermittently.
    private static func post(_ url: String, body: String) async throws -> [String: Any]? {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(2))
        let data = try await response.body.collect(upTo: 1 << 20)
        return try JSONSerialization.jsonObject(with: Data(data.readableBytesView)) as? [String: Any]
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

public struct TestClusterError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// A key root no other test uses, so tests share an etcd cluster without meeting.
public func uniqueKeyRoot(_ test: String = #function) -> String {
    let name = test.filter { $0.isLetter || $0.isNumber }
    return "/lix-test/\(name)-\(UUID().uuidString.prefix(8))/"
}
