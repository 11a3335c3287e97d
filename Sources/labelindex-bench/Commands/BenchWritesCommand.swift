import ArgumentParser
import Foundation
import LMDB
import LabelBench
import LabelCommandLine
import LabelIndex

struct BenchWritesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "writes",
        abstract: "Time single label adds and removes, each its own transaction, from a file of pairs.",
        discussion: """
            Reads `GROUP<TAB>ASSET_ID<TAB>LABEL` lines (blank lines and lines starting with # are \
            skipped): GROUP names a kind of write (say `rand` for random labels, `pop` for one \
            popular label), ASSET_ID is an existing asset (123 or type:id) and LABEL a label it \
            does not carry yet. Every pair is checked before anything is written. Labels that do \
            not exist are created first and deleted at the end, untimed. Then each pair is added \
            in its own write transaction, in file order, and afterwards removed the same way, so \
            the store ends as it began. Each timing is one `LabelStore.write` call as an \
            embedding program makes it: the commit included (with --durability durable, its \
            fsync). Prints per group the median, p99 and mean of adds and of removes; with \
            --json the fields are `add_ns` and `remove_ns` (nanoseconds). Beside each add and remove, in the \
            same run, a bare LMDB commit of one 8-byte value with the same durability, in a \
            scratch environment inside the data directory (the same disk), is timed too: the \
            floor of any single write (`bare_commit_ns`), and each group's median add and \
            remove as a multiple of it (`add_per_bare_commit`, `remove_per_bare_commit`).

            Example:
              labelindex-bench writes --data-dir ./data --writes pairs.tsv --durability no-sync --json
            """)

    enum DurabilityChoice: String, ExpressibleByArgument, CaseIterable {
        case durable
        case noSync = "no-sync"

        var durability: Durability { self == .durable ? .durable : .noSync }
    }

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Option(help: "The file of GROUP<TAB>ASSET_ID<TAB>LABEL lines.", completion: .file(extensions: ["tsv"]))
    var writes: String

    @Option(help: "How each commit reaches the disk.")
    var durability: DurabilityChoice = .durable

    @Flag(help: "Print JSON.")
    var json = false

    struct Pair {
        var group: String
        var key: AssetKey
        var label: String
    }

    struct GroupResult: Encodable {
        var group: String
        var pairs: Int
        var add: BenchReport.Latency
        var remove: BenchReport.Latency
        var addPerBareCommit: Double
        var removePerBareCommit: Double

        private enum CodingKeys: String, CodingKey {
            case group, pairs
            case add = "add_ns"
            case remove = "remove_ns"
            case addPerBareCommit = "add_per_bare_commit"
            case removePerBareCommit = "remove_per_bare_commit"
        }
    }

    struct Report: Encodable {
        var durability: String
        var bareCommit: BenchReport.Latency
        var groups: [GroupResult]

        private enum CodingKeys: String, CodingKey {
            case durability, groups
            case bareCommit = "bare_commit_ns"
        }
    }

    func run() throws {
        let pairs = try readPairs()
        let labelStore = try store.openExisting(durability: durability.durability)
        let namespace = namespace.namespace
        let created = try prepare(pairs, in: labelStore, namespace: namespace)
        let clock = ContinuousClock()
        let bare = try BareCommits(beside: store.dataDirectory, durability: durability.durability)
        defer { bare.remove() }
        var bareCommits: [Int64] = []
        func timed(_ change: (Pair) -> LabelChange) throws -> [Int64] {
            try pairs.map { pair in
                let start = clock.now
                try labelStore.write { try $0.namespace(namespace).apply(change(pair), to: pair.key) }
                let elapsed = LatencySample.nanoseconds(clock.now - start)
                bareCommits.append(try bare.timedCommit(clock))
                return elapsed
            }
        }
        let adds = try timed { .append([LabelAssignment($0.label)]) }
        let removes = try timed { .remove([$0.label]) }
        let floor = LatencySample(nanoseconds: bareCommits)
        if !created.isEmpty {
            try labelStore.write { writer in
                let writer = try writer.namespace(namespace)
                for id in created { _ = try writer.deleteLabel(id) }
            }
        }
        var order: [String] = []
        var byGroup: [String: (adds: [Int64], removes: [Int64])] = [:]
        for (index, pair) in pairs.enumerated() {
            if byGroup[pair.group] == nil { order.append(pair.group) }
            byGroup[pair.group, default: ([], [])].adds.append(adds[index])
            byGroup[pair.group, default: ([], [])].removes.append(removes[index])
        }
        let groups = order.map { group in
            let timings = byGroup[group]!
            let add = LatencySample(nanoseconds: timings.adds)
            let remove = LatencySample(nanoseconds: timings.removes)
            return GroupResult(
                group: group, pairs: timings.adds.count, add: .init(add), remove: .init(remove),
                addPerBareCommit: add.median / floor.median, removePerBareCommit: remove.median / floor.median)
        }
        if json {
            try JSONPrinting.print(Report(durability: durability.rawValue, bareCommit: .init(floor), groups: groups))
        } else {
            var table = Table([
                .init("group"), .init("pairs", .right), .init("add median", .right), .init("add p99", .right),
                .init("add mean", .right), .init("remove median", .right), .init("remove p99", .right),
                .init("remove mean", .right), .init("add ÷ bare", .right), .init("remove ÷ bare", .right),
            ])
            for result in groups {
                table.append(
                    [result.group, Formatting.count(result.pairs)]
                        + [result.add, result.remove].flatMap { latency in
                            [
                                Formatting.nanoseconds(latency.median), Formatting.nanoseconds(Double(latency.p99)),
                                Formatting.nanoseconds(latency.mean),
                            ]
                        }
                        + [result.addPerBareCommit, result.removePerBareCommit].map { String(format: "%.2f×", $0) })
            }
            Console.output(
                "durability: \(durability.rawValue)\n"
                    + "bare LMDB commit of one 8-byte value: median \(Formatting.nanoseconds(floor.median)), "
                    + "p99 \(Formatting.nanoseconds(Double(floor.p99)))\n" + table.rendered)
        }
    }

    /// Checks every pair against the store (the asset exists and lacks the label, no pair twice)
    /// and creates the labels that are missing; returns the created labels' ids.
    private func prepare(_ pairs: [Pair], in store: LabelStore, namespace: Namespace) throws -> [LabelID] {
        try store.read { snapshot in
            guard let reader = try snapshot.namespace(namespace) else {
                throw CommandFailure.badInput("namespace \(namespace) holds no assets")
            }
            var seen = Set<String>()
            for (index, pair) in pairs.enumerated() {
                guard let labels = try reader.labels(of: pair.key) else {
                    throw CommandFailure.badInput("\(writes): pair \(index + 1): no asset \(pair.key)")
                }
                let labelID = try reader.labelID(named: pair.label)
                guard !labels.contains(where: { $0.id == labelID }) else {
                    throw CommandFailure.badInput(
                        "\(writes): pair \(index + 1): asset \(pair.key) already carries \(pair.label)")
                }
                guard seen.insert("\(pair.key)\t\(pair.label)").inserted else {
                    throw CommandFailure.badInput(
                        "\(writes): pair \(index + 1): \(pair.key) and \(pair.label) appear twice")
                }
            }
        }
        let names = Array(Set(pairs.map(\.label))).sorted()
        return try store.write { writer in
            let writer = try writer.namespace(namespace)
            return try names.filter { try writer.labelID(named: $0) == nil }.map {
                try writer.createLabel(NewLabel(name: $0)).id
            }
        }
    }

    private func readPairs() throws -> [Pair] {
        let pairs = try TabSeparatedLines.read(writes).map { number, line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, !fields[0].isEmpty, !fields[2].isEmpty else {
                throw CommandFailure.badInput("\(writes):\(number): expected GROUP<TAB>ASSET_ID<TAB>LABEL")
            }
            guard let key = AssetKeyArgument(argument: String(fields[1]))?.key else {
                throw CommandFailure.badInput(
                    "\(writes):\(number): \"\(fields[1])\" is not an asset id (123 or type:id)")
            }
            return Pair(group: String(fields[0]), key: key, label: String(fields[2]))
        }
        guard !pairs.isEmpty else { throw CommandFailure.badInput("\(writes) holds no pairs") }
        return pairs
    }
}

/// The floor of a single write: one small value put and committed in its own transaction, in a
/// scratch LMDB environment with the store's durability, inside the store's directory so that
/// its fsync goes to the same disk.
struct BareCommits {
    let path: String
    let environment: Environment
    let database: Database

    init(beside dataDirectory: String, durability: Durability) throws {
        path = dataDirectory + "/bench-bare-commit-\(getpid())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var options = Environment.Options()
        options.mapSize = 1 << 24
        options.durability = durability
        environment = try Environment(path: path, options: options)
        database = try environment.write { try $0.openDatabase(named: nil, flags: []) }
    }

    /// One commit of an 8-byte value under an 8-byte key (overwritten each time, so the file
    /// stays a few pages), timed from the transaction's start to the commit's return.
    func timedCommit(_ clock: ContinuousClock) throws -> Int64 {
        let start = clock.now
        try environment.write { transaction in
            let value = [UInt8](repeating: 1, count: 8)
            try transaction.put(value, in: database, forKey: Array("bare-key".utf8))
        }
        return LatencySample.nanoseconds(clock.now - start)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
