import Foundation

/// Serialises `JSONValue`s compactly, members in their given order.
package struct JSONWriter {
    package private(set) var bytes: [UInt8] = []

    package init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    package static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }

    package mutating func write(_ value: JSONValue) {
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

    package mutating func writeString(_ text: String) { JSONOutput.appendQuoted(text, to: &bytes) }

    // MARK: Writing without building a `JSONValue` (hot paths: query results, listings)

    /// Text that is already JSON (punctuation, keys known to need no escaping).
    package mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Text already serialised as JSON elsewhere (a command's `CommandCodec.json`).
    package mutating func rawText(_ text: String) { append(text) }

    /// `"key":`
    package mutating func key(_ key: String) {
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    package mutating func writeInt<Integer: BinaryInteger>(_ value: Integer) {
        guard let value = Int64(exactly: value) else { return append(String(value)) }
        JSONOutput.append(value, to: &bytes)
    }

    /// An ISO 8601 UTC timestamp string (see `Timestamps.iso8601`).
    package mutating func writeTimestamp(_ date: Date) {
        bytes.append(UInt8(ascii: "\""))
        Timestamps.appendISO8601(date, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
}
