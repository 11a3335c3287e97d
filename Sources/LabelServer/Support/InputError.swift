import LabelFormats

/// Where in a request a bad value sits: the FastAPI `loc` of ActionHub, the `param` of
/// ProjectDiscovery, the message text of the other families.
struct InputLocation: Sendable, Equatable {
    enum Source: String, Sendable {
        case body, query, header, path
    }

    enum Element: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    var source: Source
    var elements: [Element]

    init(_ source: Source, _ elements: [Element] = []) {
        self.source = source
        self.elements = elements
    }

    static let body = InputLocation(.body)

    static func query(_ name: String) -> InputLocation { InputLocation(.query, [.key(name)]) }
    static func header(_ name: String) -> InputLocation { InputLocation(.header, [.key(name)]) }
    static func path(_ name: String) -> InputLocation { InputLocation(.path, [.key(name)]) }

    func appending(_ key: String) -> InputLocation { InputLocation(source, elements + [.key(key)]) }
    func appending(_ index: Int) -> InputLocation { InputLocation(source, elements + [.index(index)]) }

    /// `labels[0].label`, or the parameter name for query, header and path values.
    var path: String {
        var text = ""
        for element in elements {
            switch element {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// How a person would name the place: "body field `labels[0]`", "query parameter `limit`".
    var phrase: String {
        switch source {
        case .body: elements.isEmpty ? "the body" : "body field `\(path)`"
        case .query: "query parameter `\(path)`"
        case .header: "header `\(path)`"
        case .path: "path parameter `\(path)`"
        }
    }

    /// FastAPI's `loc`: the source, then keys and indexes.
    var fastAPILocation: JSONValue {
        var items: [JSONValue] = [.string(source.rawValue)]
        for element in elements {
            switch element {
            case .key(let key): items.append(.string(key))
            case .index(let index): items.append(.int(index))
            }
        }
        return .array(items)
    }
}

/// A request value that is missing, of the wrong type, or out of bounds. Families render it in
/// their own error body; the server never answers bad input with a 5xx.
struct InputError: Error, Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case missing
        case wrongType(expected: String, found: String)
        case tooLong(limit: Int, unit: String)
        case tooShort(minimum: Int, unit: String)
        case tooManyItems(limit: Int, found: Int)
        case belowMinimum(Int)
        case aboveMaximum(Int)
        case unknownField
        case malformedJSON(JSONSyntaxError)
        case malformedBody(String)
        case invalidValue(String)
    }

    var location: InputLocation
    var kind: Kind

    init(_ location: InputLocation, _ kind: Kind) {
        self.location = location
        self.kind = kind
    }

    /// A sentence naming the place and the problem.
    var message: String {
        let place = location.phrase
        switch kind {
        case .missing: return "\(place) is required"
        case .wrongType(let expected, let found): return "\(place) must be \(expected), not \(found)"
        case .tooLong(let limit, let unit): return "\(place) is longer than \(limit) \(unit)"
        case .tooShort(let minimum, let unit):
            return minimum == 1 ? "\(place) must not be empty" : "\(place) must be at least \(minimum) \(unit)"
        case .tooManyItems(let limit, let found): return "\(place) has \(found) items; the limit is \(limit)"
        case .belowMinimum(let minimum): return "\(place) must be at least \(minimum)"
        case .aboveMaximum(let maximum): return "\(place) must be at most \(maximum)"
        case .unknownField: return "\(place) is not a known field"
        case .malformedJSON(let error): return "the body is not valid JSON: \(error.message) (byte \(error.offset))"
        case .malformedBody(let detail): return "the body is malformed: \(detail)"
        case .invalidValue(let detail): return "\(place) \(detail)"
        }
    }

    /// Pydantic v2's `msg` and `type` for the same problem (ActionHub is a FastAPI service).
    var pydantic: (message: String, type: String) {
        switch kind {
        case .missing: return ("Field required", "missing")
        case .wrongType(let expected, _):
            switch expected {
            case "a string": return ("Input should be a valid string", "string_type")
            case "a number": return ("Input should be a valid number", "float_type")
            case "a finite number": return ("Input should be a finite number", "finite_number")
            case "an integer": return ("Input should be a valid integer", "int_type")
            case "a boolean": return ("Input should be a valid boolean", "bool_type")
            case "an array": return ("Input should be a valid list", "list_type")
            default:
                return ("Input should be a valid dictionary or object to extract fields from", "model_attributes_type")
            }
        case .tooLong(let limit, let unit):
            return (
                "String should have at most \(limit) \(unit == "bytes" ? "bytes" : limit == 1 ? "character" : "characters")",
                "string_too_long"
            )
        case .tooShort(let minimum, _):
            return (
                "String should have at least \(minimum) \(minimum == 1 ? "character" : "characters")",
                "string_too_short"
            )
        case .tooManyItems(let limit, let found):
            return ("List should have at most \(limit) items after validation, not \(found)", "too_long")
        case .belowMinimum(let minimum):
            return ("Input should be greater than or equal to \(minimum)", "greater_than_equal")
        case .aboveMaximum(let maximum): return ("Input should be less than or equal to \(maximum)", "less_than_equal")
        case .unknownField: return ("Extra inputs are not permitted", "extra_forbidden")
        case .malformedJSON: return ("JSON decode error", "json_invalid")
        case .malformedBody(let detail): return ("Invalid body: \(detail)", "value_error")
        case .invalidValue(let detail): return ("Value error, \(detail)", "value_error")
        }
    }
}
