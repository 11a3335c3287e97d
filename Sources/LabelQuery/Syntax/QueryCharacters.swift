/// Character classes of the query language, shared by the scanner (over UTF-8 bytes) and the
/// canonical printer (over scalars) so that what one reads and the other writes cannot disagree.
/// `Grammar/query.ebnf` spells out the same sets.
enum QueryCharacters {
    static let openParenthesis = UInt8(ascii: "(")
    static let closeParenthesis = UInt8(ascii: ")")
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let colon = UInt8(ascii: ":")
    static let star = UInt8(ascii: "*")
    static let minus = UInt8(ascii: "-")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    /// Unicode `White_Space`: separates tokens, so that text pasted with non-breaking spaces still
    /// reads as the user sees it.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Unicode general category `Cc`. Never part of a name, not even a quoted one, because they
    /// are invisible or corrupt terminals and logs; the whitespace among them still separates
    /// tokens.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x1F || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    /// Characters that end a bare name besides whitespace.
    static func isNameDelimiter(_ byte: UInt8) -> Bool {
        byte == openParenthesis || byte == closeParenthesis || byte == comma || byte == quote
    }

    static func isASCIIDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// `[A-Za-z_]`
    static func isAssetTypeStart(_ byte: UInt8) -> Bool { isASCIILetter(byte) || byte == UInt8(ascii: "_") }

    /// The number of bytes of the UTF-8 sequence that starts with `lead`.
    static func sequenceLength(lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }

    /// The scalar encoded at `index`; `bytes` come from a `String`, so they are valid UTF-8.
    static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Unicode.Scalar {
        let lead = bytes[index]
        let value: UInt32
        switch sequenceLength(lead: lead) {
        case 1:
            value = UInt32(lead)
        case 2:
            value = UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        case 3:
            value = UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        default:
            value =
                UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
        }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    /// The byte length of the whitespace character at `index`, or 0 if there is none.
    static func whitespaceLength(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x80 { return byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) ? 1 : 0 }
        // Only these lead bytes start non-ASCII whitespace; the check keeps names in other
        // scripts from being decoded scalar by scalar.
        guard byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3 else { return 0 }
        return isWhitespace(scalar(in: bytes, at: index)) ? sequenceLength(lead: byte) : 0
    }

    /// The byte length of the control character at `index`, or 0 if there is none.
    static func controlLength(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x80 { return isControl(Unicode.Scalar(byte)) ? 1 : 0 }
        guard byte == 0xC2 else { return 0 }
        return isControl(scalar(in: bytes, at: index)) ? 2 : 0
    }

    /// Whether `index` is past the end, or at whitespace or a name delimiter.
    static func endsName(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index >= bytes.count || isNameDelimiter(bytes[index]) || whitespaceLength(in: bytes, at: index) > 0
    }
}
