import Testing

@testable import LabelCluster

/// Where the log may start: never past a live node, never past the best snapshot, never into
/// the newest retained entries, nothing at all without a snapshot.
@Suite struct TrimPolicyTests {
    func node(_ name: String, applied: [UInt32: UInt64], snapshot: [UInt32: UInt64]? = nil) -> NodeRegistration {
        NodeRegistration(
            name: name, url: "http://\(name)", applied: applied,
            snapshot: snapshot.map { SnapshotManifest(sequences: $0, bytes: 1, sha256: "00", created: 0) }, updated: 0)
    }

    @Test func withoutASnapshotNothingIsTrimmed() {
        let kept = TrimPolicy.firstKept(
            partitions: 2, heads: [0: 500, 1: 500], nodes: [node("a", applied: [0: 500, 1: 500])], retained: 0)
        #expect(kept == [0: 1, 1: 1])
    }

    @Test func theSlowestLiveNodeTheBestSnapshotAndTheRetainedEntriesBound() {
        let nodes = [
            node("a", applied: [0: 90, 1: 40], snapshot: [0: 80, 1: 40]),
            node("b", applied: [0: 100, 1: 35], snapshot: [0: 60, 1: 10]),
        ]
        // Best snapshot: a's (120 entries); slowest: b on 1 (35), a on 0 (90).
        #expect(
            TrimPolicy.firstKept(partitions: 2, heads: [0: 100, 1: 40], nodes: nodes, retained: 0) == [0: 81, 1: 36])
        #expect(
            TrimPolicy.firstKept(partitions: 2, heads: [0: 100, 1: 40], nodes: nodes, retained: 30) == [0: 71, 1: 11])
        #expect(
            TrimPolicy.firstKept(partitions: 2, heads: [0: 100, 1: 40], nodes: nodes, retained: 1_000) == [0: 1, 1: 1])
    }

    @Test func aNodeThatAppliedNothingKeepsTheWholeLog() {
        let nodes = [node("a", applied: [0: 90], snapshot: [0: 90]), node("new", applied: [:])]
        #expect(TrimPolicy.firstKept(partitions: 1, heads: [0: 90], nodes: nodes, retained: 0) == [0: 1])
    }

    @Test func onlySnapshotsThatReachTheLogsStartAreUsableBestFirst() {
        let nodes = [
            node("old", applied: [0: 90], snapshot: [0: 20]),
            node("new", applied: [0: 90], snapshot: [0: 70]),
            node("none", applied: [0: 90]),
            node("newer", applied: [0: 90], snapshot: [0: 85]),
        ]
        #expect(TrimPolicy.usable(nodes, starts: [0: 50]).map(\.name) == ["newer", "new"])
        #expect(TrimPolicy.usable(nodes, starts: [0: 1]).map(\.name) == ["newer", "new", "old"])
        #expect(TrimPolicy.usable(nodes, starts: [0: 87]).isEmpty)
    }
}
