/// A token of the query: operators, parentheses and whole terms.
///
/// Terms are scanned in one piece (field, `:` and value list) because what may follow a `:`
/// depends on the field; the parser above only arranges terms and operators.
struct QueryToken {
    enum Kind {
        case openParenthesis
        case closeParenthesis
        case and
        case or
        case not
        /// `-` touching the operand it negates.
        case minus
        case term(QueryExpression)
        case end
    }

    var kind: Kind
    var offset: Int
    var length: Int

    var end: Int { offset + length }
}

/// Splits the UTF-8 query into tokens, left to right, without backtracking: every byte is looked
/// at a bounded number of times, so even a 4 MiB asset list scans in linear time.
///
/// The scanner reads through a buffer pointer, valid only while the parser runs, because an
/// array would be retained and released on every byte access in debug builds, which made long
/// asset lists several times slower. Every access is preceded by a bounds check, and the bytes
/// come from a `String`, so multi-byte sequences are complete.
struct QueryScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: QueryLimits
    var position = 0
    private var termCount = 0
    private var assetReferenceCount = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: QueryLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    mutating func nextToken() throws(SyntaxFailure) -> QueryToken {
        skipWhitespace()
        let start = position
        guard start < bytes.count else { return QueryToken(kind: .end, offset: start, length: 0) }
        switch bytes[start] {
        case QueryCharacters.openParenthesis:
            position += 1
            return QueryToken(kind: .openParenthesis, offset: start, length: 1)
        case QueryCharacters.closeParenthesis:
            position += 1
            return QueryToken(kind: .closeParenthesis, offset: start, length: 1)
        case QueryCharacters.comma:
            throw SyntaxFailure(.unexpectedComma, at: start, length: 1)
        case QueryCharacters.quote:
            _ = try scanQuoted()
            let quoted = text(start..<position)
            throw SyntaxFailure(.bareWord(quoted), span: start..<position, hint: "did you mean `label:\(quoted)`?")
        case QueryCharacters.minus:
            let next = start + 1
            if next < bytes.count && QueryCharacters.whitespaceLength(in: bytes, at: next) > 0 {
                throw SyntaxFailure(.detachedMinus, at: start, length: 1)
            }
            position = next
            return QueryToken(kind: .minus, offset: start, length: 1)
        default:
            return try scanWord()
        }
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            let length = QueryCharacters.whitespaceLength(in: bytes, at: position)
            guard length > 0 else { return }
            position += length
        }
    }

    /// The end of the run of name characters starting at `index`, rejecting control characters.
    /// With `stopAtColon` the run also ends before the first `:`.
    ///
    /// This is the scanner's hot loop, so ASCII is classified with plain comparisons rather than
    /// through the `QueryCharacters` predicates or range patterns, which cost generic calls in
    /// debug builds.
    func nameRunEnd(from start: Int, stopAtColon: Bool = false) throws(SyntaxFailure) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte > 0x20 && byte < 0x7F {
                // Printable ASCII: only the delimiters `"`, `(`, `)`, `,` and maybe `:` end the run.
                if byte == 0x22 || byte == 0x28 || byte == 0x29 || byte == 0x2C { return index }
                if byte == 0x3A && stopAtColon { return index }
                index += 1
            } else if byte >= 0x80 {
                if QueryCharacters.whitespaceLength(in: bytes, at: index) > 0 { return index }
                if QueryCharacters.controlLength(in: bytes, at: index) > 0 { throw controlCharacterFailure(at: index) }
                index += QueryCharacters.sequenceLength(lead: byte)
            } else if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                return index
            } else {
                throw controlCharacterFailure(at: index)
            }
        }
        return index
    }

    func controlCharacterFailure(at index: Int) -> SyntaxFailure {
        let value = QueryCharacters.scalar(in: bytes, at: index).value
        return SyntaxFailure(
            .controlCharacter(value), at: index, length: QueryCharacters.controlLength(in: bytes, at: index))
    }

    /// A plain loop rather than `Collection.firstIndex(of:)`, whose unspecialized generic code
    /// dominated the time of long id lists in debug builds.
    func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// A keyword, `*`, or a `field:value` term.
    private mutating func scanWord() throws(SyntaxFailure) -> QueryToken {
        let start = position
        let end = try nameRunEnd(from: start, stopAtColon: true)
        if end < bytes.count && bytes[end] == QueryCharacters.colon {
            position = end + 1
            let expression = try scanFieldValue(field: start..<end)
            return QueryToken(kind: .term(expression), offset: start, length: position - start)
        }
        position = end
        if let keyword = keyword(in: start..<end) {
            return QueryToken(kind: keyword, offset: start, length: end - start)
        }
        if end - start == 1 && bytes[start] == QueryCharacters.star {
            try countTerm(start..<end)
            try expectTermEnd()
            return QueryToken(kind: .term(.all), offset: start, length: 1)
        }
        let word = text(start..<end)
        throw SyntaxFailure(.bareWord(word), span: start..<end, hint: bareWordHint(word))
    }

    /// `AND`, `OR` or `NOT` in any letter case.
    private func keyword(in range: Range<Int>) -> QueryToken.Kind? {
        guard range.count == 2 || range.count == 3 else { return nil }
        // Setting bit 5 lower-cases ASCII letters; no other byte maps onto these letters.
        let lowered = bytes[range].map { $0 | 0x20 }
        switch lowered {
        case Array("and".utf8): return .and
        case Array("or".utf8): return .or
        case Array("not".utf8): return .not
        default: return nil
        }
    }

    private func bareWordHint(_ word: String) -> String {
        switch word {
        case "&&", "&": return "write `AND` to require both sides"
        case "||", "|": return "write `OR` to accept either side"
        case "!": return "write `NOT` or `-` before the term to negate it"
        case _ where Int64(word) != nil: return "did you mean `asset:\(word)`? list ids without spaces: `asset:1,2`"
        default:
            let pattern: LabelPattern =
                word.hasSuffix("*") && !word.dropLast().contains("*") ? .prefix(String(word.dropLast())) : .exact(word)
            return "did you mean `\(QueryExpression.labels([pattern]).canonicalText)`?"
        }
    }

    private mutating func scanFieldValue(field range: Range<Int>) throws(SyntaxFailure) -> QueryExpression {
        switch text(range) {
        case "label": return try scanLabelList()
        case "under": return try scanUnderList()
        case "has": return try scanPresence(field: "has", fieldStart: range.lowerBound)
        case "no": return try scanPresence(field: "no", fieldStart: range.lowerBound)
        case "asset": return try scanAssetList(fieldStart: range.lowerBound)
        case "": throw SyntaxFailure(.missingFieldName, at: range.lowerBound, length: 1)
        case let field:
            // `!label:a` is a negation attempt, not a misspelled field.
            let suggestion = field.hasPrefix("!") ? nil : FieldSuggestion.closestField(to: field)
            throw SyntaxFailure(
                .unknownField(field, suggestion: suggestion), span: range, hint: FieldSuggestion.hint(forUnknown: field)
            )
        }
    }

    /// `has:label` and `no:label`.
    private mutating func scanPresence(field: String, fieldStart: Int) throws(SyntaxFailure) -> QueryExpression {
        let start = position
        if start < bytes.count && bytes[start] == QueryCharacters.quote {
            _ = try scanQuoted()
            throw SyntaxFailure(
                .invalidPresenceValue(field: field, value: text(start..<position)), span: start..<position,
                hint: "write `\(field):label`, without quotes")
        }
        let end = try nameRunEnd(from: start)
        let value = text(start..<end)
        guard value == "label" else {
            throw SyntaxFailure(
                .invalidPresenceValue(field: field, value: value), span: start..<end,
                hint: presenceHint(field: field, value: value))
        }
        position = end
        if position < bytes.count && bytes[position] == QueryCharacters.comma {
            throw SyntaxFailure(.listNotAllowed(field: field), at: position, length: 1)
        }
        try countTerm(fieldStart..<position)
        try expectTermEnd()
        return field == "has" ? .hasLabel : .noLabel
    }

    private func presenceHint(field: String, value: String) -> String? {
        let lowered = value.lowercased()
        if value.isEmpty || lowered.contains("label") || lowered.contains("tag")
            || FieldSuggestion.distance(lowered, "label") <= 2
        {
            return nil
        }
        let term = QueryExpression.labels([.exact(value)]).canonicalText
        return field == "has"
            ? "`has:label` matches assets with any label; for the label \(value.inBackticks), write `\(term)`"
            : "`no:label` matches assets without labels; to exclude the label \(value.inBackticks), write `-\(term)`"
    }

    mutating func countTerm(_ span: Range<Int>) throws(SyntaxFailure) {
        termCount += 1
        if termCount > limits.maxTerms { throw SyntaxFailure(.tooManyTerms(limit: limits.maxTerms), span: span) }
    }

    mutating func countAssetReference(_ span: Range<Int>) throws(SyntaxFailure) {
        assetReferenceCount += 1
        if assetReferenceCount > limits.maxAssetReferences {
            throw SyntaxFailure(.tooManyAssetReferences(limit: limits.maxAssetReferences), span: span)
        }
    }

    /// Terms end at whitespace, `)` or the end of the query, so that `label:a(b)` or `label:"a"b`
    /// is reported instead of being read as two terms the user did not mean.
    func expectTermEnd() throws(SyntaxFailure) {
        guard position < bytes.count else { return }
        let byte = bytes[position]
        if byte == QueryCharacters.closeParenthesis || QueryCharacters.whitespaceLength(in: bytes, at: position) > 0 {
            return
        }
        if QueryCharacters.controlLength(in: bytes, at: position) > 0 { throw controlCharacterFailure(at: position) }
        switch byte {
        case QueryCharacters.quote:
            throw SyntaxFailure(.quoteInsideName, at: position, length: 1)
        case QueryCharacters.comma:
            throw SyntaxFailure(
                .unexpectedComma, at: position, length: 1, hint: "only `label:`, `under:` and `asset:` take lists")
        case QueryCharacters.openParenthesis:
            throw SyntaxFailure(
                .unexpectedCharacterAfterTerm("("), at: position, length: 1,
                hint: "put a space before `(`, or quote the name if `(` is part of it, as in `label:\"a(b)\"`")
        default:
            let length = QueryCharacters.sequenceLength(lead: byte)
            throw SyntaxFailure(
                .unexpectedCharacterAfterTerm(text(position..<position + length)), at: position, length: length)
        }
    }
}
