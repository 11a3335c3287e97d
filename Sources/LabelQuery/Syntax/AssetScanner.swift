/// `asset:` lists: numeric ids and typed string ids.
extension QueryScanner {
    /// `asset:1,-2,form:251464995493876,form:"a b"`
    ///
    /// Lists of a hundred thousand ids are expected, so items are read in one pass with no
    /// per-item allocation besides the typed ids' strings.
    mutating func scanAssetList(fieldStart: Int) throws(SyntaxFailure) -> QueryExpression {
        try countTerm(fieldStart..<position)
        var references: [AssetReference] = []
        var after = "asset:"
        while true {
            let start = position
            references.append(try scanAssetReference(after: after))
            try countAssetReference(start..<position)
            guard continuesList() else { break }
            after = ","
        }
        try expectTermEnd()
        return .assets(references)
    }

    private mutating func scanAssetReference(after: String) throws(SyntaxFailure) -> AssetReference {
        let start = position
        guard start < bytes.count else {
            throw SyntaxFailure(.expectedAssetReference(after: after), at: start, length: 0)
        }
        let byte = bytes[start]
        if byte == QueryCharacters.quote {
            _ = try scanQuoted()
            throw SyntaxFailure(
                .invalidAssetReference(text(start..<position)), span: start..<position,
                hint: "a quoted id needs a type, as in `asset:form:\"a b\"`")
        }
        if QueryCharacters.endsName(bytes, at: start) {
            let length = QueryCharacters.whitespaceLength(in: bytes, at: start) > 0 ? 0 : 1
            throw SyntaxFailure(.expectedAssetReference(after: after), at: start, length: length)
        }
        if byte == QueryCharacters.minus || QueryCharacters.isASCIIDigit(byte) {
            return .id(try scanNumericID())
        }
        if QueryCharacters.isAssetTypeStart(byte) {
            var end = start + 1
            while end < bytes.count {
                // `[A-Za-z0-9_.-]`, spelled out because this loop runs for every typed id.
                let byte = bytes[end]
                let lowered = byte | 0x20
                guard
                    (lowered >= 0x61 && lowered <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
                        || byte == 0x2E || byte == 0x2D
                else { break }
                end += 1
            }
            if end < bytes.count && bytes[end] == QueryCharacters.colon {
                return try scanTypedID(typeRange: start..<end)
            }
        }
        throw try invalidReference(from: start)
    }

    /// `-?[0-9]+` in the Int64 range, accumulated as a magnitude so that `Int64.min` fits.
    private mutating func scanNumericID() throws(SyntaxFailure) -> Int64 {
        let start = position
        let isNegative = bytes[start] == QueryCharacters.minus
        var index = isNegative ? start + 1 : start
        let digitsStart = index
        var magnitude: UInt64 = 0
        var overflow = false
        while index < bytes.count && QueryCharacters.isASCIIDigit(bytes[index]) {
            if !overflow {
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[index] &- 0x30))
                magnitude = sum
                overflow = o1 || o2
            }
            index += 1
        }
        guard index > digitsStart, QueryCharacters.endsName(bytes, at: index) else {
            throw try invalidReference(from: start)
        }
        let limit = isNegative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        if overflow || magnitude > limit {
            throw SyntaxFailure(.assetIDOutOfRange(text(start..<index)), span: start..<index)
        }
        position = index
        if index < bytes.count && bytes[index] == QueryCharacters.quote {
            throw SyntaxFailure(.quoteInsideName, at: index, length: 1)
        }
        return isNegative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }

    /// `type:id` and `type:"quoted id"`; the id is everything after the first `:`.
    private mutating func scanTypedID(typeRange: Range<Int>) throws(SyntaxFailure) -> AssetReference {
        if typeRange.count > limits.maxAssetTypeLength {
            throw SyntaxFailure(.assetTypeTooLong(limit: limits.maxAssetTypeLength), span: typeRange)
        }
        let type = text(typeRange)
        let idStart = typeRange.upperBound + 1
        position = idStart
        let id: String
        if idStart < bytes.count && bytes[idStart] == QueryCharacters.quote {
            id = try scanQuoted()
            if id.isEmpty { throw SyntaxFailure(.emptyName, span: idStart..<position) }
            if position < bytes.count && bytes[position] == QueryCharacters.star {
                throw SyntaxFailure(.wildcardInAssetID, at: position, length: 1)
            }
        } else {
            let end = try nameRunEnd(from: idStart)
            guard end > idStart else {
                let length = end < bytes.count && QueryCharacters.whitespaceLength(in: bytes, at: end) == 0 ? 1 : 0
                throw SyntaxFailure(.expectedAssetReference(after: type + ":"), at: end, length: length)
            }
            if let star = firstIndex(of: QueryCharacters.star, in: idStart..<end) {
                throw SyntaxFailure(.wildcardInAssetID, at: star, length: 1)
            }
            id = text(idStart..<end)
            position = end
            if end < bytes.count && bytes[end] == QueryCharacters.quote {
                throw SyntaxFailure(.quoteInsideName, at: end, length: 1)
            }
        }
        if id.utf8.count > limits.maxAssetIDLength {
            throw SyntaxFailure(.assetIDTooLong(limit: limits.maxAssetIDLength), span: idStart..<position)
        }
        return .typed(type: type, id: id)
    }

    /// The error for an item that is neither a number nor `type:id`, spanning the whole item.
    private func invalidReference(from start: Int) throws(SyntaxFailure) -> SyntaxFailure {
        let end = try nameRunEnd(from: start)
        let item = text(start..<end)
        let hint: String?
        if let colon = item.firstIndex(of: ":") {
            hint =
                item[..<colon].isEmpty
                ? "write the type before the `:`, as in `asset:form:123`"
                : "asset types are letters, digits, `_`, `.` and `-`, starting with a letter or `_`"
        } else if QueryCharacters.isAssetTypeStart(bytes[start]) {
            hint = "a string id needs a type, as in `asset:TYPE:\(item)`"
        } else {
            hint = nil
        }
        return SyntaxFailure(.invalidAssetReference(item), span: start..<end, hint: hint)
    }
}
