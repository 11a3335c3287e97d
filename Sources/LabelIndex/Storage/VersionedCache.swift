import Roaring
import Synchronization

/// A bounded cache shared by every reader of a store, whose entries are tagged with the
/// version of the stored content they were decoded from. A lookup names the version it read
/// in its own snapshot and hits only on exactly that version, so no reader ever sees another
/// snapshot's content. Only read transactions fill it: their versions are committed, while a
/// write transaction's id can be reused after an abort.
///
/// Eviction is CLOCK (second chance): cheap to maintain under one lock, close to LRU.
final class VersionedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var version: UInt64
        var value: Value
        var bytes: Int
        var referenced: Bool
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var ring: [Key] = []
        var hand = 0
        var bytes = 0
        var hits = 0
        var misses = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = capacity }

    func value(for key: Key, version: UInt64) -> Value? {
        state.withLock { state in
            guard let entry = state.entries[key], entry.version == version else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            if !entry.referenced { state.entries[key]!.referenced = true }
            return entry.value
        }
    }

    /// Stores `value`; values larger than a quarter of the capacity are not kept.
    func insert(_ value: Value, bytes: Int, for key: Key, version: UInt64) {
        guard bytes <= capacity / 4 else { return }
        state.withLock { state in
            if let old = state.entries[key] {
                // An older snapshot must not replace a newer snapshot's entry.
                guard version > old.version else { return }
                state.bytes -= old.bytes
            } else {
                state.ring.append(key)
            }
            state.entries[key] = Entry(version: version, value: value, bytes: bytes, referenced: false)
            state.bytes += bytes
            while state.bytes > capacity { Self.evictOne(&state) }
        }
    }

    private static func evictOne(_ state: inout State) {
        while true {
            if state.hand >= state.ring.count { state.hand = 0 }
            let key = state.ring[state.hand]
            guard let entry = state.entries[key] else {
                state.ring.swapAt(state.hand, state.ring.count - 1)
                state.ring.removeLast()
                continue
            }
            if entry.referenced {
                state.entries[key]!.referenced = false
                state.hand += 1
                continue
            }
            state.entries[key] = nil
            state.bytes -= entry.bytes
            state.ring.swapAt(state.hand, state.ring.count - 1)
            state.ring.removeLast()
            return
        }
    }

    struct Statistics: Sendable {
        var entries: Int
        var bytes: Int
        var hits: Int
        var misses: Int
    }

    var statistics: Statistics {
        state.withLock { Statistics(entries: $0.entries.count, bytes: $0.bytes, hits: $0.hits, misses: $0.misses) }
    }
}

/// Where a chunk or a list lives: namespace, list, block (`block` is 0 for whole lists).
struct PostingsKey: Hashable, Sendable {
    var namespace: UInt32
    var list: UInt32
    var block: UInt16
}

/// A list decoded completely, for queries that touch every block: its blocks ascending and
/// their chunks in the same order (a binary search finds a block; hashing one costs more).
struct CompleteList: Sendable {
    let blocks: [UInt16]
    let chunks: [RoaringBitmap]
    let bytes: Int

    /// The position of the first block ≥ `block` (`blocks.count` when there is none).
    func position(atOrAfter block: UInt16) -> Int {
        var low = 0
        var high = blocks.count
        while low < high {
            let middle = (low + high) / 2
            if blocks[middle] < block { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func chunk(_ block: UInt16) -> RoaringBitmap? {
        let position = position(atOrAfter: block)
        return position < blocks.count && blocks[position] == block ? chunks[position] : nil
    }

    func nextBlock(atOrAfter block: UInt16) -> UInt16? {
        let position = position(atOrAfter: block)
        return position < blocks.count ? blocks[position] : nil
    }
}

/// The caches of decoded postings shared by all readers of a store.
struct PostingsCaches: Sendable {
    /// Decoded chunks, keyed by chunk, versioned by the chunk's own header.
    let chunks: VersionedCache<PostingsKey, RoaringBitmap>
    /// Complete lists, keyed by list, versioned by the list's counter record.
    let lists: VersionedCache<PostingsKey, CompleteList>

    init(capacity: Int) {
        chunks = VersionedCache(capacity: capacity / 2)
        lists = VersionedCache(capacity: capacity / 2)
    }
}
