/// A JSON document as parsed from a request or built for a response.
///
/// The server parses request bodies itself instead of using `JSONDecoder`, so every family can
/// report exactly where a body is wrong (FastAPI-style `loc` paths for ActionHub, `param` for
/// ProjectDiscovery) and so numbers keep their text: an id too large for Int64 is reported as
/// such instead of being silently rounded through `Double`.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    package static func int<Integer: BinaryInteger>(_ value: Integer) -> JSONValue {
        .number(JSONNumber(text: String(value)))
    }

    /// A finite double; non-finite values become `null`, which JSON cannot otherwise express.
    package static func double(_ value: Double) -> JSONValue {
        value.isFinite ? .number(JSONNumber(text: JSONNumber.format(value))) : .null
    }

    /// The name of the value's type, as used in error messages.
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    package var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    package var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    package var numberValue: JSONNumber? {
        if case .number(let number) = self { return number }
        return nil
    }

    package subscript(key: String) -> JSONValue? { objectValue?[key] }
}

/// A JSON number kept as its source text.
package struct JSONNumber: Sendable, Equatable {
    package let text: String

    package init(text: String) { self.text = text }

    /// The value when it is an integer (no fraction, no exponent) inside the Int64 range.
    package var int64: Int64? { Int64(text) }

    /// Whether the text is written as an integer (possibly outside any fixed-width range).
    package var isIntegerLiteral: Bool { !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) }

    /// The value as a finite double; `nil` when it overflows to infinity.
    package var double: Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Shortest round-tripping text; integral values print without a fraction (`1`, not `1.0`).
    package static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// A JSON object that keeps its members in order (responses are written in a fixed field
/// order). When a parsed object repeats a key, the last occurrence wins, as in most parsers.
package struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    package private(set) var entries: [(key: String, value: JSONValue)]

    package init() { entries = [] }

    package init(_ entries: [(key: String, value: JSONValue)]) { self.entries = entries }

    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        entries = elements.map { (key: $0.0, value: $0.1) }
    }

    package subscript(key: String) -> JSONValue? {
        get { entries.last(where: { $0.key == key })?.value }
        set {
            entries.removeAll { $0.key == key }
            if let newValue { entries.append((key, newValue)) }
        }
    }

    package var keys: [String] { entries.map(\.key) }
    package var isEmpty: Bool { entries.isEmpty }

    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByIntegerLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
    package init(nilLiteral: ()) { self = .null }
    package init(integerLiteral value: Int) { self = .int(value) }
}

extension Optional where Wrapped == String {
    /// The string, or `null`.
    package var json: JSONValue { map(JSONValue.string) ?? .null }
}
