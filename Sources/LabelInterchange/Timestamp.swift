import LabelFormats
import LabelIndex

/// RFC 3339 timestamps as `Int64` milliseconds since 1970-01-01T00:00:00Z.
///
/// Parsing accepts `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with `T`, `t` or a space between
/// date and time and `Z` or `z` for UTC; a fraction may have any number of digits and is truncated
/// to milliseconds. Leap seconds (`:60`) and years outside 0000–9999 are rejected. Formatting
/// always writes UTC with exactly three fraction digits, `2026-01-02T03:04:05.123Z`.
public enum Timestamp {
    static let millisecondsPerDay: Int64 = 86_400_000

    /// The epoch milliseconds of an RFC 3339 timestamp, or `nil` if `text` is not one.
    public static func epochMilliseconds(rfc3339 text: String) -> Int64? {
        var text = text
        return text.withUTF8 { epochMilliseconds(rfc3339: UnsafeRawBufferPointer($0)) }
    }

    /// The epoch milliseconds of an RFC 3339 timestamp given as UTF-8, or `nil` if it is not one.
    public static func epochMilliseconds(rfc3339 bytes: UnsafeRawBufferPointer) -> Int64? {
        let n = bytes.count
        guard n >= 20 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? {
            var value = 0
            for i in at..<at + count {
                let digit = bytes[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[4] == UInt8(ascii: "-"),
            let month = digits(5, 2), bytes[7] == UInt8(ascii: "-"),
            let day = digits(8, 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            let hour = digits(11, 2), bytes[13] == UInt8(ascii: ":"),
            let minute = digits(14, 2), bytes[16] == UInt8(ascii: ":"),
            let second = digits(17, 2),
            (1...12).contains(month), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }

        var p = 19
        var millisecond = 0
        if bytes[p] == UInt8(ascii: ".") {
            p += 1
            let fractionStart = p
            while p < n, bytes[p] &- UInt8(ascii: "0") < 10 {
                if p - fractionStart < 3 { millisecond = millisecond * 10 + Int(bytes[p] - UInt8(ascii: "0")) }
                p += 1
            }
            let fractionDigits = p - fractionStart
            guard fractionDigits > 0 else { return nil }
            for _ in fractionDigits..<max(fractionDigits, 3) { millisecond *= 10 }
        }

        guard p < n else { return nil }
        var offsetMinutes = 0
        switch bytes[p] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            p += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard p + 6 == n, let offsetHour = digits(p + 1, 2), bytes[p + 3] == UInt8(ascii: ":"),
                let offsetMinute = digits(p + 4, 2), offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[p] == UInt8(ascii: "-") ? -1 : 1)
            p += 6
        default:
            return nil
        }
        guard p == n else { return nil }

        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        let localSeconds = Int64(((hour * 60 + minute) * 60) + second) - Int64(offsetMinutes * 60)
        return days * millisecondsPerDay + localSeconds * 1000 + Int64(millisecond)
    }

    /// `2026-01-02T03:04:05.123Z` for the instant, or `nil` if its UTC year is outside 0000–9999.
    public static func rfc3339(epochMilliseconds: Int64) -> String? {
        var bytes: [UInt8] = []
        guard appendRFC3339(epochMilliseconds: epochMilliseconds, to: &bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the RFC 3339 form of the instant; returns `false` (appending nothing) if its year
    /// is outside 0000–9999.
    static func appendRFC3339(epochMilliseconds ms: Int64, to output: inout [UInt8]) -> Bool {
        let (days, msOfDay) = CivilCalendar.floorDivision(ms, millisecondsPerDay)
        let (year, month, day) = CivilCalendar.civilDate(daysSinceEpoch: days)
        guard (0...9999).contains(year) else { return false }
        func append(_ value: Int64, width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                output.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        append(year, width: 4)
        output.append(UInt8(ascii: "-"))
        append(month, width: 2)
        output.append(UInt8(ascii: "-"))
        append(day, width: 2)
        output.append(UInt8(ascii: "T"))
        append(msOfDay / 3_600_000, width: 2)
        output.append(UInt8(ascii: ":"))
        append(msOfDay / 60_000 % 60, width: 2)
        output.append(UInt8(ascii: ":"))
        append(msOfDay / 1000 % 60, width: 2)
        output.append(UInt8(ascii: "."))
        append(msOfDay % 1000, width: 3)
        output.append(UInt8(ascii: "Z"))
        return true
    }
}
