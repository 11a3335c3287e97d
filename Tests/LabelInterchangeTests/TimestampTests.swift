import LabelFormats
import LabelIndex
import LabelTestSupport
import Testing

@testable import LabelInterchange

@Suite struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-01-02T03:04:05Z", 1_767_323_045_000),
        ("2026-01-02T03:04:05.123Z", 1_767_323_045_123),
        ("2026-01-02T03:04:05.123+02:00", 1_767_315_845_123),
        ("2026-01-02T03:04:05.1-01:30", 1_767_328_445_100),
        ("2026-01-02t03:04:05z", 1_767_323_045_000),
        ("2026-01-02 03:04:05Z", 1_767_323_045_000),
        ("2026-01-02T03:04:05.123456789Z", 1_767_323_045_123),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2000-02-29T12:00:00Z", 951_825_600_000),
        ("0000-01-01T00:00:00Z", -62_167_219_200_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
        ("2026-01-01T00:30:00+23:59", 1_767_141_060_000),
    ])
    func parsesRFC3339(text: String, expected: Int64) {
        #expect(Timestamp.epochMilliseconds(rfc3339: text) == expected)
    }

    @Test(arguments: [
        "", "2026-01-02", "2026-01-02T03:04:05", "2026-01-02T03:04Z", "2026-1-02T03:04:05Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-01-02T24:00:00Z", "2026-01-02T23:60:00Z", "2026-12-31T23:59:60Z",
        "2026-01-02T03:04:05.Z", "2026-01-02T03:04:05+0200", "2026-01-02T03:04:05+02:00Z",
        "2026-01-02T03:04:05Z ", " 2026-01-02T03:04:05Z", "2026-01-02T03:04:05+24:00",
        "2026-01-02T03:04:05+02:60", "2026/01/02T03:04:05Z", "+2026-01-02T03:04:05Z", "2026-01-02X03:04:05Z",
        "２０２６-01-02T03:04:05Z",
    ])
    func rejectsMalformedTimestamps(text: String) {
        #expect(Timestamp.epochMilliseconds(rfc3339: text) == nil)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_767_323_045_123, "2026-01-02T03:04:05.123Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_825_600_000, "2000-02-29T12:00:00.000Z"),
        (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsUTCWithMilliseconds(milliseconds: Int64, expected: String) {
        #expect(Timestamp.rfc3339(epochMilliseconds: milliseconds) == expected)
    }

    @Test func refusesYearsOutsideRFC3339() {
        #expect(Timestamp.rfc3339(epochMilliseconds: 253_402_300_800_000) == nil)
        #expect(Timestamp.rfc3339(epochMilliseconds: -62_167_219_200_001) == nil)
        #expect(Timestamp.rfc3339(epochMilliseconds: .max) == nil)
        #expect(Timestamp.rfc3339(epochMilliseconds: .min) == nil)
    }

    @Test func formattingAndParsingRoundTrip() {
        var random = SeededGenerator(seed: 3)
        for _ in 0..<10_000 {
            let milliseconds = Int64.random(in: -62_167_219_200_000...253_402_300_799_999, using: &random)
            let text = Timestamp.rfc3339(epochMilliseconds: milliseconds)
            #expect(text.flatMap { Timestamp.epochMilliseconds(rfc3339: $0) } == milliseconds, "\(milliseconds)")
        }
    }

    @Test func civilDateConversionsAgreeDayByDay() {
        // Walk every day of four centuries, checking both directions against a simple calendar.
        var days = CivilCalendar.daysSinceEpoch(year: 1900, month: 1, day: 1)
        for year in 1900..<2300 {
            for month in 1...12 {
                for day in 1...CivilCalendar.daysIn(month: month, year: year) {
                    #expect(CivilCalendar.daysSinceEpoch(year: year, month: month, day: day) == days)
                    let civil = CivilCalendar.civilDate(daysSinceEpoch: days)
                    #expect(civil.year == Int64(year) && civil.month == Int64(month) && civil.day == Int64(day))
                    days += 1
                }
            }
        }
    }
}
