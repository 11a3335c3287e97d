import Hummingbird
import LabelIndex

/// The fields of a Labeling API write, whatever its encoding: JSON, urlencoded or multipart
/// (the official clients use all three). Form values are strings; JSON keeps its types.
struct LabelingFields {
    var values: [(name: String, value: JSONValue)]

    static func read(_ request: Request, limit: Int) async throws -> LabelingFields {
        let bytes = try await request.collectBody(limit: limit)
        switch request.bodyEncoding {
        case .json:
            return try fromJSON(bytes)
        case .urlEncodedForm:
            return LabelingFields(form: try FormFields(urlEncoded: bytes, source: .body))
        case .multipartForm(let boundary):
            return LabelingFields(form: try MultipartForm.parse(bytes, boundary: boundary))
        case .unspecified, .ndjson:
            let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
            if first == nil { return LabelingFields(values: []) }
            return first == UInt8(ascii: "{")
                ? try fromJSON(bytes) : LabelingFields(form: try FormFields(urlEncoded: bytes, source: .body))
        case .other(let mediaType):
            throw LabelingError(
                status: .unsupportedMediaType,
                message:
                    "unsupported Content-Type \(mediaType); send JSON, application/x-www-form-urlencoded or multipart/form-data"
            )
        }
    }

    private static func fromJSON(_ bytes: [UInt8]) throws -> LabelingFields {
        guard !bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return LabelingFields(values: []) }
        let object = try FieldReader(parseJSONBody(bytes), at: .body).object()
        return LabelingFields(values: object.object.entries.map { ($0.key, $0.value) })
    }

    init(values: [(name: String, value: JSONValue)]) { self.values = values }

    init(form: FormFields) { values = form.pairs.map { ($0.name, .string($0.value)) } }

    func value(_ name: String) -> JSONValue? { values.last(where: { $0.name == name })?.value }

    /// A text field; numbers are accepted as their decimal text (ids are often sent unquoted).
    func text(_ name: String) throws(InputError) -> String? {
        guard let value = value(name) else { return nil }
        switch value {
        case .null: return nil
        case .string(let text): return text
        case .number(let number): return number.text
        default:
            throw InputError(
                InputLocation(.body, [.key(name)]), .wrongType(expected: "a string", found: value.typeName))
        }
    }

    /// The resources of an add/remove call: a JSON array in `resources` (in JSON bodies, or as
    /// JSON text in a form field), or form fields `resources[N][id]` and `resources[N][type]`.
    func resources(limit: Int) throws(InputError) -> [ResourceReference] {
        let location = InputLocation(.body, [.key("resources")])
        if let value = value("resources") {
            var array = value
            if case .string(let text) = value {
                do { array = try JSONParser.parse(Array(text.utf8)) } catch {
                    throw InputError(location, .invalidValue("must be a JSON array of {id, type} objects"))
                }
            }
            let items = try FieldReader(array, at: location).array(maxItems: limit)
            var references: [ResourceReference] = []
            for item in items { references.append(try ResourceReference(item)) }
            return references
        }
        var byIndex: [Int: (id: String?, type: String?)] = [:]
        for (name, value) in values where name.hasPrefix("resources[") {
            let parts = name.dropFirst("resources".count).split(separator: "]").map { $0.dropFirst() }
            guard parts.count == 2, let index = Int(parts[0]), index >= 0, index < limit, case .string(let text) = value
            else {
                throw InputError(InputLocation(.body, [.key(name)]), .unknownField)
            }
            switch parts[1] {
            case "id": byIndex[index, default: (nil, nil)].id = text
            case "type": byIndex[index, default: (nil, nil)].type = text
            default: throw InputError(InputLocation(.body, [.key(name)]), .unknownField)
            }
        }
        guard !byIndex.isEmpty else { throw InputError(location, .missing) }
        var references: [ResourceReference] = []
        for index in byIndex.keys.sorted() {
            let entry = byIndex[index]!
            guard let id = entry.id else { throw InputError(location.appending(index).appending("id"), .missing) }
            references.append(try ResourceReference(id: id, type: entry.type ?? "form", at: location.appending(index)))
        }
        return references
    }
}

/// A Labeling API resource: a typed asset (`form`, `workflow`, `sheet`, `portal`, …). Types are
/// stored lower case and echoed upper case.
struct ResourceReference: Hashable, Sendable {
    var id: String
    var type: String

    init(id: String, type: String, at location: InputLocation) throws(InputError) {
        let lowered = try Self.normalizedType(type, at: location.appending("type"))
        guard NameRule.violation(of: id, limit: NameRule.assetStringIDBytes) == nil else {
            throw InputError(
                location.appending("id"),
                .invalidValue("must be 1 to \(NameRule.assetStringIDBytes) bytes without control characters"))
        }
        self.id = id
        self.type = lowered
    }

    /// `type` lower-cased, when it is a resource type: 1 to 64 letters, digits, `_`, `-`, `.`.
    static func normalizedType(_ type: String, at location: InputLocation) throws(InputError) -> String {
        let lowered = type.lowercased()
        guard !lowered.isEmpty, lowered.utf8.count <= 64,
            lowered.unicodeScalars.allSatisfy({
                $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == "-" || $0 == "."
            })
        else {
            throw InputError(location, .invalidValue("must be a resource type such as form, workflow, sheet or portal"))
        }
        return lowered
    }

    /// `{"id": "…", "type": "form"}` (id may be a number), or a bare id string meaning a form.
    init(_ field: FieldReader) throws(InputError) {
        switch field.value {
        case .string(let id):
            try self.init(id: id, type: "form", at: field.location)
        case .object:
            let object = try field.object()
            let idField = try object.required("id")
            let id: String
            if case .number(let number) = idField.value, number.isIntegerLiteral {
                id = number.text
            } else {
                id = try idField.string()
            }
            let type = try object.optional("type")?.string() ?? "form"
            try self.init(id: id, type: type, at: field.location)
        default:
            throw field.wrongType("an object with id and type")
        }
    }

    var json: JSONValue { ["id": .string(id), "type": .string(type.uppercased())] }
}
