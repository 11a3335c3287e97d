import Foundation
import LabelFormats
import Testing

@testable import LabelServer

/// The server's own JSON, form and timestamp code.
@Suite struct SupportTests {
    @Test func jsonRoundTrip() throws {
        let text = #"{"a":[1,-2.5,1e3,true,false,null],"b":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","c":{}}"#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(value["b"] == .string("x\"\\/\u{08}\u{0C}\n\r\té😀"))
        #expect(value["a"]?.arrayValue?.count == 6)
        let encoded = JSONWriter.encode(value)
        #expect(try JSONParser.parse(encoded) == value)
        let foundation = try JSONSerialization.jsonObject(with: Data(encoded)) as? [String: Any]
        #expect(foundation?["b"] as? String == "x\"\\/\u{08}\u{0C}\n\r\té😀")
        #expect(String(decoding: JSONWriter.encode(.string("\u{01}")), as: UTF8.self) == #""\u0001""#)
        #expect(String(decoding: JSONWriter.encode(.double(0.5)), as: UTF8.self) == "0.5")
        #expect(String(decoding: JSONWriter.encode(.double(2)), as: UTF8.self) == "2")
        #expect(JSONWriter.encode(.double(.infinity)) == Array("null".utf8))
    }

    @Test func integersAreWrittenExactly() {
        let values: [Int64] = [0, 7, -7, 10, -10, 1_234_567_890, .max, .min]
        for value in values {
            var writer = JSONWriter(capacity: 0)
            writer.writeInt(value)
            #expect(writer.bytes == Array(String(value).utf8))
        }
        var writer = JSONWriter(capacity: 0)
        writer.raw("[")
        writer.writeInt(UInt64.max)
        writer.raw(",")
        writer.writeInt(Int32(-5))
        writer.raw("]")
        #expect(writer.bytes == Array("[18446744073709551615,-5]".utf8))
    }

    @Test func jsonErrorsHaveOffsets() {
        let cases: [(String, Int)] = [
            ("", 0), ("{", 1), (#"{"a" 1}"#, 5), ("[1,]", 3), ("01", 1), (#""\x""#, 2), ("[1] [2]", 4), ("tru", 0),
            (#"{"a":"b"#, 7), ("-", 1), ("1.", 2), ("1e", 2), (#""\ud800x""#, 7),
        ]
        for (text, offset) in cases {
            #expect(throws: JSONSyntaxError.self, "\(text)") { try JSONParser.parse(Array(text.utf8)) }
            do { _ = try JSONParser.parse(Array(text.utf8)) } catch {
                #expect(error.offset == offset, "\(text): \(error)")
            }
        }
        #expect(UTF8Validation.firstInvalidOffset(in: Array("ab".utf8) + [0xFF]) == 2)
        #expect(UTF8Validation.firstInvalidOffset(in: Array("é".utf8)) == nil)
    }

    @Test func numbersKeepTheirText() throws {
        let value = try JSONParser.parse(Array("[9223372036854775807,9223372036854775808,1.0,1e999]".utf8))
        let numbers = try #require(value.arrayValue?.compactMap { $0.numberValue })
        #expect(numbers[0].int64 == .max)
        #expect(numbers[1].int64 == nil)
        #expect(numbers[1].isIntegerLiteral)
        #expect(!numbers[2].isIntegerLiteral)
        #expect(numbers[3].double == nil)
        #expect(throws: InputError.self) { try FieldReader(.number(numbers[1]), at: .body).int64() }
        #expect(throws: InputError.self) { try FieldReader(.number(numbers[3]), at: .body).double() }
    }

    @Test func formsAndMultipart() throws {
        let form = try FormFields(urlEncoded: Array("a=1+2&b=%C3%A9&c&a=3&=x".utf8), source: .body)
        #expect(form["a"] == "1 2")
        #expect(form["b"] == "é")
        #expect(form["c"] == "")
        #expect(form.names == ["a", "b", "c", "a", ""])
        #expect(throws: InputError.self) { try FormFields(urlEncoded: Array("a=%G0".utf8), source: .query) }
        let body = Array(
            "preamble\r\n--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nline1\r\nline2\r\n--B\r\ncontent-disposition: form-data; name=y\r\nContent-Type: text/plain\r\n\r\n\r\n--B--\r\n"
                .utf8)
        let fields = try MultipartForm.parse(body, boundary: "B")
        #expect(fields["x"] == "line1\r\nline2")
        #expect(fields["y"] == "")
        #expect(
            MultipartForm.boundary(fromContentType: #"multipart/form-data; charset=utf-8; boundary="a b""#) == "a b")
        #expect(MultipartForm.boundary(fromContentType: "multipart/form-data") == nil)
        #expect(PercentDecoding.decodeOnceIfEncoded("label%3Aa") == "label:a")
        #expect(PercentDecoding.decodeOnceIfEncoded("label:100%") == "label:100%")
    }

    @Test func timestamps() throws {
        let date = try #require(Timestamps.parse("2024-02-29T23:59:58.5Z"))
        #expect(Timestamps.iso8601(date) == "2024-02-29T23:59:58.500Z")
        #expect(Timestamps.spaced(date) == "2024-02-29 23:59:58")
        #expect(Timestamps.parse("2024-02-29") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(Timestamps.parse("2024-01-01T02:00:00+02:00") == Date(timeIntervalSince1970: 1_704_067_200))
        #expect(Timestamps.parse("2024-01-01 00:00:00") == Date(timeIntervalSince1970: 1_704_067_200))
        #expect(Timestamps.iso8601(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        // Years outside 0…9999 are written in full, sign included, up to the Int64 millisecond range.
        #expect(Timestamps.iso8601(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00Z")
        #expect(Timestamps.iso8601(Date(timeIntervalSince1970: -62_167_219_200)) == "0000-01-01T00:00:00Z")
        #expect(Timestamps.spaced(Date(timeIntervalSince1970: -62_198_755_200)) == "-0001-01-01 00:00:00")
        // A nine-digit year with milliseconds: the longest form, 30 bytes.
        let far = Timestamps.iso8601(Date(timeIntervalSince1970: -4.5e15 - 0.5))
        #expect(far.hasPrefix("-142597354-09-20T15:59:59.") && far.hasSuffix("Z") && far.utf8.count == 30, "\(far)")
        for bad in [
            "2023-02-29", "2024-13-01", "2024-01-01T25:00:00Z", "2024-1-1", "2024-01-01T00:00:00+0",
            "2024-01-01T00:00:00.Z", "x",
        ] {
            #expect(Timestamps.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func scopes() throws {
        #expect(try TenantScope(parsing: "default") == .default)
        #expect(try TenantScope(parsing: "team/ab") == .team("ab"))
        #expect(throws: ScopeSyntaxError.self) { try TenantScope(parsing: "team/a b") }
        #expect(throws: ScopeSyntaxError.self) { try TenantScope(parsing: "team/a/b") }
        #expect(throws: ScopeSyntaxError.self) { try TenantScope(parsing: "team/a\tb") }
        #expect(throws: ScopeSyntaxError.self) {
            try TenantScope(parsing: "program/" + String(repeating: "p", count: 65))
        }
        #expect(TenantScope.program("x").namespace(account: "acme") == "acme/program/x")
        #expect(RouteFamily(endpointPath: "/v1/asset/{asset_id}/labels") == .projectDiscovery)
        #expect(RouteFamily(endpointPath: "/API/v1/label/{id}") == .labeling)
        #expect(RouteFamily(endpointPath: "/users/{user_id}/labels") == .actionHub)
        #expect(RouteFamily(endpointPath: "NotFound") == .unmatched)
    }
}
