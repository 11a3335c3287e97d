import Foundation
import LabelIndex
import LabelQuery

/// A store in a temporary directory, for the executor tests.
final class QueryFixture: Sendable {
    let path: String
    let store: LabelStore

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("labelquery-\(UUID().uuidString)").path
        var options = LabelStore.Options()
        options.durability = .noSync
        options.initialMapSize = 64 << 20
        store = try LabelStore(path: path, options: options)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func run(_ text: String, _ request: QueryRequest = QueryRequest()) throws -> QueryResult {
        try store.query(PreparedQuery(text), in: .default, request)
    }
}
