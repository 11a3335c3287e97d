/// Why a query could not be parsed, where, and how to fix it.
///
/// Positions are given twice: as UTF-8 byte offsets (`offset`, `length`) for programs, and as
/// 1-based `line`, `column` and `endColumn` counted in `Character`s for people and carets.
/// `rendered(for:)` formats the error for a terminal.
public struct QuerySyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let kind: Kind
    /// The byte offset of the span in the UTF-8 query.
    public let offset: Int
    /// The byte length of the span; 0 when something is missing at `offset`.
    public let length: Int
    /// The 1-based line of `offset`; lines end at line feeds.
    public let line: Int
    /// The 1-based column of `offset` within its line, in `Character`s.
    public let column: Int
    /// The column just past the span (exclusive), so `endColumn - column` is the span's width in
    /// `Character`s, counted as if the span were on one line.
    public let endColumn: Int
    /// The offending text: the span, shortened with `…` when it is longer than 120 bytes.
    public let fragment: String
    /// A one-line description of the problem.
    public let message: String
    /// A short human list of what would have been valid at `offset`.
    public let expected: String
    /// A suggestion that fixes or explains the problem, when there is one.
    public let hint: String?

    /// A one-line description with the position, e.g. `column 7: expected a label name after …`.
    public var description: String {
        line == 1 ? "column \(column): \(message)" : "line \(line), column \(column): \(message)"
    }

    init(kind: Kind, offset: Int, length: Int, hint: String?, in bytes: [UInt8]) {
        let offset = min(max(offset, 0), bytes.count)
        let length = min(max(length, 0), bytes.count - offset)
        var lineStart = offset
        while lineStart > 0 && bytes[lineStart - 1] != QueryCharacters.lineFeed { lineStart -= 1 }
        var line = 1
        for byte in bytes[..<lineStart] where byte == QueryCharacters.lineFeed { line += 1 }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        let spanText = String(decoding: bytes[offset..<offset + length], as: UTF8.self)

        self.kind = kind
        self.offset = offset
        self.length = length
        self.line = line
        self.column = column
        self.endColumn = column + spanText.count
        self.fragment = Self.shortened(spanText, bytes: bytes[offset..<offset + length])
        self.message = kind.message(line: line, column: column)
        self.expected = kind.expected
        self.hint = hint ?? kind.defaultHint
    }

    /// The first 120 bytes of a long span, cut at a scalar boundary.
    private static func shortened(_ text: String, bytes: ArraySlice<UInt8>) -> String {
        let maximum = 120
        guard bytes.count > maximum else { return text }
        var end = bytes.startIndex + maximum
        while end > bytes.startIndex && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self) + "…"
    }
}

/// An error found while scanning or parsing, before it is placed in the source text.
struct SyntaxFailure: Error {
    var kind: QuerySyntaxError.Kind
    var offset: Int
    var length: Int
    /// A hint that depends on the context; `nil` falls back to the kind's default hint.
    var hint: String?

    init(_ kind: QuerySyntaxError.Kind, at offset: Int, length: Int, hint: String? = nil) {
        self.kind = kind
        self.offset = offset
        self.length = length
        self.hint = hint
    }

    init(_ kind: QuerySyntaxError.Kind, span: Range<Int>, hint: String? = nil) {
        self.init(kind, at: span.lowerBound, length: span.count, hint: hint)
    }
}
