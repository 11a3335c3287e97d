import Foundation
import LabelFormats

/// Serialises `JSONValue`s compactly, members in their given order.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .number(let number): append(number.text)
        case .string(let text): writeString(text)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (position, entry) in object.entries.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(entry.key)
                bytes.append(UInt8(ascii: ":"))
                write(entry.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    mutating func writeString(_ text: String) { JSONOutput.appendQuoted(text, to: &bytes) }

    // MARK: Writing without building a `JSONValue` (hot paths: query results, listings)

    /// Text that is already JSON (punctuation, keys known to need no escaping).
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Text already serialised as JSON elsewhere (a command's `CommandCodec.json`).
    mutating func rawText(_ text: String) { append(text) }

    /// `"key":`
    mutating func key(_ key: String) {
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func writeInt<Integer: BinaryInteger>(_ value: Integer) {
        guard let value = Int64(exactly: value) else { return append(String(value)) }
        JSONOutput.append(value, to: &bytes)
    }

    /// An ISO 8601 UTC timestamp string (see `Timestamps.iso8601`).
    mutating func writeTimestamp(_ date: Date) {
        bytes.append(UInt8(ascii: "\""))
        Timestamps.appendISO8601(date, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
}
