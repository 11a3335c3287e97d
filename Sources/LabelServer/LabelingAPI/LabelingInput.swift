import Hummingbird
import LabelFormats
import LabelIndex

/// The fields of a Labeling API write, whatever its encoding: JSON, urlencoded or multipart
/// (the official clients use all three). Form values are strings; JSON keeps its types.
struct LabelingFields {
    var values: [(name: String, value: JSONValue)]
    /// Whether the fields came from a form, where every value is text.
    var isForm = false

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

    init(form: FormFields) {
        values = form.pairs.map { ($0.name, .string($0.value)) }
        isForm = true
    }

    func value(_ name: String) -> JSONValue? { values.last(where: { $0.name == name })?.value }

    /// A text field; numbers are accepted as their decimal text (ids are often sent unquoted).
    func text(_ name: String) throws(InputError) -> String? {
        guard let value = value(name) else { return nil }
        switch value {
        case .null: return nil
        case .string(let text): return text
        case .number(let number):
            // `61346.0` is the integer it equals, as JSON Schema reads it.
            if number.isIntegerLiteral { return number.text }
            if let integral = try? FieldReader(value, at: InputLocation(.body, [.key(name)])).int64() {
                return String(integral)
            }
            return number.text
        default:
            throw InputError(
                InputLocation(.body, [.key(name)]), .wrongType(expected: "a string", found: value.typeName))
        }
    }

    /// The resources of an add/remove call: a JSON array in `resources` (or JSON text of one);
    /// in a form, each `resources` field (repeated, as OpenAPI serialises a form array) holds a
    /// JSON array or object when it starts with `[` or `{`, and a form id otherwise; or form
    /// fields `resources[N][id]` and `resources[N][type]`.
    func resources(limit: Int) throws(InputError) -> [ResourceReference] {
        let location = InputLocation(.body, [.key("resources")])
        let fields = values.filter { $0.name == "resources" }.map(\.value)
        if !fields.isEmpty {
            var items: [FieldReader] = []
            for field in fields {
                var value = field
                if case .string(let text) = field {
                    guard text.hasPrefix("[") || text.hasPrefix("{") || !isForm else {
                        items.append(FieldReader(field, at: location.appending(items.count)))
                        continue
                    }
                    do { value = try JSONParser.parse(Array(text.utf8)) } catch {
                        throw InputError(location, .invalidValue("must be a JSON array of {id, type} objects"))
                    }
                }
                if case .object = value {
                    items.append(FieldReader(value, at: location.appending(items.count)))
                } else {
                    items.append(contentsOf: try FieldReader(value, at: location).array(maxItems: limit))
                }
                if items.count > limit { throw InputError(location, .tooManyItems(limit: limit, found: items.count)) }
            }
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

    /// `type` lower-cased, when it is a resource type: 1 to 64 ASCII letters, digits, `_`, `-`, `.`.
    static func normalizedType(_ type: String, at location: InputLocation) throws(InputError) -> String {
        // ASCII only, so the rule is one pattern everywhere (`^[A-Za-z0-9_.-]{1,64}$` in the
        // OpenAPI document) and lower-casing cannot change a type's length.
        guard (1...64).contains(type.utf8.count),
            type.utf8.allSatisfy({
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
            })
        else {
            throw InputError(location, .invalidValue("must be a resource type such as form, workflow, sheet or portal"))
        }
        return type.lowercased()
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
            if case .number = idField.value {
                id = String(try idField.int64())
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
