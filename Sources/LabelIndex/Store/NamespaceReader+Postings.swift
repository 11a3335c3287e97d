import LMDB
import Roaring

extension NamespaceReader {
    /// How many assets are in `list`; read from a counter, never by decoding postings.
    public func cardinality(of list: PostingList) throws -> Int {
        list == .universe ? assetCount : try count(of: list.rawValue)
    }

    /// The chunk of `list` for ordinals `block << 16 ..< (block + 1) << 16`, or `nil` when it
    /// holds none of them. The bitmap contains full ordinals.
    public func chunk(of list: PostingList, block: UInt16) throws -> RoaringBitmap? {
        try chunk(list: list.rawValue, block: block)
    }

    /// The whole list as one bitmap.
    public func postings(of list: PostingList) throws -> RoaringBitmap {
        let stream = try postingsStream(of: list)
        var parts: [RoaringBitmap] = []
        while let (_, bitmap) = try stream.next() { parts.append(bitmap) }
        return RoaringBitmap.union(of: parts)
    }

    /// A forward-only reader of `list`'s chunks in block order, with seeking; what the query
    /// executor streams so that a first page decodes only the first chunks.
    public func postingsStream(of list: PostingList) throws -> PostingsStream {
        try prepareForStreaming()
        return PostingsStream(reader: self, list: list.rawValue, cursor: try transaction.makeCursor(on: schema.postings))
    }

    /// The blocks in which `list` has members, ascending: a scan of keys, nothing is decoded.
    public func blocks(of list: PostingList) throws -> [UInt16] {
        try prepareForStreaming()
        var blocks: [UInt16] = []
        try transaction.withCursor(on: schema.postings) { cursor in
            try Keys.chunk(id, list.rawValue, 0).withUnsafeBytes { start in
                let prefix = UnsafeRawBufferPointer(rebasing: start[0..<8])
                var op = CursorOperation.setRange(start)
                while let block = try cursor.get(op, { key, _ -> UInt16? in
                    key.count == 10 && key.starts(with: prefix) ? Keys.readBigEndianUInt16(key, at: 8) : nil
                }) ?? nil {
                    blocks.append(block)
                    op = .next
                }
            }
        }
        return blocks
    }

    /// One past the highest block that can hold an ordinal of this namespace.
    public var blockLimit: Int {
        let highest = Swift.min(record.nextOrdinal, store.options.ordinalCapacity)
        return highest == 0 ? 0 : Int((highest - 1) >> 16) + 1
    }

    /// The ordinals of assets carrying `label`, in order, after `ordinal`.
    public func ordinals(labeled label: LabelID, after ordinal: AssetOrdinal? = nil, limit: Int) throws
        -> [AssetOrdinal]
    {
        try ordinals(in: .label(label), after: ordinal, limit: limit)
    }

    /// Up to `limit` ordinals of `list` greater than `ordinal`, ascending.
    public func ordinals(in list: PostingList, after ordinal: AssetOrdinal? = nil, limit: Int) throws
        -> [AssetOrdinal]
    {
        guard limit > 0 else { return [] }
        let start = ordinal.map { UInt64($0.rawValue) + 1 } ?? 0
        guard start <= UInt64(UInt32.max) else { return [] }
        let stream = try postingsStream(of: list)
        var result: [AssetOrdinal] = []
        var next = try stream.chunk(atOrAfter: PostingsChunk.block(of: UInt32(start)))
        while let (_, bitmap) = next, result.count < limit {
            let from = Swift.max(UInt32(start), bitmap.min ?? 0)
            result.append(contentsOf: bitmap.values(from: from, limit: limit - result.count).map { AssetOrdinal($0) })
            next = try stream.next()
        }
        return result
    }

    /// A page of the assets carrying `label`, in ordinal order.
    public func assets(labeled label: LabelID, after ordinal: AssetOrdinal? = nil, limit: Int) throws -> [Asset] {
        try assets(at: ordinals(labeled: label, after: ordinal, limit: limit))
    }
}

/// Reads one postings list chunk by chunk, in block order. Valid inside its transaction.
public final class PostingsStream {
    let reader: NamespaceReader
    let list: UInt32
    let cursor: Cursor
    private var position = Position.start

    private enum Position { case start, onChunk, pastEnd }

    init(reader: NamespaceReader, list: UInt32, cursor: Cursor) {
        self.reader = reader
        self.list = list
        self.cursor = cursor
    }

    /// The first chunk whose block is ≥ `block`.
    public func chunk(atOrAfter block: UInt16) throws -> (block: UInt16, bitmap: RoaringBitmap)? {
        try Keys.chunk(reader.id, list, block).withUnsafeBytes { key in try read(.setRange(key)) }
    }

    /// The chunk after the last one returned (the first one when none was).
    public func next() throws -> (block: UInt16, bitmap: RoaringBitmap)? {
        switch position {
        case .start: try chunk(atOrAfter: 0)
        case .onChunk: try read(.next)
        case .pastEnd: nil
        }
    }

    private func read(_ op: CursorOperation) throws -> (block: UInt16, bitmap: RoaringBitmap)? {
        let namespaceID = reader.id
        let list = list
        let reader = reader
        let chunk = try cursor.get(op) { key, value -> (UInt16, RoaringBitmap)? in
            guard key.count == 10, Keys.readBigEndianUInt32(key) == namespaceID,
                Keys.readBigEndianUInt32(key, at: 4) == list
            else { return nil }
            let block = Keys.readBigEndianUInt16(key, at: 8)
            return (block, try reader.decodeChunk(value, list: list, block: block))
        } ?? nil
        position = chunk == nil ? .pastEnd : .onChunk
        return chunk
    }
}
