import Foundation
import LabelIndex

/// Why bytes are not a command log entry.
public enum CommandCodecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The entry is empty or its first byte is a format version this build does not read.
    case unsupportedVersion(UInt8?)
    /// The bytes end inside a value.
    case truncated(offset: Int)
    /// A value at `offset` is not valid (unknown tag, bad UTF-8, overlong integer, ...).
    case malformed(offset: Int, reason: String)
    /// Bytes follow the last submission.
    case trailingBytes(offset: Int)

    public var description: String {
        switch self {
        case .unsupportedVersion(nil): "empty command entry"
        case .unsupportedVersion(let version?):
            "unsupported command encoding version \(version) (this build reads version \(CommandCodec.version))"
        case .truncated(let offset): "command entry truncated at byte \(offset)"
        case .malformed(let offset, let reason): "malformed command entry at byte \(offset): \(reason)"
        case .trailingBytes(let offset): "command entry has unexpected bytes from byte \(offset)"
        }
    }
}

/// The binary encoding of a log entry: one or more `CommandSubmission`s, compact and versioned.
///
/// | part | encoding |
/// | --- | --- |
/// | entry | `version` (1 byte, now 1), `count` (varint), that many submissions |
/// | submission | `timestamp` (zigzag varint, ms), `namespace` (optional string), `idempotencyKey` (optional string), `count` (varint), that many commands |
/// | command | tag (1 byte, below), then its fields in declaration order |
/// | varint | unsigned LEB128, at most 10 bytes; zigzag for signed values |
/// | string / bytes | length (varint), then UTF-8 (validated) / raw bytes |
/// | optional | `0` absent, `1` then the value |
/// | double | 8 bytes, IEEE 754 bit pattern, little-endian |
/// | Date | a double: seconds since 2001-01-01 (`timeIntervalSinceReferenceDate`, what `Date` stores), so it round-trips exactly |
/// | AssetKey | `0` + id (zigzag varint), or `1` + type (string) + id (string) |
/// | LabelChange | `0` append / `1` replace (count, then assignments: name, optional weight) / `2` remove (count, names) |
/// | LabelUpdate | optional name, optional color (varint), parent (`0` unchanged, `1` root, `2` + id), weight (`0` unchanged, `1` cleared, `2` + double) |
/// | AssetSelector | query (string), integer keys only (1 byte), optional AttributeFilter, optional ordinal range (lower, upper varints) |
/// | AttributeFilter | optional name substring (string); optional createdFrom, createdBefore, notUpdatedSince (zigzag varints, ms); string members and any-of members (each: count, then key string, count, value strings); true members (count, key strings) |
/// | label id, color | varint; a label id must fit 32 bits, a color 24 |
///
/// Command tags: 1 upsertAsset (namespace, key, name, optional type, optional createdAt,
/// optional updatedAt, optional metadata bytes, optional label assignments), 2 ensureAsset,
/// 3 deleteAsset, 4 changeLabels, 5 createLabel (namespace, name, optional color, optional
/// parent, optional weight), 6 updateLabel, 7 setLabelWeight, 8 deleteLabel, 9 link (namespace,
/// label, keys, create-missing byte), 10 unlink, 11 changeLabelsMatching, 12 setApplicationValue
/// (key bytes, optional value bytes), 13 removeApplicationValue. A decoder rejects an unknown
/// version, an unknown tag, truncation, invalid UTF-8, overlong varints, counts larger than the
/// bytes left could hold, and trailing bytes, each with a `CommandCodecError`; it never traps.
public enum CommandCodec {
    /// The format version written (and the only one read).
    public static let version: UInt8 = 1

    /// One log entry holding `submissions`.
    public static func encode(_ submissions: [CommandSubmission]) -> [UInt8] {
        var writer = EntryWriter()
        writer.bytes.append(version)
        writer.count(submissions.count)
        for submission in submissions { writer.submission(submission) }
        return writer.bytes
    }

