extension QuerySyntaxError {
    /// The specific problem; each case has its own message.
    public enum Kind: Hashable, Sendable {
        /// The query is empty or only whitespace.
        case emptyQuery
        /// The query ends right after an operator or `(`, given as written.
        case unexpectedEnd(after: String)
        /// An operator or `)` where a term must come first, e.g. `AND label:a`.
        case missingTermBefore(String)
        /// Two operators with no term between them, e.g. `label:a OR OR label:b`.
        case missingTermBetween(String, String)
        /// `()` with nothing inside.
        case emptyParentheses
        /// A `(` that is never closed; the span is the `(`.
        case unclosedParenthesis
        /// A `)` without a matching `(`.
        case unmatchedClosingParenthesis
        /// A `-` followed by whitespace instead of the term it negates.
        case detachedMinus
        /// A word that is neither a keyword, `*` nor a `field:value` term, e.g. `prod`.
        case bareWord(String)
        /// A `:` with nothing before it.
        case missingFieldName
        /// A field other than `label`, `under`, `has`, `no` and `asset`, with the closest known one.
        case unknownField(String, suggestion: String?)
        /// A `label:` or `under:` list item is missing; `after` is the text it should follow.
        case expectedLabelName(after: String)
        /// An `asset:` list item or a typed id is missing; `after` is the text it should follow.
        case expectedAssetReference(after: String)
        /// `""` where a name or id is required.
        case emptyName
        /// A quoted name without its closing quote on the same line.
        case unclosedQuote
        /// A backslash escape other than `\"` and `\\`, given as written.
        case invalidEscape(String)
        /// A control character, given as its scalar value.
        case controlCharacter(UInt32)
        /// A `*` that is not the last character of a bare name.
        case misplacedWildcard
        /// A prefix pattern in a field that takes exact names only.
        case prefixNotAllowed(field: String)
        /// A `*` in a typed asset id.
        case wildcardInAssetID
        /// A `"` in the middle of a bare name.
        case quoteInsideName
        /// A `,` where no list continues.
        case unexpectedComma
        /// A term directly followed by something other than whitespace, `)` or the end.
        case unexpectedCharacterAfterTerm(String)
        /// A list after a field that takes one value.
        case listNotAllowed(field: String)
        /// `has:` or `no:` with a value other than `label`; the value may be empty.
        case invalidPresenceValue(field: String, value: String)
        /// An `asset:` item that is neither a number nor `type:id`.
        case invalidAssetReference(String)
        /// A numeric asset id outside the 64-bit signed range.
        case assetIDOutOfRange(String)
        /// The query exceeds `QueryLimits.maxLength`.
        case queryTooLong(limit: Int)
        /// The nesting exceeds `QueryLimits.maxDepth`.
        case tooDeep(limit: Int)
        /// The query exceeds `QueryLimits.maxTerms`.
        case tooManyTerms(limit: Int)
        /// The query exceeds `QueryLimits.maxAssetReferences`.
        case tooManyAssetReferences(limit: Int)
        /// A label name exceeds `QueryLimits.maxNameLength`.
        case nameTooLong(limit: Int)
        /// An asset type exceeds `QueryLimits.maxAssetTypeLength`.
        case assetTypeTooLong(limit: Int)
        /// A typed asset id exceeds `QueryLimits.maxAssetIDLength`.
        case assetIDTooLong(limit: Int)
    }
}

extension QuerySyntaxError.Kind {
    static let termExamples = "a term such as `label:NAME` or `*`, `(`, `NOT` or `-`"
    static let fieldList = "`label:`, `under:`, `has:`, `no:` or `asset:`"

