import Foundation

/// How a query ran: the normalised query, the plan, and per node the estimated and actual
/// number of matches and the time spent (inclusive of the node's operands).
public struct QueryExplanation: Hashable, Sendable {
    public struct Node: Hashable, Sendable {
        /// `AND`, `OR`, `AND NOT`, `label`, `has:label`, `assets`, `all`, `none`.
        public var operation: String
        /// The node in query syntax.
        public var query: String
        public var estimatedCount: Int
        public var actualCount: Int
        public var microseconds: Double
        public var children: [Node]
    }

    public var normalizedQuery: String
    public var plan: Node
    public var warnings: [QueryWarning]

    /// A tree for terminals:
    /// `AND  est 1,200  actual 1,187  0.4 ms  label:a AND NOT label:b`
    public var rendered: String {
        var lines = ["normalised: \(normalizedQuery)"]
        for warning in warnings { lines.append("warning: \(warning)") }
        func visit(_ node: Node, depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            let time = String(format: "%.1f µs", node.microseconds)
            lines.append(
                "\(indent)\(node.operation)  est \(node.estimatedCount)  actual \(node.actualCount)  \(time)  \(Self.abbreviated(node.query))"
            )
            for child in node.children { visit(child, depth: depth + 1) }
        }
        visit(plan, depth: 0)
        return lines.joined(separator: "\n")
    }

    static func abbreviated(_ text: String) -> String {
        text.count > 120 ? String(text.prefix(117)) + "…" : text
    }
}
