import Foundation

/// Date formatting and parsing without `DateFormatter` (which is slow and not thread-safe to
/// share): ISO 8601 for the JSON families, `YYYY-MM-DD HH:MM:SS` for the `/API` family.
enum Timestamps {
    /// `2024-01-15T10:30:00Z`, with `.SSS` milliseconds when the time has them. Always UTC.
    static func iso8601(_ date: Date) -> String {
        var bytes: [UInt8] = []
        appendISO8601(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendISO8601(_ date: Date, to bytes: inout [UInt8]) {
        let (civil, millisecond) = Civil.from(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
        civil.append(separator: UInt8(ascii: "T"), to: &bytes)
        if millisecond != 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(millisecond, width: 3, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `2024-01-15 10:30:00` (UTC), as the Labeling API writes timestamps.
    static func spaced(_ date: Date) -> String {
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
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var scanner = DigitScanner(bytes: bytes)
        guard let year = scanner.digits(4), scanner.expect("-"), let month = scanner.digits(2), scanner.expect("-"),
            let day = scanner.digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...Civil.daysIn(month: month, year: year)).contains(day) else { return nil }
        var seconds = Civil.daysFromEpoch(year: year, month: month, day: day) * 86_400
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

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's days-from-civil algorithms).
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
        let (seconds, millisecond) = floorDivide(milliseconds, 1000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let civil = Civil(
            year: year, month: month, day: day, hour: Int(secondOfDay / 3600), minute: Int(secondOfDay % 3600 / 60),
            second: Int(secondOfDay % 60))
        return (civil, Int(millisecond))
    }

    static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
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
