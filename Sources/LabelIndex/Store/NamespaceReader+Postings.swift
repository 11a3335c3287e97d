import LMDB
import Roaring

extension NamespaceReader {
    /// `list` as this transaction sees it: its cardinality, and its chunks on demand. When the
    /// shared cache holds the whole list at this list's version, every chunk is already in
    /// memory; otherwise chunks are read lazily, one block at a time, until `load()` asks for
    /// all of them.
    package func postingsList(_ list: PostingList) throws -> PostingsList {
        guard fillsSharedCaches else {
            return PostingsList(
                reader: self, list: list, count: try count(of: list.rawValue), version: 0, complete: nil)
        }
        let state = try listState(of: list.rawValue)
        let complete = caches?.lists.value(
            for: PostingsKey(namespace: id, list: list.rawValue, block: 0), version: state.version)
        return PostingsList(reader: self, list: list, count: state.count, version: state.version, complete: complete)
    }

    /// How many assets are in `list`; read from a counter, never by decoding postings.
    public func cardinality(of list: PostingList) throws -> Int {
        try count(of: list.rawValue)
    }

    /// The chunk of `list` for ordinals `block << 16 ..< (block + 1) << 16`, or `nil` when it
    /// holds none of them. The bitmap contains full ordinals.
    package func chunk(of list: PostingList, block: UInt16) throws -> RoaringBitmap? {
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
    package func postingsStream(of list: PostingList) throws -> PostingsStream {
        try prepareForStreaming()
        return PostingsStream(
            reader: self, list: list.rawValue, cursor: try transaction.makeCursor(on: schema.postings))
    }

    /// The blocks in which `list` has members, ascending: a scan of keys, nothing is decoded.
    package func blocks(of list: PostingList) throws -> [UInt16] {
        try prepareForStreaming()
        var blocks: [UInt16] = []
        try transaction.withCursor(on: schema.postings) { cursor in
            try Keys.chunk(id, list.rawValue, 0).withUnsafeBytes { start in
                let prefix = UnsafeRawBufferPointer(rebasing: start[0..<8])
                var op = CursorOperation.setRange(start)
                while let block = try cursor.get(
                    op,
                    { key, _ -> UInt16? in
                        key.count == 10 && key.starts(with: prefix) ? Keys.readBigEndianUInt16(key, at: 8) : nil
                    }) ?? nil
                {
                    blocks.append(block)
                    op = .next
                }
            }
        }
        return blocks
    }

    /// One past the highest block that can hold an ordinal of this namespace.
    package var blockLimit: Int {
        let highest = Swift.min(record.nextOrdinal, store.options.ordinalCapacity)
        return highest == 0 ? 0 : Int((highest - 1) >> 16) + 1
    }

    /// The ordinals of assets carrying `label`, in order, after `ordinal`.
    public func ordinals(
        labeled label: LabelID, after ordinal: AssetOrdinal? = nil, limit: Int
    ) throws
        -> [AssetOrdinal]
    {
        try ordinals(in: .label(label), after: ordinal, limit: limit)
    }

    /// Up to `limit` ordinals of `list` greater than `ordinal`, ascending.
    public func ordinals(
        in list: PostingList, after ordinal: AssetOrdinal? = nil, limit: Int
    ) throws
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
package final class PostingsStream {
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
    package func chunk(atOrAfter block: UInt16) throws -> (block: UInt16, bitmap: RoaringBitmap)? {
        try Keys.chunk(reader.id, list, block).withUnsafeBytes { key in try read(.setRange(key)) }
    }

    /// The chunk after the last one returned (the first one when none was).
    package func next() throws -> (block: UInt16, bitmap: RoaringBitmap)? {
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
        let chunk =
            try cursor.get(op) { key, value -> (UInt16, RoaringBitmap)? in
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

/// One postings list inside one transaction (see `NamespaceReader.postingsList(_:)`).
package final class PostingsList {
    package let list: PostingList
    /// Exact cardinality, from the list's counter.
    package let count: Int
    let version: UInt64
    let reader: NamespaceReader
    private var complete: CompleteList?
    private var knownBlocks: [UInt16]?
    /// Lazy reads walk the list with one cursor: seeking to the next block leaves the cursor on
    /// that block's chunk, so reading the chunk costs no second search.
    private var cursor: Cursor?
    private var cursorBlock: UInt16?

    init(reader: NamespaceReader, list: PostingList, count: Int, version: UInt64, complete: CompleteList?) {
        self.reader = reader
        self.list = list
        self.count = count
        self.version = version
        self.complete = complete
    }

    /// Whether every chunk is in memory, so `chunk(_:)` needs no lookup.
    package var isLoaded: Bool { complete != nil }

    /// The list's members in `block`, or `nil` when it has none there.
    package func chunk(_ block: UInt16) throws -> RoaringBitmap? {
        if let complete { return complete.chunk(block) }
        if count == 0 { return nil }
        if cursorBlock == block, let cursor {
            let list = list.rawValue
            let reader = reader
            return try cursor.get(.current) { _, value in try reader.decodeChunk(value, list: list, block: block) }
        }
        return try reader.chunk(list: list.rawValue, block: block)
    }

    /// The first block ≥ `block` where the list has members: a seek, nothing decoded.
    package func nextBlock(atOrAfter block: UInt16) throws -> UInt16? {
        if let complete { return complete.nextBlock(atOrAfter: block) }
        if count == 0 { return nil }
        if let cursorBlock, cursorBlock == block { return block }
        let cursor = try self.cursor ?? reader.transaction.makeCursor(on: reader.schema.postings)
        self.cursor = cursor
        try reader.prepareForStreaming()
        let namespace = reader.id
        let list = list.rawValue
        let found = try Keys.chunk(namespace, list, block).withUnsafeBytes { key in
            try cursor.get(.setRange(key)) { key, _ -> UInt16? in
                guard key.count == 10, Keys.readBigEndianUInt32(key) == namespace,
                    Keys.readBigEndianUInt32(key, at: 4) == list
                else { return nil }
                return Keys.readBigEndianUInt16(key, at: 8)
            } ?? nil
        }
        cursorBlock = found
        return found
    }

    /// The blocks where the list has members, ascending (a key scan when not loaded).
    package func blocks() throws -> [UInt16] {
        if let complete { return complete.blocks }
        if count == 0 { return [] }
        if let knownBlocks { return knownBlocks }
        let blocks = try reader.blocks(of: list)
        knownBlocks = blocks
        return blocks
    }

    /// Decodes every chunk now (each through the chunk cache, so chunks unchanged since an
    /// earlier version are not decoded again) and shares the complete list with later
    /// snapshots for as long as the list does not change.
    package func load() throws {
        guard complete == nil else { return }
        var blocks: [UInt16] = []
        var chunks: [RoaringBitmap] = []
        var bytes = 64
        if count > 0 {
            let stream = try reader.postingsStream(of: list)
            while let (block, bitmap) = try stream.next() {
                blocks.append(block)
                chunks.append(bitmap)
                bytes += bitmap.memoryFootprint + 48
            }
        }
        let loaded = CompleteList(blocks: blocks, chunks: chunks, bytes: bytes)
        complete = loaded
        if reader.fillsSharedCaches, let caches = reader.caches {
            caches.lists.insert(
                loaded, bytes: bytes, for: PostingsKey(namespace: reader.id, list: list.rawValue, block: 0),
                version: version)
        }
    }
}
