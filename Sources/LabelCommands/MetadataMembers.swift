/// The top-level members of an asset's metadata when it is a JSON object, as far as
/// `AttributeFilter` compares them: strings, numbers (by their JSON text), booleans, null and
/// arrays of those; nested objects are kept only as "an object". Metadata that is not a
/// well-formed JSON object has no members.
struct MetadataMembers {
    indirect enum Value: Equatable {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        case array([Value])
        case object

        func matches(anyOf values: [String]) -> Bool {
            switch self {
            case .string(let text), .number(let text): values.contains(text)
            case .bool(let flag): values.contains(flag ? "true" : "false")
            case .array(let items): items.contains { $0.matches(anyOf: values) }
            case .null, .object: false
            }
        }
    }

    private var members: [String: Value] = [:]

    subscript(key: String) -> Value? { members[key] }

    /// Nesting deeper than this is malformed for filtering (keeps the recursion bounded).
    static let maximumDepth = 64

    init?(json bytes: [UInt8]) {
        var parser = Parser(bytes: bytes)
        guard let object = parser.topLevelObject() else { return nil }
        members = object
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func topLevelObject() -> [String: Value]? {
            skipWhitespace()
            guard peek() == UInt8(ascii: "{") else { return nil }
            var result: [String: Value] = [:]
            guard object(depth: 1, into: &result) else { return nil }
            skipWhitespace()
            return position == bytes.count ? result : nil
        }

        private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

        private mutating func skipWhitespace() {
            while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        private mutating func expect(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard peek() == byte else { return false }
            position += 1
            return true
        }

        /// Parses `{...}` at `position`; members go into `members` (duplicates: the last wins).
        private mutating func object(depth: Int, into members: inout [String: Value]) -> Bool {
            guard depth <= MetadataMembers.maximumDepth, expect(UInt8(ascii: "{")) else { return false }
            if expect(UInt8(ascii: "}")) { return true }
            while true {
                skipWhitespace()
                guard let key = string(), expect(UInt8(ascii: ":")), let value = value(depth: depth) else {
                    return false
                }
                members[key] = value
                if expect(UInt8(ascii: ",")) { continue }
                return expect(UInt8(ascii: "}"))
            }
        }

        private mutating func value(depth: Int) -> Value? {
            skipWhitespace()
            guard let byte = peek() else { return nil }
            switch byte {
            case UInt8(ascii: "\""): return string().map(Value.string)
            case UInt8(ascii: "{"):
                var ignored: [String: Value] = [:]
                return object(depth: depth + 1, into: &ignored) ? .object : nil
            case UInt8(ascii: "["):
                guard depth < MetadataMembers.maximumDepth else { return nil }
                position += 1
                var items: [Value] = []
                if expect(UInt8(ascii: "]")) { return .array(items) }
                while true {
                    guard let item = value(depth: depth + 1) else { return nil }
                    items.append(item)
                    if expect(UInt8(ascii: ",")) { continue }
                    return expect(UInt8(ascii: "]")) ? .array(items) : nil
                }
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return number()
            }
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count else { return false }
            for index in 0..<count where bytes[position + index] != word.utf8Start[index] { return false }
            position += count
            return true
        }

        private mutating func number() -> Value? {
            let start = position
            while let byte = peek(),
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
                    || byte == UInt8(ascii: "E")
            {
                position += 1
            }
            guard position > start else { return nil }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            // The grammar check Swift's parser does; the text itself is what is compared.
            return Double(text) == nil ? nil : .number(text)
        }

        /// A JSON string at `position` (which must be at its quote), unescaped.
        private mutating func string() -> String? {
            guard peek() == UInt8(ascii: "\"") else { return nil }
            position += 1
            var scalars = String.UnicodeScalarView()
            var pendingHighSurrogate: UInt32?
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return pendingHighSurrogate == nil ? String(scalars) : nil
                }
                if byte == UInt8(ascii: "\\") {
                    guard position + 1 < bytes.count else { return nil }
                    let escape = bytes[position + 1]
                    position += 2
                    var scalar: UInt32
                    switch escape {
                    case UInt8(ascii: "\""): scalar = 0x22
                    case UInt8(ascii: "\\"): scalar = 0x5C
                    case UInt8(ascii: "/"): scalar = 0x2F
                    case UInt8(ascii: "b"): scalar = 0x08
                    case UInt8(ascii: "f"): scalar = 0x0C
                    case UInt8(ascii: "n"): scalar = 0x0A
                    case UInt8(ascii: "r"): scalar = 0x0D
                    case UInt8(ascii: "t"): scalar = 0x09
                    case UInt8(ascii: "u"):
                        guard position + 4 <= bytes.count,
                            let code = UInt32(
                                String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
                        else { return nil }
                        position += 4
                        scalar = code
                    default: return nil
                    }
                    if let high = pendingHighSurrogate {
                        guard (0xDC00...0xDFFF).contains(scalar) else { return nil }
                        scalar = 0x10000 + ((high - 0xD800) << 10) + (scalar - 0xDC00)
                        pendingHighSurrogate = nil
                    } else if (0xD800...0xDBFF).contains(scalar) {
                        pendingHighSurrogate = scalar
                        continue
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    scalars.append(unicode)
                    continue
                }
                guard pendingHighSurrogate == nil, byte >= 0x20 else { return nil }
                // Metadata is arbitrary bytes: an invalid UTF-8 sequence makes it malformed.
                let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                guard position + length <= bytes.count else { return nil }
                let text = String(validating: bytes[position..<position + length], as: UTF8.self)
                guard let text else { return nil }
                scalars.append(contentsOf: text.unicodeScalars)
                position += length
            }
            return nil
        }
    }
}
