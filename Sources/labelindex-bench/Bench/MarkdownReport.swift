import Foundation

/// The report as Markdown, ready to paste into the README.
enum MarkdownReport {
    static func render(_ report: BenchReport) -> String {
        var lines = ["## \(report.headline)", "", report.settingsNote, ""]
        for section in report.sections {
            lines += ["### \(section.title)", ""]
            if !section.notes.isEmpty { lines += section.notes + [""] }
            lines.append("| " + section.columns.map(\.title).joined(separator: " | ") + " |")
            lines.append(
                "| " + section.columns.map { $0.alignment == .right ? "---:" : "---" }.joined(separator: " | ") + " |")
            for row in section.rows {
                lines.append(
                    "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
            }
            lines.append("")
        }
        lines.append("![Latency per query shape](latency.svg)")
        return lines.joined(separator: "\n") + "\n"
    }
}
