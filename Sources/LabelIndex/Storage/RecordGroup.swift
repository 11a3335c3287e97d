/// Asset records are stored eight to an LMDB value: the key is (namespace, ordinal >> 3) and
/// the value holds the records of those eight consecutive ordinals that exist. One LMDB entry
/// costs 18 bytes of node header, key and page pointer; sharing it between eight records makes
/// the records database about a fifth smaller, and a bulk load writes an eighth of the
/// entries. Eight, not more: groups of typical records (~70 bytes each) stay near 560 bytes,
/// so seven fill a 4 KiB page; groups of sixteen fit only three to a page and waste a fifth
/// of it. Reading one record means skipping at most seven length prefixes.
///
/// Layout: `mask u8` (bit s set when ordinal `group << 3 | s` exists), then for each set bit
/// in ascending order `varint length, record bytes`.
enum RecordGroup {
    static let shift: UInt32 = 3
    static let slots = 1 << shift

    static func index(of ordinal: UInt32) -> UInt32 { ordinal >> shift }
    static func slot(of ordinal: UInt32) -> Int { Int(ordinal & UInt32(slots - 1)) }
    static func ordinal(group: UInt32, slot: Int) -> UInt32 { group << shift | UInt32(slot) }

    /// The bytes of the record in `slot`, or `nil` when that slot is empty.
    static func record(in group: UnsafeRawBufferPointer, slot: Int) throws(LabelIndexError) -> UnsafeRawBufferPointer? {
        var reader = ByteReader(group)
        let mask = try readMask(&reader)
        guard mask & (1 << slot) != 0 else { return nil }
        for present in 0..<slot where mask & (1 << present) != 0 { try reader.skipLengthPrefixed() }
        return try reader.readLengthPrefixedBytes()
    }

    /// Calls `body` with each present slot and its record bytes, in slot order.
    static func forEach(in group: UnsafeRawBufferPointer, _ body: (Int, UnsafeRawBufferPointer) throws -> Void) throws {
        var reader = ByteReader(group)
        let mask = try readMask(&reader)
        for slot in 0..<slots where mask & (1 << slot) != 0 { try body(slot, try reader.readLengthPrefixedBytes()) }
        if !reader.isAtEnd { throw LabelIndexError.corrupted("trailing bytes after a record group") }
    }

    /// Calls `body` with each slot of `wanted` (a mask like the group's own) that holds a
    /// record, in slot order, walking the group once: a page asks for several records of one
    /// group, and looking each up from the start would skip the same prefixes again.
    static func forEach(
        in group: UnsafeRawBufferPointer, slots wanted: UInt8, _ body: (Int, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var reader = ByteReader(group)
        let mask = try readMask(&reader)
        var remaining = wanted & mask
        var slot = 0
        while remaining != 0 {
            if mask & (1 << slot) != 0 {
                let record = try reader.readLengthPrefixedBytes()
                if remaining & (1 << slot) != 0 {
                    try body(slot, record)
                    remaining &= ~(1 << slot)
                }
            }
            slot += 1
        }
    }

    /// The group with `slot` set to `record` (or emptied when `record` is `nil`); `nil` when
    /// the resulting group is empty. The other records' bytes are copied as they are.
    static func replacing(slot: Int, with record: [UInt8]?, in group: UnsafeRawBufferPointer?) throws -> [UInt8]? {
        guard let group else { return record.map { encode([(slot, $0)]) } }
        var reader = ByteReader(group)
        let mask = try readMask(&reader)
        for present in 0..<slot where mask & (1 << present) != 0 { try reader.skipLengthPrefixed() }
        let spliceStart = reader.offset
        if mask & (1 << slot) != 0 { try reader.skipLengthPrefixed() }
        let spliceEnd = reader.offset
        let newMask = record == nil ? mask & ~(1 << slot) : mask | (1 << slot)
        guard newMask != 0 else { return nil }
        var writer = ByteWriter(capacity: group.count + (record?.count ?? 0) + 3)
        writer.append(newMask)
        writer.bytes.append(contentsOf: group[1..<spliceStart])
        if let record { writer.appendLengthPrefixed(record) }
        writer.bytes.append(contentsOf: group[spliceEnd...])
        return writer.bytes
    }

    /// Encodes (slot, record) pairs given in ascending slot order.
    static func encode(_ records: [(Int, [UInt8])]) -> [UInt8] {
        var mask: UInt8 = 0
        var size = 1
        for (slot, record) in records {
            mask |= 1 << slot
            size += record.count + 3
        }
        var writer = ByteWriter(capacity: size)
        writer.append(mask)
        for (_, record) in records { writer.appendLengthPrefixed(record) }
        return writer.bytes
    }

    private static func readMask(_ reader: inout ByteReader) throws(LabelIndexError) -> UInt8 {
        try reader.readByte()
    }
}
