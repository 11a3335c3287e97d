/// The canonical text of an expression: the one spelling the parser reads back to the same AST.
extension QueryExpression: CustomStringConvertible {
    /// The canonical text; see `canonicalText`.
    public var description: String { canonicalText }

    /// The expression in canonical form: upper-case keywords, an explicit `AND` between AND
    /// operands, `NOT` rather than `-`, names quoted only when they must be, and parentheses only
    /// where precedence requires them, plus around an AND inside an AND, an OR inside an OR and an
    /// AND or OR under NOT, so that the nesting survives the round trip.
    ///
    /// `QueryParser().parse(expression.canonicalText) == expression` for every expression whose
    /// names are valid (non-empty, no control characters) and whose lists and operand arrays have
    /// the documented minimum sizes.
    public var canonicalText: String {
        var printer = CanonicalPrinter()
        printer.write(self)
        return printer.output
    }
}

extension LabelPattern: CustomStringConvertible {
    /// The item as written in a `label:` list, e.g. `team-*` or `"needs review"`.
    public var description: String {
        switch self {
        case .exact(let name): return CanonicalPrinter.name(name)
        case .prefix(let prefix): return (prefix.isEmpty ? "" : CanonicalPrinter.name(prefix)) + "*"
        }
    }
}

extension AssetReference: CustomStringConvertible {
    /// The item as written in an `asset:` list, e.g. `-7` or `form:"a b"`.
    public var description: String {
        switch self {
        case .id(let id): return String(id)
        case .typed(let type, let id): return type + ":" + CanonicalPrinter.name(id)
        }
    }
}

/// Recursion here follows the AST, whose depth the parser bounds through `QueryLimits.maxDepth`.
struct CanonicalPrinter {
    var output = ""

    mutating func write(_ expression: QueryExpression) {
        switch expression {
        case .all: output += "*"
        case .hasLabel: output += "has:label"
        case .noLabel: output += "no:label"
        case .labels(let patterns): writeList("label:", patterns.map(\.description))
        case .under(let names): writeList("under:", names.map(CanonicalPrinter.name))
        case .assets(let references): writeList("asset:", references.map(\.description))
        case .not(let operand):
            output += "NOT "
            writeOperand(operand, parenthesized: operand.isCompound)
        case .and(let operands):
            writeOperands(operands, separator: " AND ") { $0.isCompound }
        case .or(let operands):
            writeOperands(operands, separator: " OR ") { if case .or = $0 { true } else { false } }
        }
    }

    private mutating func writeList(_ field: String, _ items: [String]) {
        output += field
        output += items.joined(separator: ",")
    }

    private mutating func writeOperands(
        _ operands: [QueryExpression], separator: String, parenthesized: (QueryExpression) -> Bool
    ) {
        for (index, operand) in operands.enumerated() {
            if index > 0 { output += separator }
            writeOperand(operand, parenthesized: parenthesized(operand))
        }
    }

    private mutating func writeOperand(_ operand: QueryExpression, parenthesized: Bool) {
        if parenthesized { output += "(" }
        write(operand)
        if parenthesized { output += ")" }
    }

    /// A name bare when the scanner would read it back unchanged, quoted otherwise.
    static func name(_ name: String) -> String {
        guard needsQuotes(name) else { return name }
        var quoted = "\""
        for scalar in name.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { quoted += "\\" }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }

    /// Quotes are needed for the empty name and for anything a bare name cannot hold: whitespace,
    /// delimiters, `*` (a prefix marker when bare) and control characters (which then fail to
    /// parse, as they must). A backslash is legal in a bare name but is quoted anyway so that it
    /// never looks like an escape.
    private static func needsQuotes(_ name: String) -> Bool {
        if name.isEmpty { return true }
        for scalar in name.unicodeScalars {
            switch scalar {
            case "(", ")", ",", "\"", "\\", "*": return true
            default:
                if QueryCharacters.isWhitespace(scalar) || QueryCharacters.isControl(scalar) { return true }
            }
        }
        return false
    }
}

extension QueryExpression {
    /// AND and OR: the operands that need parentheses under NOT and under an AND.
    fileprivate var isCompound: Bool {
        switch self {
        case .and, .or: return true
        default: return false
        }
    }
}
