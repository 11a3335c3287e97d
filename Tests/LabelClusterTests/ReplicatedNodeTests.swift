import Foundation
import LabelCommands
import LabelIndex
import LabelInterchange
import LabelServer
import LabelTestSupport
import Logging
import Testing

@testable import LabelCluster

/// Nodes over their own stores, replicating through a real etcd cluster: what one node
/// acknowledges, it has applied; every node converges to the same data (the same export, the
/// same label ids and ordinals); a stopped node catches up from the log when it starts again,
/// and so does an empty one.
@Suite("Replicated nodes over etcd")
struct ReplicatedNodeTests {
    let etcd: EtcdTestCluster
    let keys: ClusterKeys

    init() throws {
        etcd = try EtcdTestCluster.shared()
        keys = ClusterKeys(root: uniqueKeyRoot())
    }

    func makeLog() -> EtcdReplicationLog {
        EtcdReplicationLog(client: EtcdClient(endpoints: etcd.endpoints), keys: keys)
    }

    func makeNode(_ store: TemporaryStore, partitions: UInt32 = 4) throws -> ReplicatedNode {
        var logger = Logger(label: "test-node")
        logger.logLevel = .error
        let node = try ReplicatedNode(
            store: store.store, log: makeLog(), partitions: PartitionMap(count: partitions), logger: logger)
        node.start()
        return node
    }

    /// Submissions over three namespaces: labels made, assets upserted and relabelled, one
    /// failing submission (an asset that does not exist) that must change nothing anywhere.
    static func submissions(seed: UInt64, count: Int) -> [CommandSubmission] {
        var random = SplitMix(seed: seed)
        let namespaces: [Namespace] = ["acme/default", "acme/team/red", "other/default"]
        let labels = ["env-prod", "env-dev", "team-a", "team-b", "reviewed"]
        return (0..<count).map { step in
            let namespace = namespaces[Int(random.next() % 3)]
            let key = AssetKey.id(Int64(random.next() % 40))
            let timestamp = 1_700_000_000_000 + Int64(step)
            let command: WriteCommand
            switch random.next() % 5 {
            case 0:
                command = .upsertAsset(
                    namespace, key, AssetAttributes(name: "asset \(step)"),
                    labels: [LabelAssignment(labels[Int(random.next() % 5)], weight: Double(step % 3))])
            case 1: command = .changeLabels(namespace, key, .append([LabelAssignment(labels[Int(random.next() % 5)])]))
            case 2: command = .changeLabels(namespace, key, .remove([labels[Int(random.next() % 5)]]))
            case 3: command = .ensureAsset(namespace, key)
            default: command = .setLabelWeight(namespace, name: labels[Int(random.next() % 5)], weight: 0.5)
            }
            return CommandSubmission(commands: [command], namespace: namespace, timestamp: timestamp)
        }
    }

