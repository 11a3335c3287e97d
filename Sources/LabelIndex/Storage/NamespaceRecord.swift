/// Per-namespace bookkeeping under the namespace's name: its id, the id and ordinal
/// counters, and the asset and label totals. (The pair total is not kept here: it would
/// make every label change rewrite this record; it is the sum of the label counts.)
struct NamespaceRecord: Hashable {
    var id: UInt32
    /// The next never-used ordinal. Past `ordinalCapacity`, freed ordinals are recycled.
    var nextOrdinal: UInt64
    var nextLabelID: UInt32
    var assetCount: UInt64
    var labelCount: UInt64
    var createdAt: Int64
    /// Bumped whenever a label is renamed, moved or deleted, so cached id → name mappings and
    /// query plans of older generations are known stale. (Creating a label invalidates no name:
    /// ids are never reused.)
    var labelGeneration: UInt64

    static let version: UInt8 = 1
    /// Label ids start at 1 (0 means "no parent"); the top 16 ids are reserved for the
    /// engine's own postings lists.
    static let firstLabelID: UInt32 = 1
    static let lastLabelID: UInt32 = UInt32.max - 16

    func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 48)
        writer.append(Self.version)
        writer.appendLittleEndian(id)
        writer.appendLittleEndian(nextOrdinal)
        writer.appendLittleEndian(nextLabelID)
        writer.appendLittleEndian(assetCount)
        writer.appendLittleEndian(labelCount)
        writer.appendLittleEndian(UInt64(bitPattern: createdAt))
        writer.appendLittleEndian(labelGeneration)
        return writer.bytes
    }

    init(id: UInt32, createdAt: Int64) {
        self.id = id
        self.nextOrdinal = 0
        self.nextLabelID = Self.firstLabelID
        self.assetCount = 0
        self.labelCount = 0
        self.createdAt = createdAt
        self.labelGeneration = 0
    }

    init(decoding raw: UnsafeRawBufferPointer) throws(LabelIndexError) {
        var reader = ByteReader(raw)
        let version = try reader.readByte()
        guard version == Self.version else { throw .corrupted("namespace record version \(version)") }
        id = try reader.readLittleEndianUInt32()
        nextOrdinal = try reader.readLittleEndianUInt64()
        nextLabelID = try reader.readLittleEndianUInt32()
        assetCount = try reader.readLittleEndianUInt64()
        labelCount = try reader.readLittleEndianUInt64()
        createdAt = Int64(bitPattern: try reader.readLittleEndianUInt64())
        labelGeneration = try reader.readLittleEndianUInt64()
    }
}
