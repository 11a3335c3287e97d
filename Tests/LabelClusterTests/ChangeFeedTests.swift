import Foundation
import LabelCommands
import LabelIndex
import LabelServer
import LabelTestSupport
import Testing

@testable import LabelCluster

/// The changes feed of a node (`ReplicatedNode.changes`), over real etcd: a namespace's
/// entries in log order and nothing of other namespaces or of API keys, from any sequence on,
/// new ones as they are applied, and `ChangesTrimmed` for a sequence the log no longer holds.
extension ReplicatedNodeTests {
    /// Every change the feed gives without following.
    func collect(
        _ node: ReplicatedNode, _ namespace: Namespace, after sequence: UInt64
    ) async throws
        -> [AppliedChange]
    {
        var changes: [AppliedChange] = []
        for try await change in try await node.changes(of: namespace, after: sequence, follow: false) {
            changes.append(change)
        }
        return changes
    }

    @Test func theFeedCarriesOneNamespacesEntriesInOrder() async throws {
        #expect(try await makeLog().initialize(partitions: 1, createdAt: 1))
        let node = try makeNode(try TemporaryStore(), partitions: 1)
        let work = Self.submissions(seed: 3, count: 40)
        var written: [CommandSubmission] = []
        for submission in work {
            _ = try? await node.submit(submission)  // failing ones are ordered too
            written.append(submission)
        }
        // An API key (application data, no namespace) is nobody's change.
        _ = try await node.submit(
            CommandSubmission(commands: [.setApplicationValue(key: Array("k".utf8), value: [1])], namespace: nil))
        for namespace: Namespace in ["acme/default", "acme/team/red", "other/default"] {
            let changes = try await collect(node, namespace, after: 0)
            let expected = written.filter { $0.namespace == namespace }
            #expect(changes.flatMap(\.submissions).map(\.commands) == expected.map(\.commands))
            #expect(changes.flatMap(\.submissions).map(\.timestamp) == expected.map(\.timestamp))
            #expect(changes.map(\.sequence) == changes.map(\.sequence).sorted())
            #expect(Set(changes.map(\.sequence)).count == changes.count, "one change per entry")
            #expect(changes.allSatisfy { $0.namespace == namespace && $0.partition == 0 })
            // From the middle on: exactly the later entries.
            let middle = changes[changes.count / 2].sequence
            #expect(try await collect(node, namespace, after: middle) == changes.filter { $0.sequence > middle })
        }
        let head = try await makeLog().head(partition: 0)
        #expect(try await collect(node, "acme/default", after: head).isEmpty)
        #expect(try await collect(node, "acme/default", after: head + 100).isEmpty)
        await node.stop()
    }

    @Test func aFollowingFeedGetsWritesOfAnotherNodeOnceApplied() async throws {
        #expect(try await makeLog().initialize(partitions: 2, createdAt: 1))
        let (reader, writer) = (try makeNode(try TemporaryStore()), try makeNode(try TemporaryStore()))
        let namespace: Namespace = "acme/default"
        _ = try await writer.submit(CommandSubmission([.ensureAsset(namespace, .id(1))], timestamp: 1))
        let feed = try await reader.changes(of: namespace, after: 0, follow: true)
        let received = Task {
            var changes: [AppliedChange] = []
            for try await change in feed {
                // The feed speaks only of what this node holds already.
                let labels = try await reader.store.read {
                    try $0.namespace(namespace)?.labels(of: .id(1))?.map(\.name)
                }
                changes.append(change)
                if changes.count == 3 { return (changes, labels) }
            }
            return (changes, nil)
        }
        for name in ["a", "b"] {
            _ = try await writer.submit(
                CommandSubmission([.changeLabels(namespace, .id(1), .append([LabelAssignment(name)]))], timestamp: 2))
        }
        let (changes, labels) = try await received.value
        #expect(changes.count == 3)
        #expect(labels == ["a", "b"])
        #expect(changes.last?.submissions.first?.commands == [.changeLabels(namespace, .id(1), .append(["b"]))])
        for node in [reader, writer] { await node.stop() }
    }

    @Test func aSequenceTheLogNoLongerHoldsIsGone() async throws {
        #expect(try await makeLog().initialize(partitions: 1, createdAt: 1))
        let node = try makeNode(try TemporaryStore(), partitions: 1)
        for id in 1...5 {
            _ = try await node.submit(CommandSubmission([.ensureAsset("acme/default", .id(Int64(id)))], timestamp: 1))
        }
        try await makeLog().trim(partition: 0, before: 4)
        let gone = await #expect(throws: ChangesTrimmed.self) {
            _ = try await node.changes(of: "acme/default", after: 2, follow: true)
        }
        #expect(gone?.start == 4)
        // Right behind the start is still complete.
        #expect(try await collect(node, "acme/default", after: 3).map(\.sequence) == [4, 5])
        await node.stop()
    }
}
