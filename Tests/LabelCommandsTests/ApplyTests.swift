import Foundation
import LabelCommands
import LabelIndex
import LabelQuery
import LabelTestSupport
import Testing

/// Random submissions over a small world (two namespaces, a dozen keys, a few label names and
/// ids), so that commands meet each other's assets and labels and a fair share fail.
struct WorldGenerator {
    var base: CommandGenerator
    var clock: Int64 = 1_600_000_000_000

    init(seed: UInt64) { base = CommandGenerator(seed: seed) }

    static let labelNames = ["red", "green", "blue", "blü", "漢字", "🏷️ tag", "a/b"]
    static let queries = [
        "*", "label:red", "label:red OR label:green", "NOT label:blue AND *", "label:green AND NOT label:red",
        "label:(",
    ]
    static let metadata: [[UInt8]?] = [
        nil, Array(#"{"env":"prod","n":3,"tags":["x","y"],"ok":true}"#.utf8), Array(#"{"env":"dev","ok":false}"#.utf8),
        Array("[1,2]".utf8),
    ]

    mutating func namespace() -> Namespace { base.pick(["a", "b"]) }
    mutating func key() -> AssetKey {
        base.bool() ? .id(Int64(base.int(0..<10))) : .typed(type: "t", id: "k\(base.int(0..<5))")
    }
    mutating func keys() -> [AssetKey] {
        let count = base.int(0..<4)
        return (0..<count).map { _ in key() }
    }
    mutating func name() -> String { base.pick(Self.labelNames) }
    mutating func labelID() -> LabelID { LabelID(UInt32(base.int(0..<14))) }
    mutating func weight() -> Double? { base.bool() ? Double(base.int(-4..<8)) / 4 : nil }
    mutating func assignments() -> [LabelAssignment] {
        let count = base.int(0..<4)
        return (0..<count).map { _ in LabelAssignment(name(), weight: weight()) }
    }
    mutating func change() -> LabelChange {
        switch base.int(0..<3) {
        case 0: .append(assignments())
        case 1: .replace(assignments())
        default: .remove((0..<base.int(0..<3)).map { _ in name() })
        }
    }
    mutating func time() -> Date? {
        base.bool() ? nil : Date(timeIntervalSince1970: Double(clock - Int64(base.int(0..<100_000))) / 1000)
    }

    mutating func command() -> WriteCommand {
        let namespace = namespace()
        switch base.int(0..<20) {
        case 0, 1, 2:
            return .upsertAsset(
                namespace, key(),
                AssetAttributes(
                    name: base.pick(["", "Alpha", "beta gamma"]), assetType: base.bool() ? "host" : nil,
                    createdAt: time(), updatedAt: time(), metadata: base.pick(Self.metadata)),
                labels: base.bool() ? assignments() : nil)
        case 3: return .ensureAsset(namespace, key())
        case 4: return .deleteAsset(namespace, key())
        case 5, 6: return .changeLabels(namespace, key(), change())
        case 7, 8:
            return .createLabel(
                namespace,
                NewLabel(
                    name: name(), color: base.bool() ? LabelColor(rgb: UInt32(base.int(0..<0x100_0000))) : nil,
                    parent: base.bool() ? labelID() : nil, weight: weight()))
        case 9:
            return .updateLabel(
                namespace, labelID(),
                LabelUpdate(
                    name: base.bool() ? name() : nil, color: nil,
                    parent: base.bool() ? (base.bool() ? .root : .label(labelID())) : nil,
                    weight: base.bool() ? .some(weight()) : nil))
        case 10: return .setLabelWeight(namespace, name: name(), weight: weight())
        case 11: return .deleteLabel(namespace, labelID())
        case 12, 13: return .link(namespace, labelID(), keys(), createMissingAssets: base.bool())
        case 14: return .unlink(namespace, labelID(), keys())
        case 15, 16:
            let filter =
                base.bool()
                ? nil
                : AttributeFilter(
                    nameContains: base.bool() ? "a" : nil,
                    createdFrom: base.bool() ? clock - 50_000 : nil,
                    stringMembers: base.bool() ? [.init(key: "env", values: ["prod"])] : [],
                    anyOfMembers: base.bool() ? [.init(key: "tags", values: ["y"])] : [],
                    trueMembers: base.bool() ? ["ok"] : [])
            let selector = AssetSelector(
                query: base.pick(Self.queries), integerKeysOnly: base.bool(), attributes: filter,
                ordinals: base.bool() ? nil : UInt32(base.int(0..<4))..<UInt32(base.int(4..<12)))
            return .changeLabelsMatching(namespace, selector, change())
        case 17:
            return .setApplicationValue(key: Array("key/\(base.int(0..<4))".utf8), value: base.maybe { $0.bytes() })
        case 18: return .removeApplicationValue(key: Array("key/\(base.int(0..<4))".utf8))
        default: return .changeLabels(namespace, key(), .replace([]))
        }
    }

    mutating func submission() -> CommandSubmission {
        // Time moves on by 0-2 ms per submission: equal timestamps happen too.
        clock += Int64(base.int(0..<3))
        let count = base.int(1..<4)
        let commands = (0..<count).map { _ in command() }
        return CommandSubmission(
            commands: commands, namespace: commands.first?.namespace, timestamp: clock,
            idempotencyKey: base.bool() ? "key-\(base.uint64())" : nil)
    }
}

/// What a submission's outcome looks like in comparisons: results, or the error's text.
func outcomeText(_ outcome: Result<[CommandResult], any Error>) -> String {
    switch outcome {
    case .success(let results): "ok \(results)"
    case .failure(let error): "error \(error)"
    }
}

@Suite struct ApplyTests {
    /// Three stores apply the same random submissions: one through log entries of random sizes,
    /// one through the group commit in random batchings (on a small map that must grow
    /// mid-batch), one submission per transaction. They answer every submission alike and end
    /// with identical exports, label ids, ordinals and clean indexes.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func storesApplyingTheSameSubmissionsAreIdentical(seed: UInt64) async throws {
        var world = WorldGenerator(seed: seed)
        let submissions = (0..<900).map { _ in world.submission() }