    /// The submissions of one log entry.
    /// - Throws: `CommandCodecError`.
    public static func decode(_ bytes: [UInt8]) throws -> [CommandSubmission] {
        guard let first = bytes.first, first == version else { throw CommandCodecError.unsupportedVersion(bytes.first) }
        var reader = EntryReader(bytes: bytes, position: 1)
        let count = try reader.count()
        var submissions: [CommandSubmission] = []
        submissions.reserveCapacity(count)
        for _ in 0..<count { submissions.append(try reader.submission()) }
        guard reader.position == bytes.count else { throw CommandCodecError.trailingBytes(offset: reader.position) }
        return submissions
    }

    /// The command as one line of JSON (for `GET /v1/changes`): `{"type":"…", …}` with the
    /// command's fields; keys are UTF-8 text where they are, else `key_base64`.
    public static func json(_ command: WriteCommand) -> String { CommandJSON.render(command) }
}

// MARK: Writing

struct EntryWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func signed(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }
    mutating func count(_ value: Int) { varint(UInt64(value)) }
    mutating func flag(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) { data(Array(value.utf8)) }

    mutating func data(_ value: [UInt8]) {
        count(value.count)
        bytes.append(contentsOf: value)
    }

    mutating func double(_ value: Double) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    mutating func optional<T>(_ value: T?, _ write: (inout EntryWriter, T) -> Void) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        write(&self, value)
    }

    mutating func submission(_ submission: CommandSubmission) {
        signed(submission.timestamp)
        optional(submission.namespace) { $0.string($1.name) }
        optional(submission.idempotencyKey) { $0.string($1) }
        count(submission.commands.count)
        for command in submission.commands { self.command(command) }
    }

    mutating func key(_ key: AssetKey) {
        switch key {
        case .id(let id):
            bytes.append(0)
            signed(id)
        case .typed(let type, let id):
            bytes.append(1)
            string(type)
            string(id)
        }
    }

    mutating func keys(_ keys: [AssetKey]) {
        count(keys.count)
        for key in keys { self.key(key) }
    }

    mutating func assignments(_ assignments: [LabelAssignment]) {
        count(assignments.count)
        for assignment in assignments {
            string(assignment.name)
            optional(assignment.weight) { $0.double($1) }
        }
    }

    mutating func change(_ change: LabelChange) {
        switch change {
        case .append(let assignments):
            bytes.append(0)
            self.assignments(assignments)
        case .replace(let assignments):
            bytes.append(1)
            self.assignments(assignments)
        case .remove(let names):
            bytes.append(2)
            count(names.count)
            for name in names { string(name) }
        }
    }

    mutating func date(_ date: Date) { double(date.timeIntervalSinceReferenceDate) }

    mutating func command(_ command: WriteCommand) {
        switch command {
        case .upsertAsset(let namespace, let key, let attributes, let labels):
            bytes.append(1)
            string(namespace.name)
            self.key(key)
            string(attributes.name)
            optional(attributes.assetType) { $0.string($1) }
            optional(attributes.createdAt) { $0.date($1) }
            optional(attributes.updatedAt) { $0.date($1) }
            optional(attributes.metadata) { $0.data($1) }
            optional(labels) { $0.assignments($1) }
        case .ensureAsset(let namespace, let key):
            bytes.append(2)
            string(namespace.name)
            self.key(key)
        case .deleteAsset(let namespace, let key):
            bytes.append(3)
            string(namespace.name)
            self.key(key)
        case .changeLabels(let namespace, let key, let change):
            bytes.append(4)
            string(namespace.name)
            self.key(key)
            self.change(change)
        case .createLabel(let namespace, let new):
            bytes.append(5)
            string(namespace.name)
            string(new.name)
            optional(new.color) { $0.varint(UInt64($1.rgb)) }
            optional(new.parent) { $0.varint(UInt64($1.rawValue)) }
            optional(new.weight) { $0.double($1) }
        case .updateLabel(let namespace, let id, let update):
            bytes.append(6)
            string(namespace.name)
            varint(UInt64(id.rawValue))
            optional(update.name) { $0.string($1) }
            optional(update.color) { $0.varint(UInt64($1.rgb)) }
            switch update.parent {
            case nil: bytes.append(0)
            case .root: bytes.append(1)
            case .label(let parent):
                bytes.append(2)
                varint(UInt64(parent.rawValue))
            }
            switch update.weight {
            case nil: bytes.append(0)
            case .some(nil): bytes.append(1)
            case .some(.some(let weight)):
                bytes.append(2)
                double(weight)
            }
        case .setLabelWeight(let namespace, let name, let weight):
            bytes.append(7)
            string(namespace.name)
            string(name)
            optional(weight) { $0.double($1) }
        case .deleteLabel(let namespace, let id):
            bytes.append(8)
            string(namespace.name)
            varint(UInt64(id.rawValue))
        case .link(let namespace, let id, let keys, let createMissingAssets):
            bytes.append(9)
            string(namespace.name)
            varint(UInt64(id.rawValue))
            self.keys(keys)
            flag(createMissingAssets)
        case .unlink(let namespace, let id, let keys):
            bytes.append(10)
            string(namespace.name)
            varint(UInt64(id.rawValue))
            self.keys(keys)
        case .changeLabelsMatching(let namespace, let selector, let change):
            bytes.append(11)
            string(namespace.name)
            string(selector.query)
            flag(selector.integerKeysOnly)
            optional(selector.attributes) { $0.filter($1) }
            optional(selector.ordinals) {
                $0.varint(UInt64($1.lowerBound))
                $0.varint(UInt64($1.upperBound))
            }
            self.change(change)
        case .setApplicationValue(let key, let value):
            bytes.append(12)
            data(key)
            optional(value) { $0.data($1) }
        case .removeApplicationValue(let key):
            bytes.append(13)
            data(key)
        }
    }

    mutating func filter(_ filter: AttributeFilter) {
        optional(filter.nameContains) { $0.string($1) }
        optional(filter.createdFrom) { $0.signed($1) }
        optional(filter.createdBefore) { $0.signed($1) }
        optional(filter.notUpdatedSince) { $0.signed($1) }
        for members in [filter.stringMembers, filter.anyOfMembers] {
            count(members.count)
            for member in members {
                string(member.key)
                count(member.values.count)
                for value in member.values { string(value) }
            }
        }
        count(filter.trueMembers.count)
        for key in filter.trueMembers { string(key) }
    }
}

