// The syntax layer of the LabelIndex query language: the AST, the parser, its limits and errors,
// the canonical printer and the terminal rendering of errors. It depends on the standard library
// only, so the planner and executor (in `Execution/`) and any front end can share one definition of
// the language. `Grammar/query.ebnf` is the normative grammar; `Grammar/corpus/` pins this code to it.

/// A parsed label query.
///
/// The parser keeps the structure as written: `a AND b AND c` is one `and` with three operands,
/// `(a AND b) AND c` is an `and` nested in an `and`, and `NOT NOT a` is two `not`s. Parentheses
/// around a single operand leave no trace.
public indirect enum QueryExpression: Hashable, Sendable {
    /// `*`: every asset.
    case all
    /// `label:a,b,c*`: assets that have any of the patterns (at least one item).
    case labels([LabelPattern])
    /// `under:a,b`: assets that have any of the labels or one of their descendants (at least one item).
    case under([String])
    /// `has:label`: assets with at least one label.
    case hasLabel
    /// `no:label`: assets without any label.
    case noLabel
    /// `asset:1,2,form:x`: the listed assets (at least one item).
    case assets([AssetReference])
    /// `NOT x` or `-x`: every asset that does not match the operand.
    case not(QueryExpression)
    /// `a AND b`: assets matching every operand (at least two, in source order).
    case and([QueryExpression])
    /// `a OR b`: assets matching any operand (at least two, in source order).
    case or([QueryExpression])
}

/// One item of a `label:` list.
public enum LabelPattern: Hashable, Sendable {
    /// The label with exactly this name (case-sensitive).
    case exact(String)
    /// Every label whose name starts with this prefix; the empty prefix matches every label.
    case prefix(String)
}

/// One item of an `asset:` list.
public enum AssetReference: Hashable, Sendable {
    /// A numeric asset id, written in decimal: `asset:-7`.
    case id(Int64)
    /// A string id qualified by a type: `asset:form:251464995493876` or `asset:form:"a b"`.
    case typed(type: String, id: String)
}

extension QueryExpression {
    /// Parses `text` with the given limits.
    ///
    /// - Throws: `QuerySyntaxError` describing the first problem found.
    public init(parsing text: String, limits: QueryLimits = QueryLimits()) throws(QuerySyntaxError) {
        self = try QueryParser(limits: limits).parse(text)
    }
}
