import LabelFormats

/// A string value inside a scanner's buffer: the bytes between its quotes, still escaped.
///
/// Reading a string yields this range rather than a `String` so that keys and label names can be
/// matched and interned straight from the input bytes.
public struct JSONString: Sendable, Equatable {
    /// Where the bytes between the quotes lie in the scanned buffer.
    public let range: Range<Int>
    /// Whether those bytes contain backslash escapes; if not, they are the string's UTF-8 as is.
    public let hasEscapes: Bool

    /// A string token; `hasEscapes` must say whether `range` contains a backslash.
    public init(range: Range<Int>, hasEscapes: Bool) {
        self.range = range
        self.hasEscapes = hasEscapes
    }
}

extension JSONScanner {
    /// Reads a string, validating its UTF-8 and escapes; nothing is decoded or allocated.
    @inline(__always) public mutating func readString() throws(JSONError) -> JSONString {
        try expectValue(UInt8(ascii: "\""), .string)
        return try scanString()
    }

    /// The bytes between the quotes of `string`, escapes not decoded.
    public func rawBytes(of string: JSONString) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + string.range.lowerBound, count: string.range.count)
    }

    /// The text of `string` with escapes decoded.
    public func string(_ string: JSONString) -> String {
        if !string.hasEscapes { return String(decoding: rawBytes(of: string), as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.range.count)
        appendDecoded(string, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 of `string`, escapes decoded, to `output`.
    public func appendDecoded(_ string: JSONString, to output: inout [UInt8]) {
        guard string.hasEscapes else {
            output.append(contentsOf: rawBytes(of: string))
            return
        }
        var p = string.range.lowerBound
        let end = string.range.upperBound
        while p < end {
            let b = byte(at: p)
            guard b == UInt8(ascii: "\\") else {
                output.append(b)
                p += 1
                continue
            }
            let escaped = byte(at: p + 1)
            p += 2
            if let decoded = JSONEscape.byte(forShortEscape: escaped) {
                output.append(decoded)
                continue
            }
            // `\u`: `scanString` has validated it, so the digits and any low surrogate are there.
            var scalar = hex4(at: p)!
            p += 4
            if JSONEscape.isHighSurrogate(scalar) {
                scalar = JSONEscape.scalar(high: scalar, low: hex4(at: p + 2)!)
                p += 6
            }
            JSONEscape.appendUTF8(of: scalar, to: &output)
        }
    }

    /// Scans the string whose opening quote is at `offset` and steps past its closing quote.
    @inline(__always) mutating func scanString() throws(JSONError) -> JSONString {
        let start = offset + 1
        var p = start
        var hasEscapes = false
        while true {
            p = Self.endOfPlainASCII(base, from: p, to: count)
            guard p < count else { throw failure(.unterminatedString, at: start - 1) }
            let b = byte(at: p)
            if b == UInt8(ascii: "\"") {
                offset = p + 1
                return JSONString(range: start..<p, hasEscapes: hasEscapes)
            } else if b == UInt8(ascii: "\\") {
                hasEscapes = true
                p = try scanEscape(at: p, stringStart: start - 1)
            } else if b < 0x20 {
                throw failure(.controlCharacterInString(b), at: p)
            } else if b == 0x7F {
                p += 1
            } else {
                p = try scanUTF8Sequence(at: p)
            }
        }
    }

    /// The first offset in `from..<end` holding anything but printable ASCII (0x20–0x7E) other than
    /// a quote or a backslash (or `end`). Looks at eight bytes per step: most strings are plain
    /// ASCII, and a string that is entirely so needs no further checks as a label name.
    @inline(__always) static func endOfPlainASCII(_ base: UnsafeRawPointer, from: Int, to end: Int) -> Int {
        var p = from
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while p &+ 8 <= end {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            // Each term flags bytes in their high bit: quotes, backslashes, bytes below 0x20, and
            // bytes above 0x7E (adding 1 carries 0x7F into the high bit). The lowest flag is exact:
            // borrows and carries only travel upwards from a byte that is itself flagged.
            let flags =
                ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
                | ((word &- ones &* 0x20) & ~word) | (word &+ ones) | word
            let special = flags & highs
            if special != 0 { return p &+ (special.trailingZeroBitCount >> 3) }
            p &+= 8
        }
        while p < end {
            let b = base.load(fromByteOffset: p, as: UInt8.self)
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x7F { return p }
            p &+= 1
        }
        return end
    }

    /// Validates the escape whose backslash is at `p` and returns the offset after it.
    mutating func scanEscape(at p: Int, stringStart: Int) throws(JSONError) -> Int {
        guard p + 1 < count else { throw failure(.unterminatedString, at: stringStart) }
        let escaped = byte(at: p + 1)
        if JSONEscape.byte(forShortEscape: escaped) != nil { return p + 2 }
        guard escaped == UInt8(ascii: "u") else { throw failure(.invalidEscape, at: p) }
        guard let unit = hex4(at: p + 2) else { throw failure(.invalidUnicodeEscape, at: p) }
        if JSONEscape.isLowSurrogate(unit) { throw failure(.loneSurrogate, at: p) }
        guard JSONEscape.isHighSurrogate(unit) else { return p + 6 }
        guard p + 7 < count, byte(at: p + 6) == UInt8(ascii: "\\"), byte(at: p + 7) == UInt8(ascii: "u") else {
            throw failure(.loneSurrogate, at: p)
        }
        guard let low = hex4(at: p + 8) else { throw failure(.invalidUnicodeEscape, at: p + 6) }
        guard JSONEscape.isLowSurrogate(low) else { throw failure(.loneSurrogate, at: p) }
        return p + 12
    }

    /// The value of four hexadecimal digits at `p`, or `nil`.
    func hex4(at p: Int) -> UInt32? {
        guard p + 4 <= count else { return nil }
        var value: UInt32 = 0
        for i in 0..<4 {
            guard let digit = JSONEscape.hexValue(byte(at: p + i)) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    /// Validates the multi-byte UTF-8 sequence starting at `p` and returns the offset after it.
    @inline(__always) func scanUTF8Sequence(at p: Int) throws(JSONError) -> Int {
        guard let length = UTF8Validation.sequenceLength(base, at: p, end: count) else {
            throw failure(.invalidUTF8, at: p)
        }
        return p + length
    }
}
