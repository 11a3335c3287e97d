/// A number inside a scanner's buffer: checked against the grammar, not yet converted.
public struct JSONNumber: Sendable, Equatable {
    /// Where the number's bytes lie in the scanned buffer.
    public let range: Range<Int>
    /// Whether the number has neither a fraction nor an exponent.
    public let isInteger: Bool

    /// A number token; `isInteger` must say whether `range` holds neither fraction nor exponent.
    public init(range: Range<Int>, isInteger: Bool) {
        self.range = range
        self.isInteger = isInteger
    }
}

extension JSONScanner {
    /// Reads a number without converting it.
    @inline(__always) public mutating func readNumber() throws(JSONError) -> JSONNumber {
        skipWhitespace()
        guard offset < count, Self.kind(startingWith: byte(at: offset)) == .number else {
            if offset < count, let found = Self.kind(startingWith: byte(at: offset)) {
                throw failure(.typeMismatch(expected: .number, found: found))
            }
            throw unexpected("a number")
        }
        return try scanNumber()
    }

    /// Reads an integer exactly; a fraction, an exponent or a value outside `Int64` is an error.
    @inline(__always) public mutating func readInt64() throws(JSONError) -> Int64 {
        try int64Value(of: readNumber())
    }

    /// Reads a number as the nearest `Double`; magnitudes beyond `Double.greatestFiniteMagnitude` are errors.
    public mutating func readDouble() throws(JSONError) -> Double {
        try doubleValue(of: readNumber())
    }

    /// The exact value of an integer number.
    public func int64Value(of number: JSONNumber) throws(JSONError) -> Int64 {
        guard number.isInteger else { throw failure(.integerExpected, at: number.range.lowerBound) }
        var p = number.range.lowerBound
        let negative = byte(at: p) == UInt8(ascii: "-")
        if negative { p += 1 }
        var value: Int64 = 0
        while p < number.range.upperBound {
            let digit = Int64(byte(at: p) &- UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            // Accumulating negative values reaches Int64.min, which has no positive counterpart.
            let (next, overflowB) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowA && !overflowB else {
                throw failure(.integerOutOfRange, at: number.range.lowerBound)
            }
            value = next
            p += 1
        }
        return value
    }

    /// The value of a number, correctly rounded to the nearest `Double`.
    public func doubleValue(of number: JSONNumber) throws(JSONError) -> Double {
        var p = number.range.lowerBound
        let end = number.range.upperBound
        let negative = byte(at: p) == UInt8(ascii: "-")
        if negative { p += 1 }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var inFraction = false
        while p < end {
            let b = byte(at: p)
            if b == UInt8(ascii: ".") {
                inFraction = true
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                break
            } else {
                let digit = UInt64(b &- UInt8(ascii: "0"))
                if mantissa != 0 || digit != 0 {
                    significantDigits += 1
                    if significantDigits <= 19 { mantissa = mantissa &* 10 &+ digit }
                }
                if inFraction { exponent -= 1 }
            }
            p += 1
        }
        if p < end {
            p += 1
            var exponentNegative = false
            if byte(at: p) == UInt8(ascii: "-") || byte(at: p) == UInt8(ascii: "+") {
                exponentNegative = byte(at: p) == UInt8(ascii: "-")
                p += 1
            }
            var written = 0
            while p < end {
                // Any exponent beyond this saturates to zero or infinity; capping avoids overflow.
                if written < 100_000 { written = written * 10 + Int(byte(at: p) &- UInt8(ascii: "0")) }
                p += 1
            }
            exponent += exponentNegative ? -written : written
        }
        let value: Double
        if significantDigits <= 15 && exponent >= -22 && exponent <= 22 {
            // Clinger's fast path: the mantissa and 10^|exponent| are exact doubles, so one
            // correctly rounded multiplication or division gives the correctly rounded result.
            let magnitude =
                exponent < 0
                ? Double(mantissa) / Self.exactPowerOfTen(-exponent)
                : Double(mantissa) * Self.exactPowerOfTen(exponent)
            value = negative ? -magnitude : magnitude
        } else {
            let text = String(
                decoding: UnsafeRawBufferPointer(
                    start: base + number.range.lowerBound,
                    count: number.range.count), as: UTF8.self)
            value = Double(text) ?? .infinity
        }
        guard value.isFinite else { throw failure(.numberOutOfRange, at: number.range.lowerBound) }
        return value
    }

    /// 10^n for 0 ≤ n ≤ 22, all exactly representable.
    @inline(__always) static func exactPowerOfTen(_ n: Int) -> Double {
        var result = 1.0
        var base = 10.0
        var n = n
        // Squaring stays exact: every intermediate is a power of ten at most 10^16 or the result.
        while n > 0 {
            if n & 1 == 1 { result *= base }
            base *= base
            n >>= 1
        }
        return result
    }

    /// Scans the number starting at `offset` against the JSON grammar and steps over it.
    mutating func scanNumber() throws(JSONError) -> JSONNumber {
        let start = offset
        var p = offset
        if byte(at: p) == UInt8(ascii: "-") { p += 1 }
        guard p < count, Self.isDigit(byte(at: p)) else {
            throw failure(.invalidNumber(detail: "'-' must be followed by a digit"), at: p)
        }
        if byte(at: p) == UInt8(ascii: "0") {
            p += 1
            if p < count && Self.isDigit(byte(at: p)) { throw failure(.leadingZero, at: start) }
        } else {
            p = endOfDigits(from: p + 1)
        }
        var isInteger = true
        if p < count && byte(at: p) == UInt8(ascii: ".") {
            isInteger = false
            p += 1
            guard p < count, Self.isDigit(byte(at: p)) else {
                throw failure(.invalidNumber(detail: "expected a digit after '.'"), at: p)
            }
            p = endOfDigits(from: p)
        }
        if p < count && (byte(at: p) == UInt8(ascii: "e") || byte(at: p) == UInt8(ascii: "E")) {
            isInteger = false
            p += 1
            if p < count && (byte(at: p) == UInt8(ascii: "+") || byte(at: p) == UInt8(ascii: "-")) { p += 1 }
            guard p < count, Self.isDigit(byte(at: p)) else {
                throw failure(.invalidNumber(detail: "expected a digit in the exponent"), at: p)
            }
            p = endOfDigits(from: p)
        }
        offset = p
        return JSONNumber(range: start..<p, isInteger: isInteger)
    }

    @inline(__always) func endOfDigits(from p: Int) -> Int {
        var p = p
        while p < count && Self.isDigit(byte(at: p)) { p += 1 }
        return p
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
}