        let replicated = try TemporaryStore()
        var replicatedOutcomes: [String] = []
        var sequence: UInt64 = 0
        var index = 0
        while index < submissions.count {
            let size = world.base.int(1..<9)
            let entry = Array(submissions[index..<min(index + size, submissions.count)])
            sequence += 1
            let outcomes = try #require(
                try replicated.store.applyLogEntry(partition: 0, sequence: sequence, submissions: entry))
            replicatedOutcomes += outcomes.map(outcomeText)
            index += entry.count
        }

        var smallMap = TemporaryStore.fastOptions
        smallMap.initialMapSize = 1 << 20
        let grouped = try TemporaryStore(options: smallMap)
        grouped.store.configureGroupCommit(maximumBatch: world.base.pick([2, 5, 1_024]))
        var groupedOutcomes: [String] = []
        index = 0
        while index < submissions.count {
            let size = world.base.int(1..<40)
            let round = Array(submissions[index..<min(index + size, submissions.count)])
            let holder = WriteLockHolder(grouped.store)
            let tasks = try await grouped.store.enqueueInOrder(round)
            holder.release()
            for task in tasks { groupedOutcomes.append(outcomeText(await task.result)) }
            index += round.count
        }
        let statistics = grouped.store.groupCommitStatistics
        #expect(statistics.largestBatch > 1)
        #expect(statistics.submissions == submissions.count)
        #expect(statistics.commits < submissions.count)

        let single = try TemporaryStore()
        let singleOutcomes = submissions.map { submission in
            outcomeText(Result { try single.store.apply(submission) })
        }

        #expect(replicatedOutcomes == singleOutcomes)
        #expect(groupedOutcomes == singleOutcomes)
        let failures = singleOutcomes.count { $0.hasPrefix("error") }
        #expect(failures > 50 && failures < submissions.count - 300, "\(failures) of \(submissions.count) failed")

        let export = try single.exported()
        #expect(export.count > 1_000)
        #expect(try replicated.exported() == export)
        #expect(try grouped.exported() == export)
        let identities = try single.identities()
        #expect(identities.keys.sorted() == ["a", "b"])
        #expect(try replicated.identities() == identities)
        #expect(try grouped.identities() == identities)
        for fixture in [replicated, grouped, single] { #expect(try fixture.verifyClean()) }
    }