    func message(line: Int, column: Int) -> String {
        switch self {
        case .emptyQuery: return "the query is empty; use `*` for every asset"
        case .unexpectedEnd(let after): return "the query ends after \(after.inBackticks)"
        case .missingTermBefore(let token): return "expected a term before \(token.inBackticks)"
        case .missingTermBetween(let first, let second):
            return "expected a term between \(first.inBackticks) and \(second.inBackticks)"
        case .emptyParentheses: return "empty parentheses"
        case .unclosedParenthesis:
            let position = line == 1 ? "column \(column)" : "line \(line), column \(column)"
            return "unclosed parenthesis opened at \(position)"
        case .unmatchedClosingParenthesis: return "unmatched `)`"
        case .detachedMinus: return "`-` must touch the term it negates"
        case .bareWord(let word): return "\(word.inBackticks) is not a term"
        case .missingFieldName: return "missing field name before `:`"
        case .unknownField(let field, let suggestion?):
            return "unknown field \(field.inBackticks); did you mean `\(suggestion)`?"
        case .unknownField(let field, nil): return "unknown field \(field.inBackticks)"
        case .expectedLabelName(let after): return "expected a label name after \(after.inBackticks)"
        case .expectedAssetReference(let after): return "expected an asset id after \(after.inBackticks)"
        case .emptyName: return "names cannot be empty"
        case .unclosedQuote: return "unterminated quoted name"
        case .invalidEscape(let escape): return "invalid escape \(escape.inBackticks) in a quoted name"
        case .controlCharacter(let value): return "control character \(unicodeNotation(value)) is not allowed in a name"
        case .misplacedWildcard: return "`*` can only end a name, as a prefix pattern"
        case .prefixNotAllowed(let field): return "`\(field):` does not take prefix patterns"
        case .wildcardInAssetID: return "asset ids cannot be patterns"
        case .quoteInsideName: return "unexpected `\"` inside a name"
        case .unexpectedComma: return "unexpected `,`"
        case .unexpectedCharacterAfterTerm(let text): return "unexpected \(text.inBackticks) right after a term"
        case .listNotAllowed(let field): return "`\(field):` takes one value, not a list"
        case .invalidPresenceValue(let field, ""): return "expected `label` after `\(field):`"
        case .invalidPresenceValue(let field, let value):
            return "`\(field):` takes only `label`, not \(value.inBackticks)"
        case .invalidAssetReference(let text): return "invalid asset id \(text.inBackticks)"
        case .assetIDOutOfRange(let text): return "asset id \(text.inBackticks) is out of the 64-bit range"
        case .queryTooLong(let limit): return "the query is longer than maxLength (\(limit) bytes)"
        case .tooDeep(let limit): return "the query nests deeper than maxDepth (\(limit))"
        case .tooManyTerms(let limit): return "the query has more terms than maxTerms (\(limit))"
        case .tooManyAssetReferences(let limit):
            return "the query has more asset ids than maxAssetReferences (\(limit))"
        case .nameTooLong(let limit): return "the name is longer than maxNameLength (\(limit) bytes)"
        case .assetTypeTooLong(let limit): return "the asset type is longer than maxAssetTypeLength (\(limit) bytes)"
        case .assetIDTooLong(let limit): return "the asset id is longer than maxAssetIDLength (\(limit) bytes)"
        }
    }

    var expected: String {
        switch self {
        case .emptyQuery, .unexpectedEnd, .missingTermBefore, .missingTermBetween, .emptyParentheses,
            .unexpectedComma, .detachedMinus:
            return Self.termExamples
        case .unclosedParenthesis: return "`)`"
        case .unmatchedClosingParenthesis: return "a term, `AND`, `OR` or the end of the query"
        case .bareWord: return "a term such as `label:NAME`, or `AND`, `OR`, `NOT`"
        case .missingFieldName, .unknownField: return "a field: " + Self.fieldList
        case .expectedLabelName: return "a label name, a quoted name or `*`"
        case .expectedAssetReference: return "a number such as `123`, or a typed id such as `form:123`"
        case .emptyName: return "a name of at least one character"
        case .unclosedQuote: return "a closing `\"` on the same line"
        case .invalidEscape: return "`\\\"` or `\\\\`"
        case .controlCharacter: return "a printable character"
        case .misplacedWildcard: return "a name without `*`, or one trailing `*`"
        case .prefixNotAllowed: return "a label name without `*`"
        case .wildcardInAssetID: return "an id without `*`"
        case .quoteInsideName, .unexpectedCharacterAfterTerm:
            return "whitespace, `,`, `)` or the end of the query"
        case .listNotAllowed: return "whitespace, `)` or the end of the query"
        case .invalidPresenceValue: return "`label`"
        case .invalidAssetReference, .assetIDOutOfRange:
            return "a 64-bit number such as `123`, or a typed id such as `form:123`"
        case .queryTooLong(let limit): return "at most \(limit) bytes"
        case .tooDeep(let limit): return "at most \(limit) nested parentheses and negations"
        case .tooManyTerms(let limit): return "at most \(limit) terms"
        case .tooManyAssetReferences(let limit): return "at most \(limit) asset ids"
        case .nameTooLong(let limit), .assetTypeTooLong(let limit), .assetIDTooLong(let limit):
            return "at most \(limit) bytes"
        }
    }

