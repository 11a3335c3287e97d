import Roaring

/// The postings of one list (a label, or one of the engine's own sets) are split into chunks
/// of 65,536 ordinals: chunk `block` holds the list's ordinals whose high 16 bits are `block`.
/// One chunk is at most one Roaring container (≤ 8 KiB), so a single add rewrites one small
/// value while a query streams the chunks in key order.
///
/// Stored value: `version u64 LE` then the chunk's portable Roaring serialisation (full
/// 32-bit ordinals). The version is the id of the write transaction that stored it; committed
/// transactions have distinct ids, so (key, version) names one content forever, which is what
/// lets readers share decoded chunks through `ChunkCache` without ever seeing a stale one.
enum PostingsChunk {
    static let headerSize = 8

    static func block(of ordinal: UInt32) -> UInt16 { UInt16(truncatingIfNeeded: ordinal >> 16) }
    static func range(of block: UInt16) -> Range<UInt32> {
        let start = UInt32(block) << 16
        return start..<(start | 0xFFFF) &+ 1
    }

    static func version(of raw: UnsafeRawBufferPointer) throws(LabelIndexError) -> UInt64 {
        guard raw.count > headerSize else { throw .corrupted("postings chunk shorter than its header") }
        return UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws(LabelIndexError) -> RoaringBitmap {
        guard raw.count > headerSize,
            let bitmap = RoaringBitmap(portableBytes: UnsafeRawBufferPointer(rebasing: raw[headerSize...]))
        else { throw .corrupted("postings chunk is not a valid Roaring bitmap") }
        return bitmap
    }

    static func encodedSize(of bitmap: RoaringBitmap) -> Int { headerSize + bitmap.portableSizeInBytes }

    static func encode(_ bitmap: RoaringBitmap, version: UInt64, into buffer: UnsafeMutableRawBufferPointer) {
        buffer.storeBytes(of: version.littleEndian, as: UInt64.self)
        bitmap.serializePortable(into: UnsafeMutableRawBufferPointer(rebasing: buffer[headerSize...]))
    }
}

/// The lists of ordinals the postings database holds for a namespace.
public enum PostingList: Hashable, Sendable {
    /// The assets carrying a label.
    case label(LabelID)
    /// Every live asset of the namespace (for `NOT`, `*` and `no:label`).
    case universe
    /// Every asset carrying at least one label (for `has:label` and `no:label`).
    case labelled

    var rawValue: UInt32 {
        switch self {
        case .label(let id): id.rawValue
        case .universe: UInt32.max
        case .labelled: UInt32.max - 1
        }
    }

    init?(rawValue: UInt32) {
        switch rawValue {
        case UInt32.max: self = .universe
        case UInt32.max - 1: self = .labelled
        case NamespaceRecord.firstLabelID...NamespaceRecord.lastLabelID: self = .label(LabelID(rawValue))
        default: return nil
        }
    }
}
