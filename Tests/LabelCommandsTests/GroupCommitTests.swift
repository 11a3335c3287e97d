import Foundation
import LabelCommands
import LabelIndex
import LabelTestSupport
import Testing

/// Records every commit's size, as `/metrics` would.
final class CommitLog: @unchecked Sendable {
    private let lock = NSLock()
    private var sizes: [Int] = []

    func record(_ size: Int) {
        lock.lock()
        sizes.append(size)
        lock.unlock()
    }

    var batchSizes: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return sizes
    }
}

@Suite struct GroupCommitTests {
    /// Submissions that arrive while a commit is under way share the next transaction.
    @Test func concurrentSubmissionsShareACommit() async throws {
        let fixture = try TemporaryStore()
        let log = CommitLog()
        fixture.store.configureGroupCommit(maximumBatch: 1_024) { size, _ in log.record(size) }
        let store = fixture.store
        let holder = WriteLockHolder(store)
        let first = Task { try await store.submit(CommandSubmission([.ensureAsset("g", .id(-1))])) }
        try await store.waitForPendingSubmissions(1)
        let results = Task {
            try await withThrowingTaskGroup(of: (Int, [CommandResult]).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        (index, try await store.submit(CommandSubmission([.ensureAsset("g", .id(Int64(index)))])))
                    }
                }
                return try await group.reduce(into: [Int: [CommandResult]]()) { $0[$1.0] = $1.1 }
            }
        }
        try await fixture.store.waitForPendingSubmissions(41)
        holder.release()
        #expect(try await first.value == [.ensured(created: true)])
        let answers = try await results.value
        #expect(answers.count == 40)
        #expect(answers.values.allSatisfy { $0 == [.ensured(created: true)] })
        #expect(log.batchSizes == [1, 40])
        let statistics = fixture.store.groupCommitStatistics
        #expect(statistics.commits == 2)
        #expect(statistics.largestBatch == 40)
        #expect(statistics.submissions == 41)
        #expect(statistics.failedSubmissions == 0)
        #expect(statistics.pending == 0 && statistics.committing == 0)
        #expect(try await fixture.store.read { try $0.namespace("g")?.assetCount } == 41)
    }

    /// A group whose commit fails (the map may not grow past its limit because of one large
    /// submission) is retried in halves: the small submissions commit, the large one fails alone.
    @Test func aFailingCommitFailsOnlyTheSubmissionThatCausedIt() async throws {
        var options = TemporaryStore.fastOptions
        options.initialMapSize = 1 << 20
        options.maximumMapSize = 2 << 20
        let fixture = try TemporaryStore(options: options)
        let store = fixture.store
        let holder = WriteLockHolder(store)
        let name = String(repeating: "n", count: 4_000)
        let submissions = (1...16).map { index in
            // Submission 8 writes about 4 MB: more than the map may ever hold.
            let count = index == 8 ? 1_000 : 1
            return CommandSubmission(
                (0..<count).map { offset in
                    WriteCommand.upsertAsset(
                        "n", .id(Int64(index * 10_000 + offset)), AssetAttributes(name: name), labels: nil)
                })
        }
        let tasks = try await store.enqueueInOrder(submissions)
        holder.release()
        var failed: [Int] = []
        for (index, task) in tasks.enumerated() {
            do { _ = try await task.value } catch {
                #expect(error is LabelIndexError || error is CommandFailure, "\(error)")
                failed.append(index + 1)
            }
        }
        #expect(failed == [8])
        #expect(store.groupCommitStatistics.failedCommits >= 2, "the group and the halves that held submission 8")
        #expect(try await store.read { try $0.namespace("n")?.assetCount } == 15)
    }

    /// `maximumBatch` caps a transaction: 10 queued submissions with a cap of 4 commit as 4+4+2.
    @Test func theBatchSizeIsCapped() async throws {
        let fixture = try TemporaryStore()
        let log = CommitLog()
        fixture.store.configureGroupCommit(maximumBatch: 4) { size, _ in log.record(size) }
        let holder = WriteLockHolder(fixture.store)
        let tasks = try await fixture.store.enqueueInOrder(
            (0..<11).map { CommandSubmission([.ensureAsset("c", .id(Int64($0)))], timestamp: 1) })
        holder.release()
        for task in tasks { _ = try await task.value }
        #expect(log.batchSizes == [1, 4, 4, 2])
    }

    /// In one batch, the submissions that fail roll back alone (with what they did before
    /// failing) and answer their own errors; the others commit and answer in order.
    @Test func aFailingSubmissionRollsBackAlone() async throws {
        let fixture = try TemporaryStore()
        let log = CommitLog()
        fixture.store.configureGroupCommit(maximumBatch: 1_024) { size, _ in log.record(size) }
        let holder = WriteLockHolder(fixture.store)
        let tasks = try await fixture.store.enqueueInOrder([
            CommandSubmission([.createLabel("f", NewLabel(name: "first"))], timestamp: 10),
            CommandSubmission([.createLabel("f", NewLabel(name: "a"))], timestamp: 11),
            CommandSubmission(
                [
                    .upsertAsset("f", .id(1), AssetAttributes(name: "rolled back"), labels: ["ghost"]),
                    .changeLabels("f", .id(99), .append(["a"])),
                ], timestamp: 12),
            CommandSubmission([.createLabel("f", NewLabel(name: "a"))], timestamp: 13),
            CommandSubmission([.createLabel("f", NewLabel(name: "b"))], timestamp: 14),
            CommandSubmission([.upsertAsset("f", .id(2), AssetAttributes(), labels: ["a"])], timestamp: 15),
            CommandSubmission([.deleteLabel("f", LabelID(77))], timestamp: 16),
        ])
        holder.release()
        var outcomes: [Result<[CommandResult], any Error>] = []
        for task in tasks { outcomes.append(await task.result) }
        #expect(log.batchSizes == [1, 6])

        func label(_ outcome: Result<[CommandResult], any Error>) -> Label? {
            guard case .success(let results) = outcome, case .label(let label, _)? = results.first else { return nil }
            return label
        }
        #expect(label(outcomes[0])?.id == LabelID(1))
        #expect(label(outcomes[1])?.name == "a")
        #expect(label(outcomes[1])?.id == LabelID(2))
        #expect(engineFailure(outcomes[2])?.index == 1)
        #expect(engineFailure(outcomes[2])?.error == .assetNotFound(.id(99)))
        #expect(engineFailure(outcomes[3])?.error == .labelAlreadyExists("a"))
        // Neither failed submission used a label id ("ghost" was made and rolled back).
        #expect(label(outcomes[4])?.id == LabelID(3))
        #expect(try outcomes[5].get() == [.upserted(.created(AssetOrdinal(0)))])
        #expect(engineFailure(outcomes[6])?.error == .labelNotFound(LabelID(77)))

        let state = try await fixture.store.read { snapshot -> ([String], Bool, [String]?) in
            let reader = try #require(try snapshot.namespace("f"))
            return (
                try reader.labels().map(\.name), try reader.contains(.id(1)), try reader.labels(of: .id(2))?.map(\.name)
            )
        }
        #expect(state.0 == ["first", "a", "b"])
        #expect(state.1 == false)
        #expect(state.2 == ["a"])
        let statistics = fixture.store.groupCommitStatistics
        #expect(statistics.failedSubmissions == 3)
        #expect(statistics.commits == 2)
        #expect(try fixture.verifyClean())
    }

    /// Many clients at once: each gets its own submission's results.
    @Test func resultsGoToTheirOwnSubmitters() async throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        let answers = try await withThrowingTaskGroup(of: (Int, [CommandResult]).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let results = try await store.submit(
                        CommandSubmission([
                            .createLabel("r", NewLabel(name: "label-\(index)")),
                            .upsertAsset("r", .id(Int64(index)), AssetAttributes(name: "\(index)"), labels: nil),
                        ]))
                    return (index, results)
                }
            }
            return try await group.reduce(into: [(Int, [CommandResult])]()) { $0.append($1) }
        }
        #expect(answers.count == 200)
        var ordinals = Set<AssetOrdinal>()
        for (index, results) in answers {
            guard results.count == 2, case .label(let label, _) = results[0],
                case .upserted(.created(let ordinal)) = results[1]
            else {
                Issue.record("submission \(index) answered \(results)")
                continue
            }
            #expect(label.name == "label-\(index)")
            let stored = try await store.read { try $0.namespace("r")?.asset(at: ordinal) }
            #expect(stored?.key == .id(Int64(index)))
            ordinals.insert(ordinal)
        }
        #expect(ordinals.count == 200)
        #expect(store.groupCommitStatistics.submissions == 200)
    }

    /// A `writeMap` store cannot nest transactions: it commits each submission alone, and a
    /// failing one still fails alone.
    @Test func writeMapStoresCommitEachSubmissionAlone() async throws {
        var options = TemporaryStore.fastOptions
        options.writeMap = true
        let fixture = try TemporaryStore(options: options)
        let log = CommitLog()
        fixture.store.configureGroupCommit(maximumBatch: 1_024) { size, _ in log.record(size) }
        let holder = WriteLockHolder(fixture.store)
        let tasks = try await fixture.store.enqueueInOrder([
            CommandSubmission([.ensureAsset("w", .id(1))], timestamp: 1),
            CommandSubmission([.ensureAsset("w", .id(2))], timestamp: 1),
            CommandSubmission([.changeLabels("w", .id(3), .append(["x"]))], timestamp: 1),
            CommandSubmission([.ensureAsset("w", .id(4))], timestamp: 1),
        ])
        holder.release()
        var failures = 0
        for task in tasks { if case .failure = await task.result { failures += 1 } }
        #expect(failures == 1)
        #expect(log.batchSizes == [1, 1, 1])
        #expect(try await fixture.store.read { try $0.namespace("w")?.assetCount } == 3)
        #expect(throws: ReplicationUnsupported.self) {
            try fixture.store.applyLogEntry(partition: 0, sequence: 1, submissions: [])
        }
    }
}
