/// A database key of at most 16 bytes, built on the stack: the hot paths (postings, records,
/// counts) never allocate for their keys.
struct FixedKey {
    private var storage: (UInt64, UInt64) = (0, 0)
    private(set) var count = 0

    init() {}

    mutating func append(_ value: UInt32) {
        let be = value.bigEndian
        withUnsafeMutableBytes(of: &storage) { raw in raw.storeBytes(of: be, toByteOffset: count, as: UInt32.self) }
        count += 4
    }

    mutating func append(_ value: UInt16) {
        let be = value.bigEndian
        withUnsafeMutableBytes(of: &storage) { raw in raw.storeBytes(of: be, toByteOffset: count, as: UInt16.self) }
        count += 2
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage) { raw in try body(UnsafeRawBufferPointer(rebasing: raw[0..<count])) }
    }
}

/// The key layouts of every database. Namespace ids prefix every key (big-endian), so one
/// namespace's entries are contiguous and a prefix scan never crosses into another tenant.
enum Keys {
    /// `records`, `labels`, `children`, list counts: (namespace, 32-bit id).
    static func pair(_ namespace: UInt32, _ id: UInt32) -> FixedKey {
        var key = FixedKey()
        key.append(namespace)
        key.append(id)
        return key
    }

    /// `postings`: (namespace, list, block).
    static func chunk(_ namespace: UInt32, _ list: UInt32, _ block: UInt16) -> FixedKey {
        var key = pair(namespace, list)
        key.append(block)
        return key
    }

    /// `intKeys`: the namespace alone (its asset ids are the duplicates under it).
    static func namespace(_ namespace: UInt32) -> FixedKey {
        var key = FixedKey()
        key.append(namespace)
        return key
    }

    /// `labelNames`: (namespace, name bytes).
    static func labelName(_ namespace: UInt32, _ name: String) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(4 + name.utf8.count)
        withUnsafeBytes(of: namespace.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: name.utf8)
        return bytes
    }

    /// `typedKeys`: (namespace, type, 0x00, id). Types cannot contain NUL (control characters
    /// are rejected), so the separator is unambiguous.
    static func typedAsset(_ namespace: UInt32, type: String, id: String) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(5 + type.utf8.count + id.utf8.count)
        withUnsafeBytes(of: namespace.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: type.utf8)
        bytes.append(0)
        bytes.append(contentsOf: id.utf8)
        return bytes
    }

    /// An `intKeys` duplicate: the id with its sign bit flipped (so signed order is byte
    /// order), big-endian, then the ordinal.
    static func intAssetEntry(id: Int64, ordinal: UInt32) -> (UInt64, UInt32) {
        ((UInt64(bitPattern: id) ^ (1 << 63)).bigEndian, ordinal.bigEndian)
    }

    static func decodeIntAssetEntry(_ raw: UnsafeRawBufferPointer) -> (id: Int64, ordinal: UInt32) {
        let sortable = UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
        let ordinal = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        return (Int64(bitPattern: sortable ^ (1 << 63)), ordinal)
    }

    static let intAssetEntrySize = 12

    static func readBigEndianUInt32(_ raw: UnsafeRawBufferPointer, at offset: Int = 0) -> UInt32 {
        UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    static func readBigEndianUInt16(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UInt16 {
        UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
}

extension Array where Element == UInt8 {
    /// Packs a tuple of integers laid out in memory (for `intKeys` entries) into bytes.
    init<T>(bytesOf value: T) {
        self = Swift.withUnsafeBytes(of: value) { Array($0) }
    }
}
