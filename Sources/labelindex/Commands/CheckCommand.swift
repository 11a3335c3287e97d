import ArgumentParser
import LabelCommandLine
import LabelIndex

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Cross-check every index of the store and report inconsistencies.",
        discussion: """
            Compares keys with records, record labels with postings, postings with counts, \
            names with labels, parents with children, and the namespace totals. Reads the whole \
            store in one snapshot. Exits with status 3 when anything is inconsistent.

            Example:
              labelindex check --data-dir /var/lib/labelindex
            """)

    @OptionGroup var store: StoreOptions

    func run() throws {
        let labelStore = try store.openExisting()
        let report = try labelStore.read { try $0.verify() }
        Console.output(report.description)
        if !report.isClean {
            throw CommandFailure(
                .inconsistent,
                "error: the store has \(report.inconsistencies.count)\(report.truncated ? "+" : "") inconsistencies")
        }
    }
}
