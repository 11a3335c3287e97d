import LabelQuery

package enum QueryParsing {
    /// Parses `text`; a syntax error becomes a bad-input failure showing the span under the
    /// query (`QuerySyntaxError.rendered(for:)`), after `location` when one is given.
    package static func prepare(_ text: String, location: String? = nil) throws -> PreparedQuery {
        // Through `Result`: a `catch` pattern on the typed error crashes the 6.3 compiler.
        switch Result(catching: { () throws(QueryError) -> PreparedQuery in try PreparedQuery(text) }) {
        case .success(let query):
            return query
        case .failure(.syntax(let error)):
            throw CommandFailure(.badInput, (location.map { $0 + "\n" } ?? "") + error.rendered(for: text))
        case .failure(let error):
            throw error
        }
    }
}
