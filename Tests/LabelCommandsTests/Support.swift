import Foundation
import LabelCommands
import LabelIndex
import LabelInterchange
import LabelTestSupport

extension TemporaryStore {
    /// Every namespace exported the way `labelindex export` writes it, namespace by namespace in
    /// name order, then every application value but the applied log sequences (keys from a zero
    /// byte), which only a replica has.
    func exported() throws -> String {
        var output: [UInt8] = []
        let namespaces = try store.read { try $0.namespaces() }.sorted { $0.name < $1.name }
        for namespace in namespaces {
            output.append(contentsOf: Array("# \(namespace.name)\n".utf8))
            let writer = NDJSONWriter { output.append(contentsOf: $0) }
            try Exporter(store: store, namespace: namespace).export(to: writer)
        }
        for entry in try store.read({ try $0.applicationEntries(withPrefix: []) }) where entry.key.first != 0 {
            output.append(contentsOf: Array("@ \(entry.key) = \(entry.value)\n".utf8))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// What export leaves out and apply assigns: every label's id and times, every asset's
    /// ordinal, per namespace.
    func identities() throws -> [String: [String]] {
        try store.read { snapshot in
            var result: [String: [String]] = [:]
            for namespace in try snapshot.namespaces() {
                guard let reader = try snapshot.namespace(namespace) else { continue }
                var lines = try reader.labels().map {
                    "label \($0.id) \($0.name) parent \(String(describing: $0.parent)) "
                        + "\($0.createdAt.timeIntervalSince1970) \($0.updatedAt.timeIntervalSince1970) n=\($0.assetCount)"
                }
                lines += try reader.assets(limit: Int.max).map { "asset \($0.ordinal) \($0.key)" }
                result[namespace.name] = lines
            }
            return result
        }
    }

    func verifyClean() throws -> Bool { try store.read { try $0.verify() }.isClean }
}

/// Holds the store's LMDB write lock on a thread of its own until `release()`, so the group
/// commit's writer thread blocks in its next transaction and later submissions queue up behind
/// it: the test then decides exactly which submissions share a commit.
final class WriteLockHolder: @unchecked Sendable {
    private let acquired = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(_ store: LabelStore) {
        let acquired = acquired
        let released = released
        let finished = finished
        Thread {
            try? store.write { _ in
                acquired.signal()
                released.wait()
            }
            finished.signal()
        }.start()
        acquired.wait()
    }

    func release() {
        released.signal()
        finished.wait()
    }
}

extension LabelStore {
    /// Submissions queued or being committed.
    var unansweredSubmissions: Int {
        let statistics = groupCommitStatistics
        return statistics.pending + statistics.committing
    }

    /// Waits (bounded: a hang guard, not a speed check) until `count` submissions are queued or
    /// being committed.
    func waitForPendingSubmissions(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while unansweredSubmissions < count {
            guard ContinuousClock.now < deadline else {
                throw TestFailure("only \(unansweredSubmissions) of \(count) submissions were queued")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Submits `submissions` so that they reach the queue in this order, while `holder` keeps the
    /// writer busy; returns once all are queued. The results arrive through the returned tasks.
    func enqueueInOrder(_ submissions: [CommandSubmission]) async throws -> [Task<[CommandResult], any Error>] {
        var tasks: [Task<[CommandResult], any Error>] = []
        let base = unansweredSubmissions
        for (index, submission) in submissions.enumerated() {
            tasks.append(Task { try await self.submit(submission) })
            try await waitForPendingSubmissions(base + index + 1)
        }
        return tasks
    }
}

/// The failing command's index and its engine error, when `outcome` is a `CommandFailure`
/// around a `LabelIndexError`.
func engineFailure(_ outcome: Result<[CommandResult], any Error>) -> (index: Int, error: LabelIndexError)? {
    guard case .failure(let failure as CommandFailure) = outcome, let error = failure.underlying as? LabelIndexError
    else { return nil }
    return (failure.index, error)
}

func engineFailure(_ body: () async throws -> [CommandResult]) async -> (index: Int, error: LabelIndexError)? {
    do { return engineFailure(.success(try await body())) } catch { return engineFailure(.failure(error)) }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Random values for the property tests: every case and every field of every command.
struct CommandGenerator {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    mutating func bool() -> Bool { Bool.random(using: &random) }
    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0..<values.count)] }
    mutating func maybe<T>(_ make: (inout CommandGenerator) -> T) -> T? { bool() ? make(&self) : nil }
    mutating func array<T>(_ range: Range<Int>, _ make: (inout CommandGenerator) -> T) -> [T] {
        (0..<int(range)).map { _ in make(&self) }
    }

    /// Text from ASCII, accents (precomposed and combining), CJK, emoji and control characters.
    mutating func text(_ lengths: Range<Int> = 0..<12) -> String {
        let alphabet: [String] = [
            "a", "Z", "0", " ", ":", "\"", "\\", "é", "e\u{301}", "ß", "漢", "字", "🏷️", "👩‍💻", "\u{0}", "\n", "\u{7F}",
            "\u{FFFF}", "𝄞",
        ]
        return array(lengths) { $0.pick(alphabet) }.joined()
    }

    mutating func uint64() -> UInt64 { random.next() }

    /// Any double but NaN (it never equals itself), including the extremes, both zeros and infinity.
    mutating func double() -> Double {
        switch int(0..<6) {
        case 0: return pick([0.0, -0.0, 1, -1, .greatestFiniteMagnitude, -.leastNonzeroMagnitude, .infinity])
        case 1: return Double(int(-1000..<1000)) / 8
        default:
            let value = Double(bitPattern: uint64())
            return value.isNaN ? 0.5 : value
        }
    }

    mutating func int64() -> Int64 {
        switch int(0..<3) {
        case 0: return pick([0, 1, -1, .max, .min])
        case 1: return Int64(int(-300..<300))
        default: return Int64(bitPattern: uint64())
        }
    }

    mutating func uint32() -> UInt32 { bool() ? UInt32(int(0..<300)) : UInt32(truncatingIfNeeded: uint64()) }

    mutating func namespace() -> Namespace { Namespace(text(0..<6)) }

    mutating func key() -> AssetKey { bool() ? .id(int64()) : .typed(type: text(), id: text()) }

    /// A time as the APIs make them (whole milliseconds since 1970), or any bit pattern.
    mutating func date() -> Date {
        bool()
            ? Date(timeIntervalSince1970: Double(int(-1 << 40..<1 << 42)) / 1000)
            : Date(timeIntervalSinceReferenceDate: double())
    }

    mutating func bytes(_ lengths: Range<Int> = 0..<20) -> [UInt8] {
        array(lengths) { UInt8(truncatingIfNeeded: $0.uint64()) }
    }

    mutating func assignment() -> LabelAssignment { LabelAssignment(text(), weight: maybe { $0.double() }) }

    mutating func change() -> LabelChange {
        switch int(0..<3) {
        case 0: .append(array(0..<4) { $0.assignment() })
        case 1: .replace(array(0..<4) { $0.assignment() })
        default: .remove(array(0..<4) { $0.text() })
        }
    }

    mutating func color() -> LabelColor { LabelColor(rgb: UInt32(int(0..<0x100_0000))) }

    mutating func labelID() -> LabelID { LabelID(uint32()) }

    mutating func filter() -> AttributeFilter {
        AttributeFilter(
            nameContains: maybe { $0.text() }, createdFrom: maybe { $0.int64() },
            createdBefore: maybe { $0.int64() }, notUpdatedSince: maybe { $0.int64() },
            stringMembers: array(0..<3) { $0.member() }, anyOfMembers: array(0..<3) { $0.member() },
            trueMembers: array(0..<3) { $0.text() })
    }

    mutating func member() -> AttributeFilter.Member {
        AttributeFilter.Member(key: text(), values: array(0..<3) { $0.text() })
    }

    mutating func selector() -> AssetSelector {
        AssetSelector(
            query: text(0..<30), integerKeysOnly: bool(), attributes: maybe { $0.filter() },
            ordinals: maybe {
                let lower = $0.uint32()
                return lower..<(lower + UInt32.random(in: 0...(UInt32.max - lower), using: &$0.random))
            })
    }

    /// One command of the case numbered `tag` (0..<WriteCommandCases.count).
    mutating func command(case tag: Int) -> WriteCommand {
        switch tag {
        case 0:
            .upsertAsset(
                namespace(), key(),
                AssetAttributes(
                    name: text(), assetType: maybe { $0.text() }, createdAt: maybe { $0.date() },
                    updatedAt: maybe { $0.date() }, metadata: maybe { $0.bytes() }),
                labels: maybe { $0.array(0..<4) { $0.assignment() } })
        case 1: .ensureAsset(namespace(), key())
        case 2: .deleteAsset(namespace(), key())
        case 3: .changeLabels(namespace(), key(), change())
        case 4:
            .createLabel(
                namespace(),
                NewLabel(
                    name: text(), color: maybe { $0.color() }, parent: maybe { $0.labelID() },
                    weight: maybe { $0.double() }))
        case 5:
            .updateLabel(
                namespace(), labelID(),
                LabelUpdate(
                    name: maybe { $0.text() }, color: maybe { $0.color() },
                    parent: maybe { $0.bool() ? .root : .label($0.labelID()) },
                    weight: maybe { $0.maybe { $0.double() } }))
        case 6: .setLabelWeight(namespace(), name: text(), weight: maybe { $0.double() })
        case 7: .deleteLabel(namespace(), labelID())
        case 8: .link(namespace(), labelID(), array(0..<5) { $0.key() }, createMissingAssets: bool())
        case 9: .unlink(namespace(), labelID(), array(0..<5) { $0.key() })
        case 10: .changeLabelsMatching(namespace(), selector(), change())
        case 11: .setApplicationValue(key: bytes(), value: maybe { $0.bytes() })
        default: .removeApplicationValue(key: bytes())
        }
    }

    static let caseCount = 13

    mutating func submission() -> CommandSubmission {
        CommandSubmission(
            commands: array(0..<5) { $0.command(case: $0.int(0..<CommandGenerator.caseCount)) },
            namespace: maybe { $0.namespace() }, timestamp: int64(), idempotencyKey: maybe { $0.text() })
    }
}
