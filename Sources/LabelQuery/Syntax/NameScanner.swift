/// Label names: `label:` and `under:` lists, bare and quoted names.
extension QueryScanner {
    /// `label:a,"b c",team-*`
    mutating func scanLabelList() throws(SyntaxFailure) -> QueryExpression {
        var patterns: [LabelPattern] = []
        var after = "label:"
        while true {
            let start = position
            let item = try scanNameItem(field: "label", after: after, allowsPrefix: true)
            patterns.append(item.isPrefix ? .prefix(item.name) : .exact(item.name))
            try countTerm(start..<position)
            guard continuesList() else { break }
            after = ","
        }
        try expectTermEnd()
        return .labels(patterns)
    }

    /// `under:a,"b c"`
    mutating func scanUnderList() throws(SyntaxFailure) -> QueryExpression {
        var names: [String] = []
        var after = "under:"
        while true {
            let start = position
            names.append(try scanNameItem(field: "under", after: after, allowsPrefix: false).name)
            try countTerm(start..<position)
            guard continuesList() else { break }
            after = ","
        }
        try expectTermEnd()
        return .under(names)
    }

    /// Consumes the `,` that continues a list.
    mutating func continuesList() -> Bool {
        guard position < bytes.count && bytes[position] == QueryCharacters.comma else { return false }
        position += 1
        return true
    }

    /// One list item: a bare name, a quoted name, either followed by the prefix marker `*`, or `*`.
    /// Without `allowsPrefix` a prefix marker is an error, so `isPrefix` is always false.
    private mutating func scanNameItem(
        field: String, after: String, allowsPrefix: Bool
    ) throws(SyntaxFailure) -> (name: String, isPrefix: Bool) {
        let start = position
        let startsQuoted = start < bytes.count && bytes[start] == QueryCharacters.quote
        if !startsQuoted && QueryCharacters.endsName(bytes, at: start) {
            throw missingName(field: field, after: after)
        }
        let name: String
        let isPrefix: Bool
        if startsQuoted {
            name = try scanQuoted()
            isPrefix = position < bytes.count && bytes[position] == QueryCharacters.star
            if isPrefix {
                position += 1
                if position < bytes.count && bytes[position] == QueryCharacters.star {
                    throw SyntaxFailure(
                        .misplacedWildcard, at: position, length: 1, hint: "a prefix pattern ends with a single `*`")
                }
            } else if name.isEmpty {
                throw SyntaxFailure(
                    .emptyName, span: start..<position,
                    hint: allowsPrefix ? "write `label:*` to match every label" : nil)
            }
        } else {
            let end = try nameRunEnd(from: start)
            let star = firstIndex(of: QueryCharacters.star, in: start..<end)
            if let star, star != end - 1 {
                let example = "`\(field):\"\(text(start..<end).escapedForQuotes())\"`"
                throw SyntaxFailure(
                    .misplacedWildcard, at: star, length: 1,
                    hint: allowsPrefix
                        ? "quote the name if `*` is part of it, as in \(example); a trailing `*` matches by prefix"
                        : "quote the name if `*` is part of it, as in \(example)")
            }
            isPrefix = star != nil
            name = text(start..<(isPrefix ? end - 1 : end))
            position = end
            if position < bytes.count && bytes[position] == QueryCharacters.quote {
                throw SyntaxFailure(.quoteInsideName, at: position, length: 1)
            }
        }
        if isPrefix && !allowsPrefix {
            let labelTerm = QueryExpression.labels([.prefix(name)]).canonicalText
            throw SyntaxFailure(
                .prefixNotAllowed(field: field), at: position - 1, length: 1,
                hint: "use `\(labelTerm)` to match labels by prefix; `\(field):` already includes descendants")
        }
        if name.utf8.count > limits.maxNameLength {
            throw SyntaxFailure(.nameTooLong(limit: limits.maxNameLength), span: start..<position)
        }
        return (name, isPrefix)
    }

