import Foundation
import LabelCommandLine

/// The lines of a benchmark input file (`queries.tsv`, a writes file): CRLF or LF, blank lines
/// and lines starting with `#` skipped, each with its 1-based line number for error messages.
enum TabSeparatedLines {
    static func read(_ path: String) throws -> [(number: Int, text: Substring)] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CommandFailure.badInput("cannot read \(path): \(error.localizedDescription)")
        }
        var lines: [(number: Int, text: Substring)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if content.trimmingCharacters(in: .whitespaces).isEmpty || content.hasPrefix("#") { continue }
            lines.append((index + 1, content))
        }
        return lines
    }
}
