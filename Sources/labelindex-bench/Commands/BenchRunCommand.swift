import ArgumentParser
import Foundation
import LabelCommandLine

struct BenchRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Measure a generated workload on LabelIndex, SQLite and the in-memory floor.",
        discussion: """
            Loads the workload into a fresh durable LabelIndex store (through the importer, from \
            the NDJSON files) and into SQLite, in temporary directories removed afterwards. \
            Before timing anything it checks that LabelIndex, SQLite and the floor return the \
            same count and first page for every query, and exits with status 3 when they do \
            not. Then it measures count and first-page latency per query shape, single add and \
            remove latency (LabelIndex durable and no-sync, SQLite), and the throughput of \
            N reader threads beside one writer.

            Writes to --out (default DIR/report): report.json, report.md (Markdown for the \
            README) and latency.svg (a chart to open in a browser), and prints the tables.

            Example:
              labelindex-bench run /tmp/wl --readers 2 --repeat 200
            """)

    @Argument(help: "The workload directory (from `bench generate`).", completion: .directory)
    var directory: String

    @Option(help: "Reader threads in the mixed read/write measurement.")
    var readers: Int = max(ProcessInfo.processInfo.activeProcessorCount, 1)

    @Option(name: .customLong("repeat"), help: "Calls timed per latency measurement.")
    var repeatCount: Int = 100

    @Option(name: .customLong("max-seconds"), help: "Stop a latency measurement after this long (at least 5 calls).")
    var secondsPerMeasurement: Double = 1

    @Option(help: "Operations of writes.tsv timed as single writes on each system.")
    var writes: Int = 1_000

    @Option(name: .customLong("mixed-seconds"), help: "Length of the mixed read/write run of each system.")
    var mixedSeconds: Double = 3

    @Option(help: "The directory for report.json, report.md and latency.svg.", completion: .directory)
    var out: String?

    func validate() throws {
        guard readers > 0 else { throw ValidationError("--readers must be positive.") }
        guard repeatCount > 0 else { throw ValidationError("--repeat must be positive.") }
        guard secondsPerMeasurement > 0, mixedSeconds > 0 else {
            throw ValidationError("--max-seconds and --mixed-seconds must be positive.")
        }
        guard writes >= 0 else { throw ValidationError("--writes must not be negative.") }
    }

    func run() throws {
        let workloadDirectory = URL(fileURLWithPath: directory)
        guard FileManager.default.fileExists(atPath: workloadDirectory.appending(path: "workload.json").path) else {
            throw CommandFailure.badInput(
                "\(directory) is not a workload directory (no workload.json); see `bench generate`")
        }
        let report = try BenchRunner(
            settings: .init(
                directory: workloadDirectory, readers: readers, repeatCount: repeatCount,
                secondsPerMeasurement: secondsPerMeasurement, writeOperations: writes, mixedSeconds: mixedSeconds)
        ).run()
        let outDirectory = out.map { URL(fileURLWithPath: $0) } ?? workloadDirectory.appending(path: "report")
        try FileManager.default.createDirectory(at: outDirectory, withIntermediateDirectories: true)
        let files = [
            ("report.json", try JSONPrinting.encoder().encode(report)),
            ("report.md", Data(MarkdownReport.render(report).utf8)),
            ("latency.svg", Data(SVGChart(report: report).rendered.utf8)),
        ]
        for (name, data) in files { try data.write(to: outDirectory.appending(path: name)) }
        Console.output(TerminalReport.render(report))
        Console.output("")
        Console.output("reports: " + files.map { outDirectory.appending(path: $0.0).path }.joined(separator: ", "))
    }
}
