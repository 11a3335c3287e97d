import Foundation
import Testing

@testable import LabelQuery

/// Parses `text`, returning the error or `nil` when it parses.
func syntaxError(_ text: String, limits: QueryLimits = QueryLimits()) -> QuerySyntaxError? {
    do {
        _ = try QueryParser(limits: limits).parse(text)
        return nil
    } catch {
        return error
    }
}

/// Lines of a file in `Grammar/corpus/`, with comments and blank lines removed and the Control
/// Pictures escapes (`␉` for a tab, `␊` for a line feed, U+2400 + n for U+0000 + n, `␡` for DEL)
/// decoded. Each element carries its 1-based line number for failure messages.
enum Corpus {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // LabelQueryTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("Grammar")

    static func rows(_ name: String) throws -> [(line: Int, fields: [String])] {
        let url = directory.appendingPathComponent("corpus").appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [(line: Int, fields: [String])] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { decode(String($0)) }
            rows.append((index + 1, fields))
        }
        return rows
    }

    static func decode(_ field: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in field.unicodeScalars {
            switch scalar.value {
            case 0x2400...0x241F: result.append(Unicode.Scalar(scalar.value - 0x2400)!)
            case 0x2421: result.append(Unicode.Scalar(0x7F))
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
