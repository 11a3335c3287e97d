import Foundation

/// `--json` output: one pretty-printed document on stdout, keys sorted so that scripts and
/// diffs see a stable order.
package enum JSONPrinting {
    package static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Formatting.timestamp(date))
        }
        return encoder
    }

    package static func print<Value: Encodable>(_ value: Value) throws {
        let data = try encoder().encode(value)
        Console.output(String(decoding: data, as: UTF8.self))
    }
}