// MARK: Reading

struct EntryReader {
    let bytes: [UInt8]
    var position: Int

    private func malformed(_ reason: String, at offset: Int? = nil) -> CommandCodecError {
        .malformed(offset: offset ?? position, reason: reason)
    }

    mutating func byte() throws(CommandCodecError) -> UInt8 {
        guard position < bytes.count else { throw .truncated(offset: position) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(CommandCodecError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            if shift == 63 && byte > 1 { throw malformed("integer longer than 64 bits", at: start) }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func signed() throws(CommandCodecError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func uint32() throws(CommandCodecError) -> UInt32 {
        let start = position
        guard let value = UInt32(exactly: try varint()) else { throw malformed("value exceeds 32 bits", at: start) }
        return value
    }

    /// A count of items that each take at least one byte: never more than the bytes left.
    mutating func count() throws(CommandCodecError) -> Int {
        let start = position
        let value = try varint()
        guard value <= UInt64(bytes.count - position) else {
            throw malformed("count \(value) exceeds the bytes left", at: start)
        }
        return Int(value)
    }

    mutating func flag() throws(CommandCodecError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let other: throw malformed("expected 0 or 1, found \(other)", at: position - 1)
        }
    }

    mutating func data() throws(CommandCodecError) -> [UInt8] {
        let length = try count()
        defer { position += length }
        return Array(bytes[position..<position + length])
    }

    mutating func string() throws(CommandCodecError) -> String {
        let start = position
        let raw = try data()
        guard let text = String(validating: raw, as: UTF8.self) else { throw malformed("invalid UTF-8", at: start) }
        return text
    }

    mutating func double() throws(CommandCodecError) -> Double {
        guard bytes.count - position >= 8 else { throw .truncated(offset: position) }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(bytes[position + index]) << UInt64(8 * index) }
        position += 8
        return Double(bitPattern: bits)
    }

    mutating func optional<T>(
        _ read: (inout EntryReader) throws(CommandCodecError) -> T
    ) throws(CommandCodecError)
        -> T?
    {
        try flag() ? try read(&self) : nil
    }

    mutating func color() throws(CommandCodecError) -> LabelColor {
        let start = position
        let rgb = try uint32()
        guard rgb <= 0xFF_FFFF else { throw malformed("color exceeds 24 bits", at: start) }
        return LabelColor(rgb: rgb)
    }

    mutating func tag(_ limit: UInt8, _ what: String) throws(CommandCodecError) -> UInt8 {
        let tag = try byte()
        guard tag < limit else { throw malformed("unknown \(what) tag \(tag)", at: position - 1) }
        return tag
    }

    mutating func submission() throws(CommandCodecError) -> CommandSubmission {
        let timestamp = try signed()
        let namespace = try optional { reader throws(CommandCodecError) in Namespace(try reader.string()) }
        let idempotencyKey = try optional { reader throws(CommandCodecError) in try reader.string() }
        let count = try count()
        var commands: [WriteCommand] = []
        commands.reserveCapacity(count)
        for _ in 0..<count { commands.append(try command()) }
        return CommandSubmission(
            commands: commands, namespace: namespace, timestamp: timestamp, idempotencyKey: idempotencyKey)
    }

    mutating func namespace() throws(CommandCodecError) -> Namespace { Namespace(try string()) }

    mutating func key() throws(CommandCodecError) -> AssetKey {
        switch try tag(2, "asset key") {
        case 0: return .id(try signed())
        default:
            let type = try string()
            return .typed(type: type, id: try string())
        }
    }

    mutating func keys() throws(CommandCodecError) -> [AssetKey] {
        let count = try count()
        var keys: [AssetKey] = []
        keys.reserveCapacity(count)
        for _ in 0..<count { keys.append(try key()) }
        return keys
    }

    mutating func assignments() throws(CommandCodecError) -> [LabelAssignment] {
        let count = try count()
        var result: [LabelAssignment] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            let name = try string()
            result.append(
                LabelAssignment(name, weight: try optional { reader throws(CommandCodecError) in try reader.double() }))
        }
        return result
    }

    mutating func change() throws(CommandCodecError) -> LabelChange {
        switch try tag(3, "label change") {
        case 0: return .append(try assignments())
        case 1: return .replace(try assignments())
        default:
            let count = try count()
            var names: [String] = []
            names.reserveCapacity(count)
            for _ in 0..<count { names.append(try string()) }
            return .remove(names)
        }
    }

    mutating func date() throws(CommandCodecError) -> Date { Date(timeIntervalSinceReferenceDate: try double()) }

    mutating func labelID() throws(CommandCodecError) -> LabelID { LabelID(try uint32()) }

    mutating func command() throws(CommandCodecError) -> WriteCommand {
        let start = position
        let tag = try byte()
        switch tag {
        case 1:
            let namespace = try namespace()
            let key = try key()
            let name = try string()
            let type = try optional { reader throws(CommandCodecError) in try reader.string() }
            let createdAt = try optional { reader throws(CommandCodecError) in try reader.date() }
            let updatedAt = try optional { reader throws(CommandCodecError) in try reader.date() }
            let metadata = try optional { reader throws(CommandCodecError) in try reader.data() }
            let labels = try optional { reader throws(CommandCodecError) in try reader.assignments() }
            return .upsertAsset(
                namespace, key,
                AssetAttributes(
                    name: name, assetType: type, createdAt: createdAt, updatedAt: updatedAt, metadata: metadata),
                labels: labels)
        case 2: return .ensureAsset(try namespace(), try key())
        case 3: return .deleteAsset(try namespace(), try key())
        case 4: return .changeLabels(try namespace(), try key(), try change())
        case 5:
            let namespace = try namespace()
            let name = try string()
            let color = try optional { reader throws(CommandCodecError) in try reader.color() }
            let parent = try optional { reader throws(CommandCodecError) in try reader.labelID() }
            let weight = try optional { reader throws(CommandCodecError) in try reader.double() }
            return .createLabel(namespace, NewLabel(name: name, color: color, parent: parent, weight: weight))
        case 6:
            let namespace = try namespace()
            let id = try labelID()
            var update = LabelUpdate()
            update.name = try optional { reader throws(CommandCodecError) in try reader.string() }
            update.color = try optional { reader throws(CommandCodecError) in try reader.color() }
            switch try self.tag(3, "parent") {
            case 0: break
            case 1: update.parent = .root
            default: update.parent = .label(try labelID())
            }
            switch try self.tag(3, "weight") {
            case 0: break
            case 1: update.weight = .some(nil)
            default: update.weight = .some(try double())
            }
            return .updateLabel(namespace, id, update)
        case 7:
            let namespace = try namespace()
            let name = try string()
            return .setLabelWeight(
                namespace, name: name, weight: try optional { reader throws(CommandCodecError) in try reader.double() })
        case 8: return .deleteLabel(try namespace(), try labelID())
        case 9:
            let namespace = try namespace()
            let id = try labelID()
            let keys = try keys()
            return .link(namespace, id, keys, createMissingAssets: try flag())
        case 10: return .unlink(try namespace(), try labelID(), try keys())
        case 11:
            let namespace = try namespace()
            let query = try string()
            let integerKeysOnly = try flag()
            let attributes = try optional { reader throws(CommandCodecError) in try reader.filter() }
            let rangeStart = position
            let ordinals = try optional { reader throws(CommandCodecError) -> (UInt32, UInt32) in
                (try reader.uint32(), try reader.uint32())
            }
            if let ordinals, ordinals.0 > ordinals.1 {
                throw malformed("ordinal range \(ordinals.0)..<\(ordinals.1) is reversed", at: rangeStart)
            }
            let selector = AssetSelector(
                query: query, integerKeysOnly: integerKeysOnly, attributes: attributes,
                ordinals: ordinals.map { $0.0..<$0.1 })
            return .changeLabelsMatching(namespace, selector, try change())
        case 12:
            let key = try data()
            return .setApplicationValue(
                key: key, value: try optional { reader throws(CommandCodecError) in try reader.data() })
        case 13: return .removeApplicationValue(key: try data())
        default: throw malformed("unknown command tag \(tag)", at: start)
        }
    }

    mutating func filter() throws(CommandCodecError) -> AttributeFilter {
        var filter = AttributeFilter()
        filter.nameContains = try optional { reader throws(CommandCodecError) in try reader.string() }
        filter.createdFrom = try optional { reader throws(CommandCodecError) in try reader.signed() }
        filter.createdBefore = try optional { reader throws(CommandCodecError) in try reader.signed() }
        filter.notUpdatedSince = try optional { reader throws(CommandCodecError) in try reader.signed() }
        filter.stringMembers = try members()
        filter.anyOfMembers = try members()
        let count = try count()
        for _ in 0..<count { filter.trueMembers.append(try string()) }
        return filter
    }

    private mutating func members() throws(CommandCodecError) -> [AttributeFilter.Member] {
        let count = try count()
        var members: [AttributeFilter.Member] = []
        for _ in 0..<count {
            let key = try string()
            let valueCount = try self.count()
            var values: [String] = []
            for _ in 0..<valueCount { values.append(try string()) }
            members.append(AttributeFilter.Member(key: key, values: values))
        }
        return members
    }
}
