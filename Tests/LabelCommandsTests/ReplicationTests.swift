import Foundation
import LabelCommands
import LabelIndex
import LabelTestSupport
import Testing

@Suite struct ReplicationTests {
    static func entry(_ name: String, timestamp: Int64 = 1) -> [CommandSubmission] {
        [CommandSubmission([.createLabel("p", NewLabel(name: name))], timestamp: timestamp)]
    }

    @Test func entriesApplyInSequencePerPartition() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        #expect(try store.appliedSequences() == [:])
        let first = try #require(try store.applyLogEntry(partition: 0, sequence: 1, submissions: Self.entry("one")))
        #expect(first.count == 1)
        #expect(throws: Never.self) { try first[0].get() }
        _ = try store.applyLogEntry(partition: 0, sequence: 2, submissions: Self.entry("two"))
        _ = try store.applyLogEntry(partition: 7, sequence: 1, submissions: [])
        _ = try store.applyLogEntry(partition: 0xFFFF_FFFF, sequence: 1, submissions: [])
        #expect(try store.appliedSequences() == [0: 2, 7: 1, 0xFFFF_FFFF: 1])
        #expect(try store.read { try $0.appliedSequences() } == [0: 2, 7: 1, 0xFFFF_FFFF: 1])
        #expect(try store.read { try $0.namespace("p")?.labels().map(\.name) } == ["one", "two"])
    }

    @Test func anEntryAtOrBelowTheAppliedSequenceIsIgnored() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        _ = try store.applyLogEntry(partition: 2, sequence: 1, submissions: Self.entry("one"))
        _ = try store.applyLogEntry(partition: 2, sequence: 2, submissions: Self.entry("two"))
        let before = try fixture.exported()
        #expect(try store.applyLogEntry(partition: 2, sequence: 2, submissions: Self.entry("again")) == nil)
        #expect(try store.applyLogEntry(partition: 2, sequence: 1, submissions: Self.entry("again")) == nil)
        #expect(try store.applyLogEntry(partition: 2, sequence: 0, submissions: Self.entry("again")) == nil)
        #expect(try fixture.exported() == before)
        #expect(try store.appliedSequences() == [2: 2])
    }

    @Test func aGapThrowsAndChangesNothing() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        #expect(throws: LogSequenceGap(partition: 1, applied: 0, received: 2)) {
            try store.applyLogEntry(partition: 1, sequence: 2, submissions: Self.entry("skipped"))
        }
        _ = try store.applyLogEntry(partition: 1, sequence: 1, submissions: Self.entry("one"))
        #expect(throws: LogSequenceGap(partition: 1, applied: 1, received: 5)) {
            try store.applyLogEntry(partition: 1, sequence: 5, submissions: Self.entry("skipped"))
        }
        #expect(
            LogSequenceGap(partition: 1, applied: 1, received: 5).description
                == "log entry 5 of partition 1 cannot be applied: the store has applied up to 1")
        #expect(try store.appliedSequences() == [1: 1])
        #expect(try store.read { try $0.namespace("p")?.labels().map(\.name) } == ["one"])
    }

    /// A failing submission fails alone, and the entry still counts as applied: every replica
    /// reaches the same failure, so retrying the entry would change nothing.
    @Test func failingSubmissionsStillAdvanceTheSequence() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let outcomes = try #require(
            try store.applyLogEntry(
                partition: 0, sequence: 1,
                submissions: [
                    CommandSubmission([.createLabel("p", NewLabel(name: "a"))], timestamp: 1),
                    CommandSubmission([.createLabel("p", NewLabel(name: "a"))], timestamp: 2),
                    CommandSubmission(
                        [.ensureAsset("p", .id(1)), .deleteLabel("p", LabelID(9))], timestamp: 3),
                    CommandSubmission([.createLabel("p", NewLabel(name: "b"))], timestamp: 4),
                ]))
        #expect(outcomes.count == 4)
        guard outcomes.count == 4 else { return }
        #expect(throws: Never.self) { try outcomes[0].get() }
        #expect(engineFailure(outcomes[1])?.error == .labelAlreadyExists("a"))
        #expect(engineFailure(outcomes[2])?.index == 1)
        #expect(engineFailure(outcomes[2])?.error == .labelNotFound(LabelID(9)))
        guard case .label(let b, _)? = try? outcomes[3].get().first else {
            Issue.record("createLabel answered \(outcomes[3])")
            return
        }
        #expect(b.id == LabelID(2))
        #expect(try store.appliedSequences() == [0: 1])
        #expect(try store.read { try $0.namespace("p")?.contains(.id(1)) } == false)
    }

    @Test func appliedSequencesSurviveReopening() throws {
        let fixture = try TemporaryStore()
        _ = try fixture.store.applyLogEntry(partition: 0, sequence: 1, submissions: Self.entry("one"))
        _ = try fixture.store.applyLogEntry(partition: 3, sequence: 1, submissions: Self.entry("three"))
        _ = try fixture.store.applyLogEntry(partition: 3, sequence: 2, submissions: [])
        try fixture.reopen()
        #expect(try fixture.store.appliedSequences() == [0: 1, 3: 2])
        #expect(try fixture.store.applyLogEntry(partition: 3, sequence: 2, submissions: Self.entry("dup")) == nil)
        #expect(throws: LogSequenceGap(partition: 0, applied: 1, received: 3)) {
            try fixture.store.applyLogEntry(partition: 0, sequence: 3, submissions: [])
        }
        _ = try fixture.store.applyLogEntry(partition: 0, sequence: 2, submissions: Self.entry("two"))
        #expect(try fixture.store.appliedSequences() == [0: 2, 3: 2])
        #expect(try fixture.store.read { try $0.namespace("p")?.labels().map(\.name) } == ["one", "three", "two"])
    }

    /// Applied sequences are stored apart from the application's own values: an application
    /// key cannot collide with them, and a backup carries them.
    @Test func appliedSequencesAreKeptApartFromApplicationValues() throws {
        let fixture = try TemporaryStore()
        _ = try fixture.store.applyLogEntry(
            partition: 5, sequence: 1,
            submissions: [
                CommandSubmission([.setApplicationValue(key: Array("labelcommands/applied/x".utf8), value: [1])])
            ])
        #expect(try fixture.store.appliedSequences() == [5: 1])
        let backup = FileManager.default.temporaryDirectory.appendingPathComponent("lc-backup-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: backup) }
        try fixture.store.backup(to: backup)
        let copy = try LabelStore(path: backup, options: TemporaryStore.fastOptions)
        #expect(try copy.appliedSequences() == [5: 1])
    }
}
