/// A boolean expression over label indices: the one source from which a bench query's text,
/// its SQL and its in-memory floor evaluation are all derived, so the three cannot drift.
public indirect enum ShapeExpression: Hashable, Codable, Sendable {
    /// Assets carrying the label.
    case label(Int)
    /// Every asset of the workload that the operand does not match.
    case not(ShapeExpression)
    /// Assets matching every operand (at least one).
    case and([ShapeExpression])
    /// Assets matching any operand (at least one).
    case or([ShapeExpression])

    /// Every label the expression mentions, in order of appearance.
    public var labels: [Int] {
        switch self {
        case .label(let label): [label]
        case .not(let operand): operand.labels
        case .and(let operands), .or(let operands): operands.flatMap(\.labels)
        }
    }

    /// The expression in the query language, e.g. `label:a AND NOT (label:b OR label:c)`.
    ///
    /// Every compound operand of a binary operator is parenthesised, so the text reads the same
    /// under any precedence rules.
    public func text(labelNames: [String]) -> String {
        switch self {
        case .label(let label):
            return "label:" + labelNames[label]
        case .not(let operand):
            return "NOT " + operand.operandText(labelNames: labelNames)
        case .and(let operands):
            return operands.map { $0.operandText(labelNames: labelNames) }.joined(separator: " AND ")
        case .or(let operands):
            return operands.map { $0.operandText(labelNames: labelNames) }.joined(separator: " OR ")
        }
    }

    private func operandText(labelNames: [String]) -> String {
        switch self {
        case .label, .not: text(labelNames: labelNames)
        case .and, .or: "(" + text(labelNames: labelNames) + ")"
        }
    }
}

extension ShapeExpression {
    /// The same expression with AND operands that are themselves ANDs (and OR in OR) merged
    /// into their parent, so planners see every conjunct at one level.
    var flattened: ShapeExpression {
        switch self {
        case .label: self
        case .not(let operand): .not(operand.flattened)
        case .and(let operands):
            .and(
                operands.flatMap { operand -> [ShapeExpression] in
                    if case .and(let inner) = operand.flattened { inner } else { [operand.flattened] }
                })
        case .or(let operands):
            .or(
                operands.flatMap { operand -> [ShapeExpression] in
                    if case .or(let inner) = operand.flattened { inner } else { [operand.flattened] }
                })
        }
    }
}
