import Foundation
import LabelCommandLine

/// The report as plain-text tables for the terminal.
enum TerminalReport {
    static func render(_ report: BenchReport) -> String {
        var blocks = [report.headline, report.settingsNote]
        for section in report.sections {
            var table = Table(section.columns)
            for row in section.rows { table.append(row.map { $0.replacingOccurrences(of: "`", with: "") }) }
            blocks.append(([section.title.uppercased()] + section.notes + [table.rendered]).joined(separator: "\n"))
        }
        return blocks.joined(separator: "\n\n")
    }
}
