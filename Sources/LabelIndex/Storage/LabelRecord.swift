/// The stored form of a label definition under (namespace, label id).
/// Layout (version 1): `version u8, flags u8, color u32 LE, [parent u32 LE], [weight f64],
/// created varint, updated varint, name`.
struct LabelRecord: Hashable {
    var name: String
    var color: UInt32
    var parent: UInt32?
    var weight: Double?
    var createdAt: Int64
    var updatedAt: Int64

    static let version: UInt8 = 1

    private enum Flag {
        static let hasParent: UInt8 = 1
        static let hasWeight: UInt8 = 2
    }

    func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 32 + name.utf8.count)
        writer.append(Self.version)
        writer.append((parent == nil ? 0 : Flag.hasParent) | (weight == nil ? 0 : Flag.hasWeight))
        writer.appendLittleEndian(color)
        if let parent { writer.appendLittleEndian(parent) }
        if let weight { writer.append(weight) }
        writer.appendSignedVarint(createdAt)
        writer.appendSignedVarint(updatedAt)
        writer.appendLengthPrefixed(name)
        return writer.bytes
    }

    init(name: String, color: UInt32, parent: UInt32?, weight: Double?, createdAt: Int64, updatedAt: Int64) {
        self.name = name
        self.color = color
        self.parent = parent
        self.weight = weight
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(decoding raw: UnsafeRawBufferPointer) throws(LabelIndexError) {
        var reader = ByteReader(raw)
        let version = try reader.readByte()
        guard version == Self.version else { throw .corrupted("label record version \(version)") }
        let flags = try reader.readByte()
        color = try reader.readLittleEndianUInt32()
        guard color <= 0xFF_FFFF else { throw .corrupted("label color out of range") }
        parent = flags & Flag.hasParent != 0 ? try reader.readLittleEndianUInt32() : nil
        weight = flags & Flag.hasWeight != 0 ? try reader.readDouble() : nil
        createdAt = try reader.readSignedVarint()
        updatedAt = try reader.readSignedVarint()
        name = try reader.readLengthPrefixedString()
        if !reader.isAtEnd { throw .corrupted("trailing bytes after a label record") }
    }
}
