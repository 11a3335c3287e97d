import LabelFormats

/// Typed access to a parsed JSON value that knows where it is, so every failure is an
/// `InputError` with an exact location.
struct FieldReader {
    let value: JSONValue
    let location: InputLocation

    init(_ value: JSONValue, at location: InputLocation) {
        self.value = value
        self.location = location
    }

    func object() throws(InputError) -> ObjectReader {
        guard case .object(let object) = value else { throw wrongType("an object") }
        return ObjectReader(object, at: location)
    }

    func array(maxItems: Int? = nil) throws(InputError) -> [FieldReader] {
        guard case .array(let items) = value else { throw wrongType("an array") }
        if let maxItems, items.count > maxItems {
            throw InputError(location, .tooManyItems(limit: maxItems, found: items.count))
        }
        return items.enumerated().map { FieldReader($0.element, at: location.appending($0.offset)) }
    }

    func string() throws(InputError) -> String {
        guard case .string(let text) = value else { throw wrongType("a string") }
        return text
    }

    /// A string of at most `maxCharacters` Unicode scalars (the unit Python's `len` counts).
    func string(maxCharacters: Int) throws(InputError) -> String {
        let text = try string()
        if text.unicodeScalars.count > maxCharacters {
            throw InputError(location, .tooLong(limit: maxCharacters, unit: "characters"))
        }
        return text
    }

    /// A string of at most `maxBytes` UTF-8 bytes.
    func string(maxBytes: Int) throws(InputError) -> String {
        let text = try string()
        if text.utf8.count > maxBytes { throw InputError(location, .tooLong(limit: maxBytes, unit: "bytes")) }
        return text
    }

    func bool() throws(InputError) -> Bool {
        guard case .bool(let flag) = value else { throw wrongType("a boolean") }
        return flag
    }

    /// A finite number.
    func double() throws(InputError) -> Double {
        guard case .number(let number) = value else { throw wrongType("a number") }
        guard let double = number.double else {
            throw InputError(
                location, .wrongType(expected: "a finite number", found: "a number too large for a double"))
        }
        return double
    }

    /// An integer inside Int64; integers outside that range are reported as such. As in JSON
    /// Schema, a number without a fractional part is an integer however it is written (`5.0`,
    /// `5e2`), when a double holds it exactly.
    func int64() throws(InputError) -> Int64 {
        guard case .number(let number) = value else { throw wrongType("an integer") }
        guard number.isIntegerLiteral else {
            guard let double = number.double, double.rounded(.towardZero) == double else {
                throw wrongType("an integer", found: "a fractional number")
            }
            guard abs(double) <= 9_007_199_254_740_992 else {
                throw InputError(location, .invalidValue("is too large to be exact unless written as an integer"))
            }
            return Int64(double)
        }
        guard let integer = number.int64 else {
            throw InputError(location, .invalidValue("is outside the 64-bit integer range"))
        }
        return integer
    }

    func int(in range: ClosedRange<Int>) throws(InputError) -> Int {
        let integer = try int64()
        if integer < Int64(range.lowerBound) { throw InputError(location, .belowMinimum(range.lowerBound)) }
        if integer > Int64(range.upperBound) { throw InputError(location, .aboveMaximum(range.upperBound)) }
        return Int(integer)
    }

    var isNull: Bool { value == .null }

    func wrongType(_ expected: String, found: String? = nil) -> InputError {
        InputError(location, .wrongType(expected: expected, found: found ?? value.typeName))
    }
}

/// A JSON object being read field by field.
struct ObjectReader {
    let object: JSONObject
    let location: InputLocation

    init(_ object: JSONObject, at location: InputLocation) {
        self.object = object
        self.location = location
    }

    /// Rejects members outside `known` (schemas with `additionalProperties: false`).
    func rejectUnknownKeys(_ known: Set<String>) throws(InputError) {
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw InputError(location.appending(unknown), .unknownField)
        }
    }

    /// The member, or a `missing` error.
    func required(_ key: String) throws(InputError) -> FieldReader {
        guard let value = object[key] else { throw InputError(location.appending(key), .missing) }
        return FieldReader(value, at: location.appending(key))
    }

    /// The member when present and not `null`.
    func optional(_ key: String) -> FieldReader? {
        guard let value = object[key], value != .null else { return nil }
        return FieldReader(value, at: location.appending(key))
    }

    func contains(_ key: String) -> Bool { object[key] != nil }
}