    var defaultHint: String? {
        switch self {
        case .emptyQuery: return "for example `label:prod AND NOT label:reviewed`"
        case .unexpectedEnd(let after): return "add a term after \(after.inBackticks), or remove it"
        case .missingTermBefore(let token):
            return "\(token.inBackticks) joins two terms, as in `label:a \(token) label:b`"
        case .missingTermBetween: return "add a term between them, or remove one of them"
        case .emptyParentheses: return "put a term inside, or use `*` for every asset"
        case .unclosedParenthesis: return "add a `)` to close it"
        case .unmatchedClosingParenthesis: return "remove it, or add the `(` it should close"
        case .detachedMinus: return "write `-label:x` or `NOT label:x`"
        case .bareWord: return nil
        case .missingFieldName: return "start the term with a field: " + Self.fieldList
        case .unknownField: return "the fields are `label:`, `under:`, `has:`, `no:` and `asset:`"
        case .expectedLabelName: return "write a name, as in `label:prod`, or quote it, as in `label:\"needs review\"`"
        case .expectedAssetReference:
            return "write a number, as in `asset:123`, or a typed id, as in `asset:form:123`"
        case .emptyName: return nil
        case .unclosedQuote: return "add the closing `\"`; write `\\\"` for a quote inside the name"
        case .invalidEscape: return "only `\\\"` and `\\\\` are escapes; write `\\\\` for a literal backslash"
        case .controlCharacter: return "remove it; names cannot contain control characters, not even in quotes"
        case .misplacedWildcard:
            return "quote the name if `*` is part of it, as in `label:\"a*b\"`; a trailing `*` matches by prefix"
        case .prefixNotAllowed: return nil
        case .wildcardInAssetID: return "quote the id if `*` is part of it, as in `asset:form:\"a*\"`"
        case .quoteInsideName: return "quote the whole name, and write a quote inside it as `\\\"`"
        case .unexpectedComma: return "write list items without spaces, as in `label:a,b`"
        case .unexpectedCharacterAfterTerm: return "put a space before it, or `,` before another list item"
        case .listNotAllowed(let field): return "write one `\(field):label` term"
        case .invalidPresenceValue(let field, _): return "write `\(field):label`"
        case .invalidAssetReference:
            return "asset ids are numbers, as in `asset:123`, or typed ids, as in `asset:form:123`"
        case .assetIDOutOfRange:
            return
                "numeric ids range from -9223372036854775808 to 9223372036854775807; "
                + "other ids need a type, as in `asset:TYPE:ID`"
        case .queryTooLong: return "split the query, or raise `QueryLimits.maxLength`"
        case .tooDeep: return "remove redundant parentheses or double negations, or raise `QueryLimits.maxDepth`"
        case .tooManyTerms:
            return "match many labels with a prefix (`label:team-*`) or a subtree (`under:team`), "
                + "or raise `QueryLimits.maxTerms`"
        case .tooManyAssetReferences: return "split the id list, or raise `QueryLimits.maxAssetReferences`"
        case .nameTooLong: return "raise `QueryLimits.maxNameLength` if names this long are legitimate"
        case .assetTypeTooLong: return "raise `QueryLimits.maxAssetTypeLength` if types this long are legitimate"
        case .assetIDTooLong: return "raise `QueryLimits.maxAssetIDLength` if ids this long are legitimate"
        }
    }
}

extension String {
    /// The text in backticks for a one-line message, shortened when long.
    var inBackticks: String {
        let maximum = 40
        guard count > maximum else { return "`\(self)`" }
        return "`\(prefix(maximum - 1))…`"
    }
}

/// `U+0009` style.
private func unicodeNotation(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}