    /// The same writes made with commands and with the engine's own API leave the same store.
    @Test func commandsEqualTheDirectAPI() async throws {
        let time: Int64 = 1_650_000_000_000
        let metadata = Array(#"{"env":"prod"}"#.utf8)
        let viaCommands = try TemporaryStore()
        let results = try await viaCommands.store.submit(
            CommandSubmission(
                [
                    .createLabel("ns", NewLabel(name: "parent", color: LabelColor(rgb: 0x123456), weight: 2)),
                    .createLabel("ns", NewLabel(name: "child", parent: LabelID(1))),
                    .upsertAsset(
                        "ns", .id(7), AssetAttributes(name: "seven", metadata: metadata),
                        labels: ["child", LabelAssignment("new", weight: 0.5)]),
                    .upsertAsset("ns", .typed(type: "form", id: "f1"), AssetAttributes(name: "form"), labels: nil),
                    .link("ns", LabelID(1), [.typed(type: "form", id: "f1"), .id(8)], createMissingAssets: true),
                    .changeLabels("ns", .id(7), .append(["parent"])),
                    .updateLabel("ns", LabelID(2), LabelUpdate(name: "kid", parent: .root, weight: .some(1))),
                    .setLabelWeight("ns", name: "fresh", weight: 3),
                    .changeLabelsMatching(
                        "ns", AssetSelector(query: "label:parent", attributes: AttributeFilter(nameContains: "SEV")),
                        .remove(["new"])),
                    .unlink("ns", LabelID(1), [.id(8)]),
                    .deleteLabel("ns", LabelID(3)),
                    .deleteAsset("ns", .id(8)),
                    .setApplicationValue(key: Array("k".utf8), value: [1, 2]),
                ], timestamp: time))

        let direct = try TemporaryStore()
        try await direct.store.write { writer in
            writer.timestamp = time
            let ns = try writer.namespace("ns")
            let parent = try ns.createLabel(NewLabel(name: "parent", color: LabelColor(rgb: 0x123456), weight: 2))
            let child = try ns.createLabel(NewLabel(name: "child", parent: parent.id))
            try ns.upsertAsset(.id(7), AssetAttributes(name: "seven", metadata: metadata))
            try ns.apply(.replace(["child", LabelAssignment("new", weight: 0.5)]), to: .id(7))
            try ns.upsertAsset(.typed(type: "form", id: "f1"), AssetAttributes(name: "form"))
            try ns.upsertAsset(.id(8))
            try ns.link([.typed(type: "form", id: "f1"), .id(8)], to: parent.id)
            try ns.apply(.append(["parent"]), to: .id(7))
            try ns.updateLabel(child.id, LabelUpdate(name: "kid", parent: .root, weight: .some(1)))
            try ns.createLabel(NewLabel(name: "fresh", weight: 3))
            try ns.apply(.remove(["new"]), to: .id(7))
            try ns.unlink([.id(8)], from: parent.id)
            try ns.deleteLabel(try #require(try ns.labelID(named: "new")))
            try ns.deleteAsset(.id(8))
            try writer.setApplicationValue([1, 2], forKey: Array("k".utf8))
        }

        #expect(try viaCommands.exported() == direct.exported())
        #expect(try viaCommands.identities() == direct.identities())
        #expect(try viaCommands.verifyClean())
        let label = try #require(try await direct.store.read { try $0.namespace("ns")?.label(LabelID(1)) })
        #expect(results.count == 13)
        guard results.count == 13 else { return }
        #expect(results[0] == .label(Label(label, assetCount: 0), siblingPosition: 0))
        #expect(results[2] == .upserted(.created(AssetOrdinal(0))))
        #expect(results[3] == .upserted(.created(AssetOrdinal(1))))
        #expect(results[4] == .changed(2))
        #expect(results[8] == .matched(matched: 1, changed: 1))
        #expect(results[9] == .changed(1))
        #expect(results[10] == .deletedLabels([LabelID(3)]))
        #expect(results[11] == .deleted(true))
        guard case .label(let fresh, let position) = results[7] else {
            Issue.record("setLabelWeight answered \(results[7])")
            return
        }
        #expect(fresh.name == "fresh" && fresh.weight == 3 && position == 3)
        guard case .label(let kid, let kidPosition) = results[6] else {
            Issue.record("updateLabel answered \(results[6])")
            return
        }
        #expect(kid.name == "kid" && kid.parent == nil && kidPosition == 1)
    }

    /// Apply takes "now" from the submission, never from the clock: creation and update times
    /// are the timestamps of the submissions that made them, decades in the past.
    @Test func timesComeFromTheSubmission() async throws {
        let fixture = try TemporaryStore()
        let created: Int64 = 946_684_800_000
        let relabeled: Int64 = 978_307_200_123
        let renamed: Int64 = 1_009_843_200_456
        _ = try await fixture.store.submit(
            CommandSubmission(
                [
                    .upsertAsset("t", .id(1), AssetAttributes(name: "one"), labels: ["x"]),
                    .ensureAsset("t", .id(2)),
                ], timestamp: created))
        _ = try await fixture.store.submit(
            CommandSubmission([.changeLabels("t", .id(1), .append(["y"]))], timestamp: relabeled))
        _ = try fixture.store.applyLogEntry(
            partition: 3, sequence: 1,
            submissions: [
                CommandSubmission([.updateLabel("t", LabelID(1), LabelUpdate(name: "x2"))], timestamp: renamed)
            ])
        let (one, two, x, y) = try #require(
            try await fixture.store.read { snapshot -> (Asset?, Asset?, Label?, Label?)? in
                guard let reader = try snapshot.namespace("t") else { return nil }
                return (
                    try reader.asset(.id(1)), try reader.asset(.id(2)), try reader.label(LabelID(1)),
                    try reader.label(LabelID(2))
                )
            })
        func milliseconds(_ date: Date?) -> Int64? { date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } }
        #expect(milliseconds(one?.createdAt) == created)
        #expect(milliseconds(one?.updatedAt) == relabeled)
        #expect(milliseconds(two?.createdAt) == created)
        #expect(milliseconds(two?.updatedAt) == created)
        #expect(milliseconds(x?.createdAt) == created)
        #expect(milliseconds(x?.updatedAt) == renamed)
        #expect(milliseconds(y?.createdAt) == relabeled)
        #expect(milliseconds(y?.updatedAt) == relabeled)
    }

