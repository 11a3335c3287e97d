/// An int64 → ordinal hash table for the bulk loader, which looks every id of a load up once
/// and inserts it once: open addressing with linear probing and a multiplicative hash, a few
/// nanoseconds per operation where `Dictionary`'s seeded SipHash costs tens.
struct OrdinalTable {
    private var keys: [Int64]
    private var values: [UInt32]
    private var mask: Int
    private(set) var count = 0

    /// `values` holds this for an empty slot (a real ordinal is never `UInt32.max`).
    private static let empty = UInt32.max

    init(minimumCapacity: Int = 1024) {
        var capacity = 16
        while capacity < minimumCapacity * 2 { capacity <<= 1 }
        keys = [Int64](repeating: 0, count: capacity)
        values = [UInt32](repeating: Self.empty, count: capacity)
        mask = capacity - 1
    }

    @inline(__always) private func slot(for key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    subscript(key: Int64) -> UInt32? {
        var index = slot(for: key)
        while values[index] != Self.empty {
            if keys[index] == key { return values[index] }
            index = (index + 1) & mask
        }
        return nil
    }

    mutating func insert(_ value: UInt32, for key: Int64) {
        if (count + 1) * 10 > keys.count * 7 { grow() }
        var index = slot(for: key)
        while values[index] != Self.empty {
            if keys[index] == key {
                values[index] = value
                return
            }
            index = (index + 1) & mask
        }
        keys[index] = key
        values[index] = value
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        self = OrdinalTable(minimumCapacity: keys.count)
        for (key, value) in zip(oldKeys, oldValues) where value != Self.empty { insert(value, for: key) }
    }
}
