/// The stored form of an asset: attributes and its labels in one record (in a `RecordGroup`),
/// so reading an asset with its labels is one lookup.
///
/// Layout (version 1): `version << 5 | flags` in one byte, key, `created − epoch` varint,
/// `updated − created` varint, name, [assetType], labelCount varint, labels…. The epoch is the
/// namespace's creation time, so the creation time of an asset made since then takes one to
/// three bytes instead of six. The key is an 8-byte LE int64 or two
/// length-prefixed strings; a label is `varint(id << 1 | hasWeight)` then an 8-byte double
/// when it has a weight. Labels come last so a label change rewrites only the tail.
/// Metadata lives in its own database (the `hasMetadata` flag says whether there is any), so
/// records, and the groups that hold them, stay small.
struct AssetRecord: Hashable {
    var key: AssetKey
    var name: String
    var assetType: String?
    var createdAt: Int64
    var updatedAt: Int64
    var metadata: [UInt8]?
    var labels: [StoredLabel]

    struct StoredLabel: Hashable {
        var id: UInt32
        var weight: Double?
    }

    static let version: UInt8 = 1

    private enum Flag {
        static let typedKey: UInt8 = 1
        static let hasAssetType: UInt8 = 2
        static let hasMetadata: UInt8 = 4
    }

    func encoded(epoch: Int64) -> [UInt8] {
        var writer = ByteWriter(capacity: 48 + name.utf8.count + labels.count * 3)
        encode(into: &writer, epoch: epoch)
        return writer.bytes
    }

    /// Appends the encoding to `writer`.
    func encode(into writer: inout ByteWriter, epoch: Int64) {
        Self.encode(
            key: key, name: name, assetType: assetType, createdAt: createdAt, updatedAt: updatedAt,
            hasMetadata: metadata != nil, labels: labels, into: &writer, epoch: epoch)
    }

    /// Appends the encoding of a record given by its parts (the bulk loader encodes straight
    /// into one buffer per group, without building a record first).
    static func encode(
        key: AssetKey, name: String, assetType: String?, createdAt: Int64, updatedAt: Int64, hasMetadata: Bool,
        labels: [StoredLabel], into writer: inout ByteWriter, epoch: Int64
    ) {
        var flags: UInt8 = 0
        if case .typed = key { flags |= Flag.typedKey }
        if assetType != nil { flags |= Flag.hasAssetType }
        if hasMetadata { flags |= Flag.hasMetadata }
        writer.append(Self.version << 5 | flags)
        switch key {
        case .id(let id): writer.appendLittleEndian(UInt64(bitPattern: id))
        case .typed(let type, let id):
            writer.appendLengthPrefixed(type)
            writer.appendLengthPrefixed(id)
        }
        writer.appendSignedVarint(createdAt &- epoch)
        writer.appendSignedVarint(updatedAt &- createdAt)
        writer.appendLengthPrefixed(name)
        if let assetType { writer.appendLengthPrefixed(assetType) }
        appendLabels(labels, to: &writer)
    }

    static func appendLabels(_ labels: [StoredLabel], to writer: inout ByteWriter) {
        writer.appendVarint(UInt64(labels.count))
        for label in labels {
            writer.appendVarint(UInt64(label.id) << 1 | (label.weight == nil ? 0 : 1))
            if let weight = label.weight { writer.append(weight) }
        }
    }

    init(
        key: AssetKey, name: String, assetType: String?, createdAt: Int64, updatedAt: Int64, metadata: [UInt8]?,
        labels: [StoredLabel]
    ) {
        self.key = key
        self.name = name
        self.assetType = assetType
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.metadata = metadata
        self.labels = labels
    }

    init(decoding raw: UnsafeRawBufferPointer, epoch: Int64) throws(LabelIndexError) {
        let parts = try Self.decode(raw, epoch: epoch) { StoredLabel(id: $0, weight: $1) }
        self.init(
            key: parts.key, name: parts.name, assetType: parts.assetType, createdAt: parts.createdAt,
            updatedAt: parts.updatedAt, metadata: parts.hasMetadata ? [] : nil, labels: parts.labels)
        // `metadata` is filled in from the metadata database by the reader when it is `[]`.
    }

    /// The asset a record stores, built straight from its bytes (a page of full assets makes a
    /// hundred of them, and a record in between would copy every label once more). `name(of:)`
    /// names each label; a label it cannot name is left with an empty name and sets
    /// `unnamed`, for the caller to name. Metadata, stored apart, is `[]` when there is some.
    static func decodeAsset(
        _ raw: UnsafeRawBufferPointer, epoch: Int64, ordinal: UInt32, unnamed: inout Bool,
        name: (UInt32) -> String?
    ) throws(LabelIndexError) -> Asset {
        let parts = try decode(raw, epoch: epoch) { id, weight in
            let known = name(id)
            if known == nil { unnamed = true }
            return AssetLabel(id: LabelID(id), name: known ?? "", weight: weight)
        }
        return Asset(
            key: parts.key, ordinal: AssetOrdinal(ordinal), name: parts.name, assetType: parts.assetType,
            createdAt: Clock.date(parts.createdAt), updatedAt: Clock.date(parts.updatedAt),
            metadata: parts.hasMetadata ? [] : nil, labels: parts.labels)
    }