    /// A submission is all or nothing: a failing command undoes the ones before it.
    @Test func aFailingCommandUndoesItsSubmission() async throws {
        let fixture = try TemporaryStore()
        let failure = await engineFailure {
            try await fixture.store.submit(
                CommandSubmission(
                    [
                        .createLabel("u", NewLabel(name: "made")),
                        .upsertAsset("u", .id(1), AssetAttributes(), labels: ["made"]),
                        .changeLabels("u", .id(99), .append(["made"])),
                    ], timestamp: 1))
        }
        #expect(failure?.index == 2)
        #expect(failure?.error == .assetNotFound(.id(99)))
        #expect(try await fixture.store.read { try $0.namespaces() } == [])
        let results = try await fixture.store.submit(
            CommandSubmission([.createLabel("u", NewLabel(name: "made"))], timestamp: 2))
        guard case .label(let label, _) = results.first else {
            Issue.record("createLabel answered \(results)")
            return
        }
        // The rolled-back submission used no label id (ids start at 1).
        #expect(label.id == LabelID(1))
    }

    /// A selector whose query does not parse fails its submission with the query's error.
    @Test func aSelectorWithABadQueryFails() async throws {
        let fixture = try TemporaryStore()
        _ = try await fixture.store.submit(CommandSubmission([.ensureAsset("q", .id(1))], timestamp: 1))
        do {
            _ = try await fixture.store.submit(
                CommandSubmission(
                    [.changeLabelsMatching("q", AssetSelector(query: "label:("), .append(["z"]))], timestamp: 2))
            Issue.record("a query that does not parse was applied")
        } catch let failure as CommandFailure {
            #expect(failure.index == 0)
            #expect(failure.underlying is QueryError, "\(failure.underlying)")
        }
        #expect(try await fixture.store.read { try $0.namespace("q")?.labelCount } == 0)
    }
}

extension Label {
    /// The label as a command result reports it: the count of assets at that moment.
    init(_ label: Label, assetCount: Int) {
        self = label
        self.assetCount = assetCount
    }
}
