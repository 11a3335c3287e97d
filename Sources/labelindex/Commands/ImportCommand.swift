import ArgumentParser
import Foundation
import LabelCommandLine
import LabelIndex
import LabelInterchange

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load NDJSON or CSV files of assets and label definitions.",
        discussion: """
            Each asset line gives the asset's whole state: importing it makes the asset carry \
            exactly the listed labels, so importing a file twice changes nothing. Label \
            definition lines (colors, parents, weights) may be in the same file or in their own; \
            put them before the assets that use them. The format is described in \
            Sources/LabelInterchange/LabelInterchange.docc/FORMAT.md.

            With --on-error skip (the default) bad lines are reported and skipped, and the \
            import commits every --batch-size assets. With --on-error stop the whole import is \
            one transaction: the first bad line stops it and nothing is written.

            Examples:
              labelindex import labels.ndjson assets.ndjson
              labelindex import --on-error stop --namespace acme/default export.ndjson
              labelindex import --format csv assets.txt
            """)

    enum FormatChoice: String, ExpressibleByArgument, CaseIterable {
        case ndjson
        case csv
    }

    enum ErrorPolicyChoice: String, ExpressibleByArgument, CaseIterable {
        case skip
        case stop
    }

    @OptionGroup var store: StoreOptions
    @OptionGroup var namespace: NamespaceOption

    @Option(help: "The file format; by default .csv files are CSV and everything else NDJSON.")
    var format: FormatChoice?

    @Option(name: .customLong("on-error"), help: "skip: report bad lines and import the rest; stop: import nothing.")
    var onError: ErrorPolicyChoice = .skip

    @Option(name: .customLong("batch-size"), help: "Assets per transaction with --on-error skip.")
    var batchSize: Int = ImportConfiguration().batchSize

    @Option(name: .customLong("max-errors"), help: "Bad lines to print (all are counted).")
    var maximumPrintedErrors: Int = 20

    @Flag(name: .customLong("no-progress"), help: "Do not show progress.")
    var hidesProgress = false

    @Argument(
        help: "The files to import, in order.", completion: .file(extensions: ["ndjson", "jsonl", "json", "csv"]))
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one file to import.") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive.") }
        guard maximumPrintedErrors >= 0 else { throw ValidationError("--max-errors must not be negative.") }
    }

    func run() throws {
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            throw CommandFailure.badInput("cannot read \(file): no such readable file")
        }
        let labelStore = try store.openForWriting()
        var configuration = ImportConfiguration()
        configuration.namespace = namespace.namespace
        configuration.onError = onError == .stop ? .stop : .skip
        configuration.format = format.map { $0 == .csv ? .csv : .ndjson }
        configuration.batchSize = batchSize
        configuration.maximumReportedErrors = maximumPrintedErrors
        let display = hidesProgress ? nil : ImportProgressDisplay()
        let report: ImportReport
        do {
            report = try Importer(store: labelStore, configuration: configuration).importFiles(
                files, progress: display.map { display in { display.update($0) } })
        } catch {
            display?.finish()
            throw error
        }
        display?.finish()
        printErrors(of: report)
        Console.error(summary(of: report))
        if report.badLines > 0 { throw CommandFailure(.skippedLines, "") }
    }

    private func printErrors(of report: ImportReport) {
        guard report.badLines > 0 else { return }
        for error in report.errors.prefix(maximumPrintedErrors) { Console.error("\(error)") }
        let shown = min(report.errors.count, maximumPrintedErrors)
        if report.badLines > shown {
            Console.error("… and \(Formatting.count(report.badLines - shown)) more bad lines")
        }
    }

    private func summary(of report: ImportReport) -> String {
        let seconds = max(report.seconds, 1e-9)
        var lines = [
            "imported \(Formatting.count(report.assets)) assets (\(Formatting.count(report.assetsCreated)) created, "
                + "\(Formatting.count(report.assetsUpdated)) updated, \(Formatting.count(report.assetsUnchanged)) unchanged) "
                + "into namespace \(namespace.name)",
            "labels: \(Formatting.count(report.labelsDefined)) definitions read, \(Formatting.count(report.labelsCreated)) labels created",
            "\(Formatting.count(report.lines)) lines, \(Formatting.bytes(report.bytes)) in \(String(format: "%.2f", report.seconds)) s "
                + "(\(Formatting.rate(Double(report.assets) / seconds, "assets")), "
                + "\(Formatting.bytes(Int(Double(report.bytes) / seconds)))/s)",
        ]
        if report.badLines > 0 {
            lines.append("\(Formatting.count(report.badLines)) bad lines skipped")
        }
        return lines.joined(separator: "\n")
    }
}

/// The import's progress: bytes against the files' total size, assets per second and an ETA.
/// Runs in the importer's progress callback (every few thousand lines), so it only reads the
/// clock unless a redraw is due.
final class ImportProgressDisplay {
    private let reporter = ProgressReporter(label: "import")

    func update(_ progress: ImportProgress) {
        guard reporter.isDue else { return }
        let elapsed = reporter.elapsedSeconds
        let fraction = progress.totalBytes.flatMap { total in
            total > 0 ? Double(progress.bytesRead) / Double(total) : nil
        }
        var status =
            "\(Formatting.count(progress.assets)) assets  \(Formatting.rate(Double(progress.assets) / max(elapsed, 1e-9), "assets"))"
        if progress.badLines > 0 { status += "  \(Formatting.count(progress.badLines)) bad lines" }
        if let fraction, fraction > 0 {
            status += "  ETA \(Formatting.clock(elapsed * (1 - fraction) / fraction))"
        }
        reporter.show(fraction: fraction, status: status)
    }

    func finish() { reporter.finish() }
}
