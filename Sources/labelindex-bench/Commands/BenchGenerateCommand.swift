import ArgumentParser
import Foundation
import LabelBench
import LabelCommandLine

struct BenchGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded label workload: assets, labels, queries and a write mix.",
        discussion: """
            Equal parameters give byte-identical files on every machine. The directory gets \
            assets.ndjson and labels.ndjson (importable with `labelindex import`), queries.tsv \
            (one query per shape), writes.tsv (add/remove operations) and workload.json.

            Example:
              labelindex-bench generate --assets 1000000 --labels 2000 --seed 42 --out /tmp/wl
            """)

    @Option(help: "Number of assets.")
    var assets: Int = WorkloadSpec().assets

    @Option(help: "Number of labels (at least 64).")
    var labels: Int = WorkloadSpec().labels

    @Option(help: "The seed of every random choice.")
    var seed: UInt64 = WorkloadSpec().seed

    @Option(name: .customLong("mean-labels"), help: "Mean labels per asset.")
    var meanLabelsPerAsset: Double = WorkloadSpec().meanLabelsPerAsset

    @Option(help: "Lines of writes.tsv.")
    var writes: Int = WorkloadSpec().writeOperations

    @Option(help: "The directory to write (created when missing).", completion: .directory)
    var out: String

    func run() throws {
        let spec = WorkloadSpec(
            assets: assets, labels: labels, meanLabelsPerAsset: meanLabelsPerAsset, seed: seed, writeOperations: writes)
        let clock = ContinuousClock()
        let start = clock.now
        let workload = try Workload.generate(spec)
        let directory = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try workload.write(to: directory)
        let seconds = BenchRunner.seconds(clock.now - start)
        Console.output(
            "wrote \(Formatting.count(workload.assets.count)) assets, \(Formatting.count(workload.labels.count)) labels, "
                + "\(Formatting.count(workload.pairCount)) pairs, \(Formatting.count(workload.writeOperations.count)) writes "
                + "to \(directory.path) in \(String(format: "%.1f", seconds)) s")
        Console.output(
            WorkloadFile.allCases.map { "  " + directory.appending(path: $0.rawValue).path }.joined(separator: "\n"))
    }
}
