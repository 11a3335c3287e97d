/// An int64 → ordinal hash table for the bulk loader, which looks every id of a load up once
/// and inserts it once: open addressing with linear probing and a multiplicative hash, a few
/// nanoseconds per operation where `Dictionary`'s seeded SipHash costs tens. Keys and values
/// share one array, so a probe of a table far larger than the caches misses once, not twice.
struct OrdinalTable {
    private struct Entry {
        var key: Int64
        var value: UInt32
    }

    private var entries: [Entry]
    private var mask: Int
    private(set) var count = 0

    /// `value` of an empty slot (a real ordinal is never `UInt32.max`).
    private static let empty = UInt32.max

    init(minimumCapacity: Int = 1024) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        entries = [Entry](repeating: Entry(key: 0, value: Self.empty), count: capacity)
        mask = capacity - 1
    }

    @inline(__always) private func slot(for key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    subscript(key: Int64) -> UInt32? {
        var index = slot(for: key)
        while entries[index].value != Self.empty {
            if entries[index].key == key { return entries[index].value }
            index = (index + 1) & mask
        }
        return nil
    }

    mutating func insert(_ value: UInt32, for key: Int64) {
        if (count + 1) * 10 > entries.count * 7 { grow() }
        var index = slot(for: key)
        while entries[index].value != Self.empty {
            if entries[index].key == key {
                entries[index].value = value
                return
            }
            index = (index + 1) & mask
        }
        entries[index] = Entry(key: key, value: value)
        count += 1
    }

    /// The value stored for `key`, or `nil` after storing `value` for it: one probe where a
    /// lookup and then an insert would take two (each a likely cache miss in a large table).
    mutating func value(for key: Int64, insertingIfAbsent value: UInt32) -> UInt32? {
        if (count + 1) * 10 > entries.count * 7 { grow() }
        var index = slot(for: key)
        while entries[index].value != Self.empty {
            if entries[index].key == key { return entries[index].value }
            index = (index + 1) & mask
        }
        entries[index] = Entry(key: key, value: value)
        count += 1
        return nil
    }

    private mutating func grow() {
        let old = entries
        self = OrdinalTable(minimumCapacity: entries.count)
        for entry in old where entry.value != Self.empty { insert(entry.value, for: entry.key) }
    }
}
