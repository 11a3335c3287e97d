import Roaring
import Synchronization

/// Decoded postings chunks shared by every reader, bounded in bytes.
///
/// An entry is keyed by (namespace, list, block) and tagged with the version stored in the
/// chunk's header. A reader presents the version it read from its own snapshot; only an entry
/// with exactly that version is a hit, so a snapshot never sees another snapshot's content.
/// Only read transactions fill the cache: their chunks are committed, so their versions are
/// final (a write transaction's id can be reused after an abort).
///
/// Eviction is CLOCK (second chance): cheap to maintain under one lock, close to LRU.
final class ChunkCache: Sendable {
    struct Key: Hashable {
        var namespace: UInt32
        var list: UInt32
        var block: UInt16
    }

    private struct Entry {
        var version: UInt64
        var bitmap: RoaringBitmap
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

    func bitmap(for key: Key, version: UInt64) -> RoaringBitmap? {
        state.withLock { state in
            guard let entry = state.entries[key], entry.version == version else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            if !entry.referenced { state.entries[key]!.referenced = true }
            return entry.bitmap
        }
    }

    func insert(_ bitmap: RoaringBitmap, for key: Key, version: UInt64) {
        let bytes = bitmap.memoryFootprint + 48
        guard bytes <= capacity / 4 else { return }
        state.withLock { state in
            if let old = state.entries[key] {
                // A newer snapshot's content replaces an older one; an older reader does not
                // evict a newer entry.
                guard version > old.version else { return }
                state.bytes -= old.bytes
            } else {
                state.ring.append(key)
            }
            state.entries[key] = Entry(version: version, bitmap: bitmap, bytes: bytes, referenced: false)
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
