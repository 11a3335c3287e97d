import Foundation

/// Date formatting and parsing without `DateFormatter` (which is slow and not thread-safe to
/// share): ISO 8601 for the JSON families, `YYYY-MM-DD HH:MM:SS` for the `/API` family.
package enum Timestamps {
    /// `2024-01-15T10:30:00Z`, with `.SSS` milliseconds when the time has them. Always UTC.
    package static func iso8601(_ date: Date) -> String {
        var bytes: [UInt8] = []
        appendISO8601(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    package static func appendISO8601(_ date: Date, to bytes: inout [UInt8]) {
        let (civil, millisecond) = Civil.from(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
        civil.append(separator: UInt8(ascii: "T"), to: &bytes)
        if millisecond != 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(millisecond, width: 3, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `2024-01-15 10:30:00` (UTC), as the Labeling API writes timestamps.
    package static func spaced(_ date: Date) -> String {
        let (civil, _) = Civil.from(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
        var bytes: [UInt8] = []
        civil.append(separator: UInt8(ascii: " "), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    fileprivate static func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        // Timestamps write only small fields; the common widths avoid the general loop.
        if width == 2, (0..<100).contains(value) {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value / 10))
            bytes.append(UInt8(ascii: "0") &+ UInt8(value % 10))
            return
        }
        var divisor = 1
        var count = 1
        while value / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        for _ in count..<max(width, count) { bytes.append(UInt8(ascii: "0")) }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±HH:MM]` (a space may replace the
    /// `T`; no zone means UTC). `nil` for anything else, including impossible dates.
    package static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var scanner = DigitScanner(bytes: bytes)
        guard let year = scanner.digits(4), scanner.expect("-"), let month = scanner.digits(2), scanner.expect("-"),
            let day = scanner.digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day) else {
            return nil
        }
        var seconds = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day) * 86_400
        var fraction = 0.0
        if scanner.atEnd { return Date(timeIntervalSince1970: Double(seconds)) }
        guard scanner.expect("T") || scanner.expect("t") || scanner.expect(" "), let hour = scanner.digits(2),
            scanner.expect(":"), let minute = scanner.digits(2), scanner.expect(":"), let second = scanner.digits(2),
            hour < 24, minute < 60, second < 61
        else { return nil }
        seconds += Int64(hour * 3600 + minute * 60 + second)
        if scanner.expect(".") {
            var scale = 0.1
            var sawDigit = false
            while let digit = scanner.digits(1) {
                fraction += Double(digit) * scale
                scale /= 10
                sawDigit = true
            }
            guard sawDigit else { return nil }
        }
        if scanner.expect("Z") || scanner.expect("z") || scanner.atEnd {
            guard scanner.atEnd else { return nil }
            return Date(timeIntervalSince1970: Double(seconds) + fraction)
        }
        let sign: Int64
        if scanner.expect("+") { sign = 1 } else if scanner.expect("-") { sign = -1 } else { return nil }
        guard let offsetHours = scanner.digits(2), offsetHours < 24 else { return nil }
        _ = scanner.expect(":")
        guard let offsetMinutes = scanner.digits(2), offsetMinutes < 60, scanner.atEnd else { return nil }
        seconds -= sign * Int64(offsetHours * 3600 + offsetMinutes * 60)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

}

/// A UTC date and time of day, from `CivilCalendar`.
private struct Civil {
    var year: Int64
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    /// `YYYY-MM-DD<separator>HH:MM:SS`; years outside 0…9999 are written in full.
    func append(separator: UInt8, to bytes: inout [UInt8]) {
        if year < 0 { bytes.append(UInt8(ascii: "-")) }
        Timestamps.appendDigits(Int(year.magnitude), width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Timestamps.appendDigits(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Timestamps.appendDigits(day, width: 2, to: &bytes)
        bytes.append(separator)
        Timestamps.appendDigits(hour, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Timestamps.appendDigits(minute, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Timestamps.appendDigits(second, width: 2, to: &bytes)
    }

    static func from(milliseconds: Int64) -> (Civil, Int) {
        let (seconds, millisecond) = CivilCalendar.floorDivision(milliseconds, 1000)
        let (days, secondOfDay) = CivilCalendar.floorDivision(seconds, 86_400)
        let (year, month, day) = CivilCalendar.civilDate(daysSinceEpoch: days)
        let civil = Civil(
            year: year, month: Int(month), day: Int(day), hour: Int(secondOfDay / 3600),
            minute: Int(secondOfDay % 3600 / 60), second: Int(secondOfDay % 60))
        return (civil, Int(millisecond))
    }
}

private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + count] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }

    mutating func expect(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }
}
