/// Why a body is not valid JSON, with the byte offset of the problem.
package struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    package var offset: Int
    package var message: String

    package var description: String { "invalid JSON at byte \(offset): \(message)" }
}

/// A strict RFC 8259 parser: no comments, no trailing commas, no NaN, UTF-8 only, control
/// characters in strings rejected, nesting bounded (so hostile input cannot exhaust the stack).
package struct JSONParser {
    package static let maximumDepth = 64

    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses one JSON value that must make up the whole of `bytes` (whitespace aside).
    package static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        if let offset = UTF8Validation.firstInvalidOffset(in: bytes) {
            throw JSONSyntaxError(offset: offset, message: "the body is not valid UTF-8")
        }
        var parser = JSONParser(bytes)
        // A UTF-8 byte order mark is tolerated, as many encoders write one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        parser.skipWhitespace()
        guard parser.index < bytes.count else {
            throw JSONSyntaxError(offset: parser.index, message: "the body is empty")
        }
        let value = try parser.parseValue(depth: 1)
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw JSONSyntaxError(
                offset: parser.index, message: "unexpected \(parser.describeCurrent()) after the value")
        }
        return value
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw fail("unexpected end of input; expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected \(describeCurrent()); expected a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw fail("nesting is deeper than \(Self.maximumDepth) levels") }
        index += 1
        var entries: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            return .object(JSONObject(entries))
        }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else {
                throw fail("unexpected \(describeCurrent()); expected a member name in quotes")
            }
            let key = try parseString()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else {
                throw fail("unexpected \(describeCurrent()); expected ':' after a member name")
            }
            index += 1
            skipWhitespace()
            entries.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            if peek(UInt8(ascii: "}")) {
                index += 1
                return .object(JSONObject(entries))
            }
            throw fail("unexpected \(describeCurrent()); expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw fail("nesting is deeper than \(Self.maximumDepth) levels") }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                continue
            }
            if peek(UInt8(ascii: "]")) {
                index += 1
                return .array(items)
            }
            throw fail("unexpected \(describeCurrent()); expected ',' or ']'")
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1
        var start = index
        var output: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                output.append(contentsOf: bytes[start..<index])
                index += 1
                return String(decoding: output, as: UTF8.self)
            case UInt8(ascii: "\\"):
                output.append(contentsOf: bytes[start..<index])
                try parseEscape(into: &output)
                start = index
            case 0..<0x20:
                throw fail("control character U+\(hex4(UInt16(byte))) in a string; escape it")
            default:
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws(JSONSyntaxError) {
        index += 1
        guard index < bytes.count else { throw fail("unterminated string") }
        let escaped = bytes[index]
        index += 1
        if let decoded = JSONEscape.byte(forShortEscape: escaped) {
            output.append(decoded)
            return
        }
        guard escaped == UInt8(ascii: "u") else {
            index -= 1
            throw fail("invalid escape \\\(describeCurrent())")
        }
        var scalar = UInt32(try parseHex4())
        if JSONEscape.isHighSurrogate(scalar) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw fail("unpaired surrogate \\u\(hex4(UInt16(scalar)))") }
            index += 2
            let low = UInt32(try parseHex4())
            guard JSONEscape.isLowSurrogate(low) else { throw fail("unpaired surrogate \\u\(hex4(UInt16(scalar)))") }
            scalar = JSONEscape.scalar(high: scalar, low: low)
        } else if JSONEscape.isLowSurrogate(scalar) {
            throw fail("unpaired surrogate \\u\(hex4(UInt16(scalar)))")
        }
        JSONEscape.appendUTF8(of: scalar, to: &output)
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw fail("incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = JSONEscape.hexValue(bytes[index]) else { throw fail("invalid hex digit in a \\u escape") }
            value = value << 4 | digit
            index += 1
        }
        return UInt16(value)
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a number needs digits") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw fail("numbers must not have leading zeros") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a fraction needs digits after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("an exponent needs digits") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        // Hostile bodies can hold megabytes of digits; no legitimate number needs more than this.
        guard index - start <= 400 else {
            index = start
            throw fail("number literal is longer than 400 characters")
        }
        return JSONNumber(text: String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected)
        else {
            throw fail("unexpected \(describeCurrent()); expected a value")
        }
        index += expected.count
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private func fail(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: index, message: message) }

    private func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
