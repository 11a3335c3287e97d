import ArgumentParser
import Foundation
import LabelBench
import LabelCommandLine
import LabelIndex

struct BenchVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Time verify() (what `labelindex check` runs) on generated stores of two sizes.",
        discussion: """
            Builds a store of --labels labels (one in ten a child of an earlier top-level label, \
            the rest top-level, as labels appended over HTTP are) and --pairs label assignments \
            over --assets assets, and a store of a quarter of each, in a scratch directory. On \
            each it times one pass over every entry of every database (the floor: every value \
            byte read once, nothing decoded) and `Snapshot.verify()`, in the same run. A linear \
            check costs the same per entry at both sizes: `growth` is the full store's verify \
            time per entry over the quarter store's (1.0 is linear; the full store has more \
            than 4x the entries, as its labels' members spread over more blocks).

            Example:
              labelindex-bench verify --labels 1000000 --pairs 10000000 --json
            """)

    @Option(help: "Labels in the full store.")
    var labels = 1_000_000

    @Option(help: "Assets in the full store.")
    var assets = 1_000_000

    @Option(help: "Label assignments (asset, label pairs) in the full store.")
    var pairs = 10_000_000

    @Option(help: "The seed of every random choice.")
    var seed: UInt64 = 42

    @Option(help: "Where to build the stores (a fresh scratch directory under it, removed at the end).")
    var scratch = FileManager.default.temporaryDirectory.path

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard labels >= 4, assets >= 4 else { throw ValidationError("--labels and --assets must be at least 4.") }
        guard pairs >= assets, pairs / assets <= labels else {
            throw ValidationError("--pairs must be between --assets and --assets x --labels.")
        }
    }

    struct Run: Encodable {
        var labels: Int
        var assets: Int
        var pairs: Int
        var entries: Int
        var bytes: Int
        var loadSeconds: Double
        var scanSeconds: Double
        var verifySeconds: Double
        /// verify over the scan of the same store.
        var verifyToScan: Double

        private enum CodingKeys: String, CodingKey {
            case labels, assets, pairs, entries, bytes
            case loadSeconds = "load_s"
            case scanSeconds = "scan_s"
            case verifySeconds = "verify_s"
            case verifyToScan = "verify_to_scan"
        }
    }

    struct Report: Encodable {
        var quarter: Run
        var full: Run
        /// Verify time per entry, full store over quarter store: 1.0 when verify is linear.
        var growth: Double
    }

    func run() throws {
        let directory = URL(fileURLWithPath: scratch).appending(path: "labelindex-bench-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let quarter = try measure(
            labels: labels / 4, assets: assets / 4, pairs: pairs / 4, at: directory.appending(path: "quarter"))
        let full = try measure(labels: labels, assets: assets, pairs: pairs, at: directory.appending(path: "full"))
        let report = Report(
            quarter: quarter, full: full,
            growth: (full.verifySeconds / Double(full.entries)) / (quarter.verifySeconds / Double(quarter.entries)))
        if json {
            try JSONPrinting.print(report)
        } else {
            var table = Table([
                .init("store"), .init("labels", .right), .init("pairs", .right), .init("entries", .right),
                .init("load", .right), .init("scan", .right), .init("verify", .right), .init("verify/scan", .right),
            ])
            for (name, run) in [("quarter", quarter), ("full", full)] {
                table.append([
                    name, Formatting.count(run.labels), Formatting.count(run.pairs), Formatting.count(run.entries),
                    String(format: "%.2f s", run.loadSeconds), String(format: "%.2f s", run.scanSeconds),
                    String(format: "%.2f s", run.verifySeconds), String(format: "%.1fx", run.verifyToScan),
                ])
            }
            Console.output(
                table.rendered + "\n"
                    + String(
                        format: "growth of verify time per entry, full over quarter (1.0 = linear): %.2f", report.growth
                    ))
        }
    }

    /// Builds one store and times the scan and `verify()` on it; fails when verify finds anything.
    private func measure(labels: Int, assets: Int, pairs: Int, at directory: URL) throws -> Run {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var options = LabelStore.Options()
        options.durability = .noSync
        let store = try LabelStore(path: directory.path, options: options)
        let clock = ContinuousClock()
        let loadStart = clock.now
        try load(store, labels: labels, assets: assets, pairs: pairs)
        let loadSeconds = BenchRunner.seconds(clock.now - loadStart)
        // The scan first also brings the file into the page cache for both timings.
        var scanned = try store.read { try $0.scanEveryEntry() }
        var scanSeconds = Double.infinity
        for _ in 0..<2 {
            let start = clock.now
            scanned = try store.read { try $0.scanEveryEntry() }
            scanSeconds = min(scanSeconds, BenchRunner.seconds(clock.now - start))
        }
        let verifyStart = clock.now
        let verification = try store.read { try $0.verify() }
        let verifySeconds = BenchRunner.seconds(clock.now - verifyStart)
        guard verification.isClean, verification.labelsChecked == labels, verification.assetsChecked == assets else {
            throw CommandFailure(.inconsistent, "error: verify of the generated store: \(verification)")
        }
        return Run(
            labels: labels, assets: assets, pairs: pairs, entries: scanned.entries, bytes: scanned.bytes,
            loadSeconds: loadSeconds, scanSeconds: scanSeconds, verifySeconds: verifySeconds,
            verifyToScan: verifySeconds / scanSeconds)
    }

    /// `labels` labels, one in ten under an earlier top-level one, and `assets` assets carrying
    /// `pairs` labels in all (distinct per asset, uniformly chosen).
    private func load(_ store: LabelStore, labels: Int, assets: Int, pairs: Int) throws {
        var random = Xoshiro256StarStar(seed: seed)
        try store.write { writer in
            let loader = try writer.bulkLoader(for: .default)
            var ids: [LabelID] = []
            ids.reserveCapacity(labels)
            var topLevel: [String] = []
            for index in 0..<labels {
                let name = "l\(index)"
                let parent = index % 10 == 9 ? topLevel[Int(random.bounded(UInt64(topLevel.count)))] : nil
                ids.append(try loader.defineLabel(named: name, color: nil, parentName: parent, weight: nil))
                if parent == nil { topLevel.append(name) }
            }
            var chosen = Set<Int>()
            for asset in 0..<assets {
                let count = pairs / assets + (asset < pairs % assets ? 1 : 0)
                chosen.removeAll(keepingCapacity: true)
                while chosen.count < count { chosen.insert(Int(random.bounded(UInt64(labels)))) }
                try loader.add(.id(Int64(asset)), AssetAttributes(), labels: chosen.sorted().map { (ids[$0], nil) })
            }
            try loader.finish()
        }
    }
}
