import Foundation
import LabelFormats
import Testing

@testable import LabelServer

/// The OpenAPI document describes exactly the routes the server registers.
@Suite struct OpenAPITests {
    @Test func documentMatchesTheRouter() async throws {
        try await withServer { server in
            let document = try JSONParser.parse(try OpenAPIDocument.bytes())
            #expect(document["openapi"] == "3.1.0")
            let paths = try #require(document["paths"]?.objectValue)
            var documented = Set<String>()
            for (path, item) in paths.entries {
                var operations = try #require(item.objectValue)
                if let reference = operations["$ref"]?.stringValue {
                    operations = try #require(resolve(reference, in: document)?.objectValue, "\(path): \(reference)")
                }
                for method in ["get", "put", "post", "patch", "delete"] {
                    guard let operation = operations[method] else { continue }
                    documented.insert("\(method.uppercased()) \(path)")
                    #expect(operation["responses"]?.objectValue?.isEmpty == false, "\(method) \(path) has responses")
                    #expect(operation["operationId"]?.stringValue != nil, "\(method) \(path) has an operationId")
                }
            }
            let registered = Set(server.routes)
            #expect(
                registered.subtracting(documented).isEmpty,
                "undocumented: \(registered.subtracting(documented).sorted())")
            #expect(
                documented.subtracting(registered).isEmpty, "not served: \(documented.subtracting(registered).sorted())"
            )
            // Every schema reference resolves.
            for reference in references(in: document) {
                #expect(resolve(reference, in: document) != nil, "dangling \(reference)")
            }
        }
    }

    private func resolve(_ reference: String, in document: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var value: JSONValue? = document
        for token in reference.dropFirst(2).split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            value = value?[key]
        }
        return value
    }

    private func references(in value: JSONValue) -> [String] {
        switch value {
        case .object(let object):
            return object.entries.flatMap { entry in
                entry.key == "$ref" ? [entry.value.stringValue ?? ""] : references(in: entry.value)
            }
        case .array(let items): return items.flatMap(references)
        default: return []
        }
    }
}