    @Test func nodesConvergeAndEachReadsItsOwnWrites() async throws {
        #expect(try await makeLog().initialize(partitions: 4, createdAt: 1))
        let (first, second) = (try TemporaryStore(), try TemporaryStore())
        let nodes = [try makeNode(first), try makeNode(second)]
        let work = Self.submissions(seed: 7, count: 120)
        // Both nodes write at once, each from its own share of the submissions.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, node) in nodes.enumerated() {
                group.addTask {
                    for submission in work.enumerated().filter({ $0.offset % 2 == index }).map(\.element) {
                        do {
                            _ = try await node.submit(submission)
                            // Read-your-write: the asset the submission names exists on this node now.
                            if case .upsertAsset(let namespace, let key, _, _) = submission.commands[0] {
                                #expect(
                                    try await node.store.read { try $0.namespace(namespace)?.contains(key) } == true)
                            }
                        } catch let failure as CommandFailure {
                            // Labelling an asset that does not exist yet: the submission's own failure.
                            guard case .assetNotFound = failure.underlying as? LabelIndexError else { throw failure }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        try await waitUntilCaughtUp(nodes)
        #expect(try exported(first.store) == exported(second.store))
        #expect(try identities(first.store) == identities(second.store))
        #expect(try !exported(first.store).isEmpty)
        for node in nodes { await node.stop() }
    }

    @Test func aStoppedNodeAndAnEmptyOneCatchUpFromTheLog() async throws {
        #expect(try await makeLog().initialize(partitions: 2, createdAt: 1))
        let (first, second) = (try TemporaryStore(), try TemporaryStore())
        let writer = try makeNode(first, partitions: 2)
        var follower = try makeNode(second, partitions: 2)
        let work = Self.submissions(seed: 11, count: 60)
        for submission in work[..<30] { _ = try? await writer.submit(submission) }
        try await waitUntilCaughtUp([writer, follower])
        await follower.stop()
        for submission in work[30...] { _ = try? await writer.submit(submission) }
        #expect(try exported(first.store) != exported(second.store), "the stopped node missed the second half")

        follower = try makeNode(second, partitions: 2)  // restarted on the same store
        let third = try TemporaryStore()
        let fresh = try makeNode(third, partitions: 2)  // a wiped node
        try await waitUntilCaughtUp([writer, follower, fresh])
        #expect(try exported(first.store) == exported(second.store))
        #expect(try exported(first.store) == exported(third.store))
        #expect(try identities(first.store) == identities(third.store))
        for node in [writer, follower, fresh] { await node.stop() }
    }

    @Test func aRetriedWriteWithItsIdempotencyKeyIsAppliedOnce() async throws {
        #expect(try await makeLog().initialize(partitions: 1, createdAt: 1))
        let store = try TemporaryStore()
        let node = try makeNode(store, partitions: 1)
        let namespace: Namespace = "acme/default"
        _ = try await node.submit(CommandSubmission([.ensureAsset(namespace, .id(1))], timestamp: 1))
        let append = CommandSubmission(
            [.changeLabels(namespace, .id(1), .append(["x"]))], timestamp: 2, idempotencyKey: "retry-1")
        let first = try await node.submit(append)
        let again = try await node.submit(append)
        #expect(first == again)
        let head = try await makeLog().head(partition: 0)
        #expect(head == 2, "the retry appended nothing")
        #expect(node.appliedSequenceHeader(for: namespace) == "0:2")
        await node.stop()
    }

    @Test func withoutEtcdAWriteIsRefusedClearlyAndNothingIsApplied() async throws {
        let store = try TemporaryStore()
        let log = EtcdReplicationLog(
            client: EtcdClient(
                endpoints: ["http://127.0.0.1:9"], attemptTimeout: .milliseconds(200),
                operationTimeout: .milliseconds(600)),
            keys: keys)
        let node = try ReplicatedNode(
            store: store.store, log: log, partitions: PartitionMap(count: 1), logger: Logger(label: "test"))
        node.start()
        let error = await #expect(throws: WriteUnavailable.self) {
            try await node.submit(CommandSubmission([.ensureAsset("acme/default", .id(1))], timestamp: 1))
        }
        #expect(error?.message.contains("Idempotency-Key") == true, "\(String(describing: error))")
        #expect(try await store.store.read { try $0.namespace("acme/default") == nil })
        await node.stop()
    }

    /// Waits until every node has applied every partition's head.
    func waitUntilCaughtUp(_ nodes: [ReplicatedNode]) async throws {
        let log = makeLog()
        let count = nodes[0].partitions.count
        let heads = try await (0..<count).asyncMap { try await log.head(partition: $0) }
        for node in nodes {
            for partition in 0..<count where heads[Int(partition)] > 0 {
                let applied = await node.waitForApplied(
                    partition: partition, sequence: heads[Int(partition)], timeout: .seconds(30))
                #expect(applied, "partition \(partition) not applied up to \(heads[Int(partition)])")
            }
        }
    }
}

/// Every namespace as NDJSON, then the application values: equal strings mean equal data.
func exported(_ store: LabelStore) throws -> String {
    var output: [UInt8] = []
    for namespace in try store.read({ try $0.namespaces() }).sorted(by: { $0.name < $1.name }) {
        output += Array("# \(namespace.name)\n".utf8)
        try Exporter(store: store, namespace: namespace).export(to: NDJSONWriter { output += Array($0) })
    }
    return String(decoding: output, as: UTF8.self)
}

/// What export leaves out and apply assigns: label ids and asset ordinals, per namespace.
func identities(_ store: LabelStore) throws -> [String] {
    try store.read { snapshot in
        try snapshot.namespaces().sorted(by: { $0.name < $1.name }).flatMap { namespace -> [String] in
            guard let reader = try snapshot.namespace(namespace) else { return [] }
            let labels = try reader.labels().map { "\(namespace.name) label \($0.id) \($0.name)" }
            let assets = try (0..<40).compactMap { id -> String? in
                try reader.ordinal(of: .id(Int64(id))).map { "\(namespace.name) asset \(id) ordinal \($0)" }
            }
            return labels + assets
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failing case can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Range where Bound == UInt32 {
    func asyncMap<T>(_ body: (UInt32) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for value in self { results.append(try await body(value)) }
        return results
    }
}
