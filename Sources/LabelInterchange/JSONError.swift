/// The kind of a JSON value, as seen from its first byte.
public enum JSONValueKind: Sendable, Equatable, CustomStringConvertible {
    case object, array, string, number, bool, null

    /// The kind with its article, for messages: "an object", "null".
    public var description: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// Where and why `JSONScanner` rejected its input.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Offset of the offending byte from the start of the scanned buffer (0-based).
    public var offset: Int
    /// What is wrong at `offset`.
    public var reason: JSONErrorReason

    /// An error at `offset`.
    public init(offset: Int, reason: JSONErrorReason) {
        self.offset = offset
        self.reason = reason
    }

    /// `byte offset: reason`.
    public var description: String { "byte \(offset): \(reason)" }
}

/// Why a JSON text is invalid (RFC 8259) or not what the caller asked for.
public enum JSONErrorReason: Equatable, Sendable, CustomStringConvertible {
    /// The input ended where `expected` was due.
    case unexpectedEnd(expected: String)
    /// A byte that cannot start or continue the construct; `expected` says what could.
    case unexpectedByte(UInt8, expected: String)
    /// The caller asked for one kind of value and the input holds another.
    case typeMismatch(expected: JSONValueKind, found: JSONValueKind)
    /// `t`, `f` or `n` not followed by the rest of `true`, `false` or `null`.
    case invalidLiteral
    /// A string without its closing quote.
    case unterminatedString
    /// An unescaped byte below 0x20 inside a string.
    case controlCharacterInString(UInt8)
    /// A byte sequence inside a string that is not UTF-8 (overlong forms and encoded surrogates included).
    case invalidUTF8
    /// A backslash followed by something other than `" \ / b f n r t u`.
    case invalidEscape
    /// `\u` not followed by four hexadecimal digits.
    case invalidUnicodeEscape
    /// A `\uD800`–`\uDFFF` escape that is not part of a high-low surrogate pair.
    case loneSurrogate
    /// A number with a superfluous leading zero, such as `012`.
    case leadingZero
    /// A number that breaks the grammar; `detail` says how.
    case invalidNumber(detail: String)
    /// A fraction or exponent where an integer is required.
    case integerExpected
    /// An integer outside `Int64.min...Int64.max`.
    case integerOutOfRange
    /// A number too large in magnitude for a `Double`.
    case numberOutOfRange
    /// Arrays and objects nested deeper than the scanner's limit.
    case nestingTooDeep(limit: Int)
    /// Something other than whitespace after the complete value.
    case trailingCharacters

    /// A one-line explanation for people.
    public var description: String {
        switch self {
        case .unexpectedEnd(let expected): "unexpected end of input, expected \(expected)"
        case .unexpectedByte(let byte, let expected): "unexpected \(describe(byte: byte)), expected \(expected)"
        case .typeMismatch(let expected, let found): "expected \(expected), found \(found)"
        case .invalidLiteral: "invalid literal (expected true, false or null)"
        case .unterminatedString: "unterminated string"
        case .controlCharacterInString(let byte):
            "unescaped control character \(describe(byte: byte)) in string (escape it as \\u00\(hex2(byte)))"
        case .invalidUTF8: "invalid UTF-8 in string"
        case .invalidEscape: "invalid escape sequence (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
        case .invalidUnicodeEscape: "\\u must be followed by four hexadecimal digits"
        case .loneSurrogate: "lone UTF-16 surrogate in \\u escape"
        case .leadingZero: "leading zero in number"
        case .invalidNumber(let detail): "invalid number: \(detail)"
        case .integerExpected: "expected an integer, found a fraction or exponent"
        case .integerOutOfRange: "integer out of the Int64 range"
        case .numberOutOfRange: "number too large for a double"
        case .nestingTooDeep(let limit): "arrays and objects nested deeper than \(limit) levels"
        case .trailingCharacters: "unexpected characters after the value"
        }
    }
}

/// `'x'` for printable ASCII, `byte 0xNN` otherwise: error messages must stay on one line.
func describe(byte: UInt8) -> String {
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    if byte == 0x0A { return "line break" }
    if byte == 0x20 { return "space" }
    return "byte 0x\(hex2(byte))"
}

func hex2(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
}
