extension QuerySyntaxError {
    /// A multi-line rendering for terminals: the message, the query line with the span underlined
    /// (`^~~~`), and the hint.
    ///
    ///     error: unknown field `lable`; did you mean `label`?
    ///       lable:x AND label:y
    ///       ^~~~~
    ///     hint: the fields are `label:`, `under:`, `has:`, `no:` and `asset:`
    ///
    /// Multi-line queries show the line of the error with its number; lines wider than `width`
    /// `Character`s show a window around the span, cut with `…`. Tabs and control characters are
    /// shown as one column each so that the caret stays aligned.
    ///
    /// - Parameters:
    ///   - query: the query this error was thrown for.
    ///   - width: the most `Character`s of the query line to show.
    public func rendered(for query: String, width: Int = 100) -> String {
        var lines = ["error: " + message]
        let bytes = Array(query.utf8)
        if offset <= bytes.count {
            lines += excerpt(of: bytes, width: max(width, 10))
        }
        if let hint { lines.append("hint: " + hint) }
        return lines.joined(separator: "\n")
    }

    private func excerpt(of bytes: [UInt8], width: Int) -> [String] {
        var lineStart = offset
        while lineStart > 0 && bytes[lineStart - 1] != QueryCharacters.lineFeed { lineStart -= 1 }
        var lineEnd = offset
        while lineEnd < bytes.count && bytes[lineEnd] != QueryCharacters.lineFeed { lineEnd += 1 }
        let lineText = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        let lineLength = lineText.count

        let start = column - 1
        let end = min(max(endColumn - 1, start + 1), max(lineLength, start + 1))
        let windowStart = lineLength > width ? max(0, min(start - width / 3, lineLength - width)) : 0
        let windowEnd = min(lineLength, windowStart + width)

        let first = lineText.index(lineText.startIndex, offsetBy: windowStart)
        let last = lineText.index(first, offsetBy: windowEnd - windowStart)
        var shown = (windowStart > 0 ? "…" : "") + Self.displayable(lineText[first..<last])
        if windowEnd < lineLength { shown += "…" }

        let caretColumn = start - windowStart + (windowStart > 0 ? 1 : 0)
        let tildes = max(0, min(end, max(windowEnd, start + 1)) - start - 1)
        let underline = String(repeating: " ", count: caretColumn) + "^" + String(repeating: "~", count: tildes)

        guard bytes.contains(QueryCharacters.lineFeed) else { return ["  " + shown, "  " + underline] }
        let number = String(line)
        let gutter = String(repeating: " ", count: number.count)
        return [" \(number) | \(shown)", " \(gutter) | \(underline)"]
    }

    /// One printable `Character` per `Character`, so columns line up.
    private static func displayable(_ text: Substring) -> String {
        var result = ""
        for character in text {
            if character == "\t" {
                result.append(" ")
            } else if character.unicodeScalars.contains(where: QueryCharacters.isControl)
                || character.unicodeScalars.contains(where: { QueryCharacters.isWhitespace($0) && $0 != " " })
            {
                result.append("\u{FFFD}")
            } else {
                result.append(character)
            }
        }
        return result
    }
}