    /// The error for a list item that is missing, pointing at what stands in its place.
    private func missingName(field: String, after: String) -> SyntaxFailure {
        let kind = QuerySyntaxError.Kind.expectedLabelName(after: after)
        guard position < bytes.count else { return SyntaxFailure(kind, at: position, length: 0) }
        let byte = bytes[position]
        if QueryCharacters.whitespaceLength(in: bytes, at: position) > 0 {
            var next = position
            while next < bytes.count && QueryCharacters.whitespaceLength(in: bytes, at: next) > 0 {
                next += QueryCharacters.whitespaceLength(in: bytes, at: next)
            }
            let nameFollows = next < bytes.count && !QueryCharacters.isNameDelimiter(bytes[next])
            return SyntaxFailure(
                kind, at: position, length: 0,
                hint: nameFollows ? "remove the space after \(after.inBackticks)" : nil)
        }
        switch byte {
        case QueryCharacters.comma:
            return SyntaxFailure(kind, at: position, length: 1, hint: "remove the extra `,`")
        case QueryCharacters.openParenthesis, QueryCharacters.closeParenthesis:
            return SyntaxFailure(
                kind, at: position, length: 1,
                hint: "quote names that contain parentheses, as in `\(field):\"(draft)\"`")
        default:
            return SyntaxFailure(kind, at: position, length: 0)
        }
    }

    /// A quoted name starting at the opening `"`, with `\"` and `\\` unescaped. A quoted name
    /// ends on its line, so a missing quote is reported where the user forgot it rather than at
    /// some later quote.
    mutating func scanQuoted() throws(SyntaxFailure) -> String {
        let open = position
        var index = open + 1
        var unescaped: [UInt8] = []
        var segmentStart = index
        while true {
            guard index < bytes.count else { throw SyntaxFailure(.unclosedQuote, span: open..<bytes.count) }
            let byte = bytes[index]
            if byte == QueryCharacters.quote { break }
            if byte == QueryCharacters.lineFeed || byte == QueryCharacters.carriageReturn {
                throw SyntaxFailure(
                    .unclosedQuote, span: open..<index,
                    hint: "add the closing `\"` before the end of the line; quoted names cannot span lines")
            }
            if byte == QueryCharacters.backslash {
                let escaped = index + 1
                guard escaped < bytes.count else { throw SyntaxFailure(.unclosedQuote, span: open..<bytes.count) }
                let next = bytes[escaped]
                if next == QueryCharacters.quote || next == QueryCharacters.backslash {
                    unescaped.append(contentsOf: bytes[segmentStart..<index])
                    unescaped.append(next)
                    index = escaped + 1
                    segmentStart = index
                    continue
                }
                if next == QueryCharacters.lineFeed || next == QueryCharacters.carriageReturn {
                    throw SyntaxFailure(
                        .unclosedQuote, span: open..<escaped,
                        hint: "add the closing `\"` before the end of the line; quoted names cannot span lines")
                }
                if QueryCharacters.controlLength(in: bytes, at: escaped) == 0 {
                    let end = escaped + QueryCharacters.sequenceLength(lead: next)
                    throw SyntaxFailure(.invalidEscape(text(index..<end)), span: index..<end)
                }
                index = escaped
                continue
            }
            if QueryCharacters.controlLength(in: bytes, at: index) > 0 { throw controlCharacterFailure(at: index) }
            index += 1
        }
        position = index + 1
        if unescaped.isEmpty { return text(open + 1..<index) }
        unescaped.append(contentsOf: bytes[segmentStart..<index])
        return String(decoding: unescaped, as: UTF8.self)
    }
}

extension String {
    /// The text with `\` and `"` escaped, for a hint that shows it inside quotes.
    fileprivate func escapedForQuotes() -> String {
        var result = ""
        for character in self {
            if character == "\\" || character == "\"" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
