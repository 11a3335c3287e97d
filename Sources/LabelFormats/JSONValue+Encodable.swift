/// A `JSONValue` inside `Encodable` output (the command line's `--json`): integers that fit in
/// Int64 stay exact, other numbers are doubles (or their text, beyond a double), objects keep
/// their members.
extension JSONValue: Encodable {
    package func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .number(let number):
            var container = encoder.singleValueContainer()
            if let integer = number.int64 {
                try container.encode(integer)
            } else if let double = number.double {
                try container.encode(double)
            } else {
                // Beyond a double (`1e400`): its text, rather than a different number.
                try container.encode(number.text)
            }
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let object):
            var container = encoder.container(keyedBy: MemberKey.self)
            for entry in object.entries { try container.encode(entry.value, forKey: MemberKey(stringValue: entry.key)) }
        }
    }

    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