    private static func decode<Label>(
        _ raw: UnsafeRawBufferPointer, epoch: Int64, label: (UInt32, Double?) -> Label
    ) throws(LabelIndexError) -> (
        key: AssetKey, name: String, assetType: String?, createdAt: Int64, updatedAt: Int64, hasMetadata: Bool,
        labels: [Label]
    ) {
        var reader = ByteReader(raw)
        let flags = try Self.readHeader(&reader)
        let key: AssetKey
        if flags & Flag.typedKey != 0 {
            let type = try reader.readLengthPrefixedString()
            key = .typed(type: type, id: try reader.readLengthPrefixedString())
        } else {
            key = .id(Int64(bitPattern: try reader.readLittleEndianUInt64()))
        }
        let createdAt = epoch &+ (try reader.readSignedVarint())
        let updatedAt = createdAt &+ (try reader.readSignedVarint())
        let name = try reader.readLengthPrefixedString()
        let assetType = flags & Flag.hasAssetType != 0 ? try reader.readLengthPrefixedString() : nil
        let labels = try Self.readLabels(&reader, label)
        if !reader.isAtEnd { throw .corrupted("trailing bytes after an asset record") }
        return (key, name, assetType, createdAt, updatedAt, flags & Flag.hasMetadata != 0, labels)
    }

    /// Only the key, for pages that return ids and nothing else.
    static func decodeKey(_ raw: UnsafeRawBufferPointer) throws(LabelIndexError) -> AssetKey {
        var reader = ByteReader(raw)
        if try readHeader(&reader) & Flag.typedKey != 0 {
            let type = try reader.readLengthPrefixedString()
            return .typed(type: type, id: try reader.readLengthPrefixedString())
        }
        return .id(Int64(bitPattern: try reader.readLittleEndianUInt64()))
    }

    /// Only the labels, skipping the attributes (the hot path of label reads and writes).
    static func decodeLabels(_ raw: UnsafeRawBufferPointer) throws(LabelIndexError) -> [StoredLabel] {
        var reader = ByteReader(raw)
        try skipToLabels(&reader)
        return try readLabels(&reader)
    }

    /// The record with its label section replaced and `updatedAt` set, reusing the stored
    /// attribute bytes as they are.
    static func replacingLabels(
        in raw: UnsafeRawBufferPointer, with labels: [StoredLabel], updatedAt: Int64, epoch: Int64
    ) throws(LabelIndexError) -> [UInt8] {
        var reader = ByteReader(raw)
        let flags = try readHeader(&reader)
        try skipKey(&reader, flags: flags)
        let createdAt = epoch &+ (try reader.readSignedVarint())
        let updatedStart = reader.offset
        _ = try reader.readSignedVarint()
        let attributesStart = reader.offset
        try skipAttributes(&reader, flags: flags)
        var writer = ByteWriter(capacity: raw.count + 8)
        writer.bytes.append(contentsOf: raw[0..<updatedStart])
        writer.appendSignedVarint(updatedAt &- createdAt)
        writer.bytes.append(contentsOf: raw[attributesStart..<reader.offset])
        appendLabels(labels, to: &writer)
        return writer.bytes
    }

    private static func readHeader(_ reader: inout ByteReader) throws(LabelIndexError) -> UInt8 {
        let header = try reader.readByte()
        guard header >> 5 == Self.version else { throw .corrupted("asset record version \(header >> 5)") }
        return header & 0x1F
    }

    private static func skipKey(_ reader: inout ByteReader, flags: UInt8) throws(LabelIndexError) {
        if flags & Flag.typedKey != 0 {
            try reader.skipLengthPrefixed()
            try reader.skipLengthPrefixed()
        } else {
            _ = try reader.readBytes(8)
        }
    }

    private static func skipAttributes(_ reader: inout ByteReader, flags: UInt8) throws(LabelIndexError) {
        try reader.skipLengthPrefixed()
        if flags & Flag.hasAssetType != 0 { try reader.skipLengthPrefixed() }
    }

    private static func skipToLabels(_ reader: inout ByteReader) throws(LabelIndexError) {
        let flags = try readHeader(&reader)
        try skipKey(&reader, flags: flags)
        _ = try reader.readSignedVarint()
        _ = try reader.readSignedVarint()
        try skipAttributes(&reader, flags: flags)
    }

    private static func readLabels(_ reader: inout ByteReader) throws(LabelIndexError) -> [StoredLabel] {
        try readLabels(&reader) { StoredLabel(id: $0, weight: $1) }
    }

    private static func readLabels<Label>(
        _ reader: inout ByteReader, _ make: (UInt32, Double?) -> Label
    ) throws(LabelIndexError) -> [Label] {
        let count = try reader.readVarint()
        guard count <= UInt64(reader.remaining) else { throw .corrupted("label count past the end of the record") }
        var labels = [Label]()
        labels.reserveCapacity(Int(count))
        for _ in 0..<count {
            let tagged = try reader.readVarint()
            guard tagged >> 1 <= UInt64(UInt32.max) else { throw .corrupted("label id out of range") }
            let weight = tagged & 1 == 1 ? try reader.readDouble() : nil
            labels.append(make(UInt32(tagged >> 1), weight))
        }
        return labels
    }
}
