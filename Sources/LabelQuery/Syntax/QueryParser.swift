/// Parses label queries into `QueryExpression`s.
///
/// The parser is iterative: parentheses and negations live on an explicit stack whose height is
/// bounded by `QueryLimits.maxDepth`, so no input can overflow the call stack, and a megabyte of
/// `(` fails after `maxDepth + 1` bytes.
public struct QueryParser: Sendable {
    /// The bounds enforced while parsing.
    public var limits: QueryLimits

    /// Creates a parser that enforces `limits`.
    public init(limits: QueryLimits = QueryLimits()) {
        self.limits = limits
    }

    /// Parses `text`.
    ///
    /// - Throws: `QuerySyntaxError` describing the first problem, left to right.
    public func parse(_ text: String) throws(QuerySyntaxError) -> QueryExpression {
        let byteCount = text.utf8.count
        guard byteCount <= limits.maxLength else {
            let bytes = Array(text.utf8)
            var boundary = max(limits.maxLength, 0)
            while boundary > 0 && bytes[boundary] & 0xC0 == 0x80 { boundary -= 1 }
            throw QuerySyntaxError(
                kind: .queryTooLong(limit: limits.maxLength), offset: boundary, length: byteCount - boundary,
                hint: nil, in: bytes)
        }
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(SyntaxFailure) -> QueryExpression in
                var parse = ParserRun(scanner: QueryScanner(bytes: buffer, limits: limits), maxDepth: limits.maxDepth)
                return try parse.run()
            }
        }
        switch result {
        case .success(let expression):
            return expression
        case .failure(let error):
            throw QuerySyntaxError(
                kind: error.kind, offset: error.offset, length: error.length, hint: error.hint, in: bytes)
        }
    }
}

/// One run of the parser: an operator-precedence parse with one frame per open parenthesis.
///
/// Each frame collects the operands of the AND group being read and the finished AND groups of
/// its OR, which builds n-ary nodes directly and keeps `(a AND b) AND c` distinct from
/// `a AND b AND c`.
private struct ParserRun {
    private struct Frame {
        /// The `(` that opened the frame; `nil` for the whole query.
        var openParenthesis: QueryToken?
        var orOperands: [QueryExpression] = []
        var andOperands: [QueryExpression] = []
        /// How many `NOT`s and `-`s wait for the next operand of this frame.
        var negations = 0

        func expression() -> QueryExpression {
            let andGroup = andOperands.count == 1 ? andOperands[0] : .and(andOperands)
            return orOperands.isEmpty ? andGroup : .or(orOperands + [andGroup])
        }
    }

    var scanner: QueryScanner
    let maxDepth: Int
    private var frames = [Frame(openParenthesis: nil)]
    /// Open parentheses plus pending negations: the nesting `maxDepth` bounds.
    private var depth = 0

    init(scanner: QueryScanner, maxDepth: Int) {
        self.scanner = scanner
        self.maxDepth = maxDepth
    }

    mutating func run() throws(SyntaxFailure) -> QueryExpression {
        var previous: QueryToken?
        var expectsOperand = true
        while true {
            let token = try scanner.nextToken()
            if !expectsOperand {
                switch token.kind {
                case .and:
                    expectsOperand = true
                case .or:
                    closeAndGroup()
                    expectsOperand = true
                case .closeParenthesis:
                    guard frames.count > 1 else {
                        throw SyntaxFailure(.unmatchedClosingParenthesis, at: token.offset, length: 1)
                    }
                    let expression = frames.removeLast().expression()
                    depth -= 1
                    complete(expression)
                case .end:
                    if let open = frames.last?.openParenthesis {
                        throw SyntaxFailure(.unclosedParenthesis, at: open.offset, length: 1)
                    }
                    return frames[0].expression()
                case .openParenthesis, .not, .minus, .term:
                    // Juxtaposition is an implicit AND: read the token as the next operand.
                    try startOperand(with: token)
                    expectsOperand = !isTerm(token)
                }
            } else {
                switch token.kind {
                case .openParenthesis, .not, .minus, .term:
                    try startOperand(with: token)
                    expectsOperand = !isTerm(token)
                case .and, .or:
                    throw missingTerm(before: token, previous: previous)
                case .closeParenthesis:
                    if let previous, case .openParenthesis = previous.kind {
                        throw SyntaxFailure(.emptyParentheses, span: previous.offset..<token.end)
                    }
                    if frames.count == 1 {
                        throw SyntaxFailure(.unmatchedClosingParenthesis, at: token.offset, length: 1)
                    }
                    throw missingTerm(before: token, previous: previous)
                case .end:
                    guard let previous else { throw SyntaxFailure(.emptyQuery, span: 0..<scanner.bytes.count) }
                    throw SyntaxFailure(.unexpectedEnd(after: source(of: previous)), at: previous.end, length: 0)
                }
            }
            previous = token
        }
    }

    private func isTerm(_ token: QueryToken) -> Bool {
        if case .term = token.kind { return true }
        return false
    }

    private mutating func startOperand(with token: QueryToken) throws(SyntaxFailure) {
        switch token.kind {
        case .openParenthesis:
            try deepen(at: token)
            frames.append(Frame(openParenthesis: token))
        case .not, .minus:
            try deepen(at: token)
            frames[frames.count - 1].negations += 1
        case .term(let expression):
            complete(expression)
        case .and, .or, .closeParenthesis, .end:
            preconditionFailure("only tokens that start an operand reach startOperand")
        }
    }

    private mutating func deepen(at token: QueryToken) throws(SyntaxFailure) {
        guard depth < maxDepth else {
            throw SyntaxFailure(.tooDeep(limit: maxDepth), at: token.offset, length: token.length)
        }
        depth += 1
    }

    /// Adds a finished operand to the innermost frame, applying the negations that wait for it.
    private mutating func complete(_ operand: QueryExpression) {
        var operand = operand
        let last = frames.count - 1
        for _ in 0..<frames[last].negations { operand = .not(operand) }
        depth -= frames[last].negations
        frames[last].negations = 0
        frames[last].andOperands.append(operand)
    }

    private mutating func closeAndGroup() {
        let last = frames.count - 1
        let andOperands = frames[last].andOperands
        frames[last].orOperands.append(andOperands.count == 1 ? andOperands[0] : .and(andOperands))
        frames[last].andOperands = []
    }

    private func missingTerm(before token: QueryToken, previous: QueryToken?) -> SyntaxFailure {
        let found = source(of: token)
        guard let previous, !isOpenParenthesis(previous) else {
            return SyntaxFailure(.missingTermBefore(found), at: token.offset, length: token.length)
        }
        return SyntaxFailure(
            .missingTermBetween(source(of: previous), found), at: token.offset, length: token.length)
    }

    private func isOpenParenthesis(_ token: QueryToken) -> Bool {
        if case .openParenthesis = token.kind { return true }
        return false
    }

    /// The token as the user wrote it, e.g. `and` rather than `AND`.
    private func source(of token: QueryToken) -> String {
        scanner.text(token.offset..<token.end)
    }
}
