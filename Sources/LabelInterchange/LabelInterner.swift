/// Maps label names, given as UTF-8 bytes, to dense indices `0..<count` in order of first sight.
///
/// Import files repeat a few thousand names millions of times, so interning works on the bytes:
/// one hash and one probe of an open-addressing table per occurrence. A `String` is made once per
/// distinct name, for `names`. The interner is a value: copies share storage until one of them
/// adds a name.
public struct LabelInterner: Sendable {
    private var storage: Storage

    /// An empty interner with room for `minimumCapacity` names before its table grows.
    public init(minimumCapacity: Int = 0) {
        var slotCount = 64
        while slotCount < minimumCapacity * 2 { slotCount <<= 1 }
        storage = Storage(slotCount: slotCount, arenaCapacity: max(1024, minimumCapacity * 16))
    }

    /// The interned names; a name's index here is the index `intern` returns for it.
    public var names: [String] { storage.names }

    /// The number of distinct names.
    public var count: Int { storage.names.count }

    /// The index of the name with these UTF-8 bytes, adding it if it is new.
    @inline(__always) public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Int {
        let hash = Self.hash(bytes)
        let (slot, found) = storage.find(bytes, hash: hash)
        if found { return storage.index(atSlot: slot) }
        return insert(bytes, hash: hash, slot: slot)
    }

    /// The index of `name`, adding it if it is new.
    public mutating func intern(_ name: String) -> Int {
        var name = name
        return name.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The index of the name with these UTF-8 bytes, or `nil` if it has not been interned.
    public func index(of bytes: UnsafeRawBufferPointer) -> Int? {
        let (slot, found) = storage.find(bytes, hash: Self.hash(bytes))
        return found ? storage.index(atSlot: slot) : nil
    }

    /// The index of `name`, or `nil` if it has not been interned.
    public func index(of name: String) -> Int? {
        var name = name
        return name.withUTF8 { index(of: UnsafeRawBufferPointer($0)) }
    }

    /// Makes the storage unique, so that `intern(_:mark:)` may write marks without checking.
    mutating func prepareForMarking() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy(slotCount: storage.slotCount) }
    }

    /// Interns the name and tags it with `mark`, saying whether it already carried that mark: a
    /// reader marks each name with the serial of the record it appears in, so a name seen twice
    /// in one record is found in the same probe that interns it. Call `prepareForMarking()` first.
    @inline(__always) mutating func intern(
        _ bytes: UnsafeRawBufferPointer, mark: UInt32
    ) -> (index: Int, wasMarked: Bool) {
        let hash = Self.hash(bytes)
        let (slot, found) = storage.find(bytes, hash: hash)
        guard found else {
            let index = insert(bytes, hash: hash, slot: slot)
            storage.setMark(mark, atSlot: storage.find(bytes, hash: hash).slot)
            return (index, false)
        }
        return (storage.index(atSlot: slot), storage.exchangeMark(mark, atSlot: slot) == mark)
    }

    /// Clears every mark (before marks, which are record serials, wrap around).
    mutating func clearMarks() {
        prepareForMarking()
        storage.clearMarks()
    }

    private mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64, slot: Int) -> Int {
        let index = count
        precondition(index < Int(UInt32.max - 1), "LabelInterner holds at most 2^32 - 2 names")
        if (index + 1) * 2 > storage.slotCount || !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy(
                slotCount: (index + 1) * 2 > storage.slotCount ? storage.slotCount * 2 : storage.slotCount)
            storage.append(bytes, hash: hash, slot: storage.find(bytes, hash: hash).slot)
        } else {
            storage.append(bytes, hash: hash, slot: slot)
        }
        return index
    }

    /// Forgets the names with index `start` and above, so a record rejected halfway leaves no trace.
    mutating func removeNames(from start: Int) {
        guard start < count else { return }
        prepareForMarking()
        storage.removeEntries(from: start)
    }

    /// A 64-bit hash in the style of wyhash: whole words, one wide multiplication per 16 bytes.
    @inline(__always) static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        let k0: UInt64 = 0xA076_1D64_78BD_642F
        let k1: UInt64 = 0xE703_7ED1_A0B4_28DB
        var seed: UInt64 = k0 ^ UInt64(truncatingIfNeeded: n)
        var a: UInt64 = 0
        var b: UInt64 = 0
        if n >= 8, let p = bytes.baseAddress {
            func word(_ at: Int) -> UInt64 {
                UInt64(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            }
            var i = 0
            while n - i > 16 {
                seed = mix(word(i) ^ k1, word(i + 8) ^ seed)
                i += 16
            }
            // The last (up to) 16 bytes, as two possibly overlapping words.
            a = word(n >= 16 ? n - 16 : 0)
            b = word(n - 8)
        } else if n >= 4, let p = bytes.baseAddress {
            a = UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
            b = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
        } else if n > 0 {
            a = UInt64(bytes[0]) << 16 | UInt64(bytes[n >> 1]) << 8 | UInt64(bytes[n - 1])
        }
        return mix(k1 ^ UInt64(truncatingIfNeeded: n), mix(a ^ k1, b ^ seed))
    }

    @inline(__always) static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}

extension LabelInterner {
    /// The table, with the names' bytes kept a second time in an arena.
    ///
    /// A table entry takes 32 bytes: the high 32 bits of the name's hash above its length, then
    /// index + 1 (0 marks an empty entry) and a mark, then the name itself when it fits in 16 bytes
    /// (zero-padded), otherwise its offset in the arena. So a probe for a short name, the common
    /// case, reads one entry and nothing else. The table is at most half full and uses linear
    /// probing. The arena holds every name, in index order, for rehashing and rollback.
    final class Storage: @unchecked Sendable {
        // Sendable: a `Storage` shared between values is never mutated (mutators copy it first).
        static let entrySize = 32
        static let inlineNameBytes = 16

        let table: UnsafeMutableRawPointer
        let slotCount: Int
        // Unchecked: probes read these once per label, and dynamic exclusivity checks cost more
        // than the probe. Only the owning interner mutates a `Storage`, never during a read.
        @exclusivity(unchecked) var arena: [UInt8] = []
        /// Where each name starts in `arena`, by index.
        @exclusivity(unchecked) var nameOffsets: [Int] = []
        @exclusivity(unchecked) var names: [String] = []

        init(slotCount: Int) {
            self.slotCount = slotCount
            table = .allocate(byteCount: slotCount * Self.entrySize, alignment: 64)
            table.initializeMemory(as: UInt8.self, repeating: 0, count: slotCount * Self.entrySize)
        }

        convenience init(slotCount: Int, arenaCapacity: Int) {
            self.init(slotCount: slotCount)
            arena.reserveCapacity(arenaCapacity)
        }

        deinit { table.deallocate() }

        @inline(__always) func entry(_ slot: Int) -> UnsafeMutableRawPointer { table + slot &* Self.entrySize }

        @inline(__always) func index(atSlot slot: Int) -> Int {
            Int(entry(slot).load(fromByteOffset: 8, as: UInt32.self)) &- 1
        }

        @inline(__always) func exchangeMark(_ mark: UInt32, atSlot slot: Int) -> UInt32 {
            let old = entry(slot).load(fromByteOffset: 12, as: UInt32.self)
            entry(slot).storeBytes(of: mark, toByteOffset: 12, as: UInt32.self)
            return old
        }

        func setMark(_ mark: UInt32, atSlot slot: Int) { _ = exchangeMark(mark, atSlot: slot) }

        func clearMarks() {
            for slot in 0..<slotCount { entry(slot).storeBytes(of: 0, toByteOffset: 12, as: UInt32.self) }
        }

        /// The slot holding the name, or the empty slot where the probe stopped.
        @inline(__always) func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> (slot: Int, found: Bool) {
            let n = bytes.count
            let key = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(truncatingIfNeeded: n)
            let mask = slotCount &- 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let entry = entry(slot)
                if entry.load(fromByteOffset: 8, as: UInt32.self) == 0 { return (slot, false) }
                if entry.load(as: UInt64.self) == key && namesEqual(entry, bytes) { return (slot, true) }
                slot = (slot &+ 1) & mask
            }
        }

        @inline(__always) func namesEqual(_ entry: UnsafeMutableRawPointer, _ bytes: UnsafeRawBufferPointer) -> Bool {
            guard bytes.count > Self.inlineNameBytes else {
                return Self.equal(UnsafeRawPointer(entry + 16), bytes.baseAddress, bytes.count)
            }
            let offset = entry.load(fromByteOffset: 16, as: Int.self)
            return arena.withUnsafeBytes { Self.equal($0.baseAddress! + offset, bytes.baseAddress, bytes.count) }
        }

        /// Adds a name known to be absent at the empty `slot` its probe ended on.
        func append(_ bytes: UnsafeRawBufferPointer, hash: UInt64, slot: Int) {
            let index = names.count
            let offset = arena.count
            arena.append(contentsOf: bytes)
            nameOffsets.append(offset)
            names.append(String(decoding: bytes, as: UTF8.self))
            let entry = entry(slot)
            entry.storeBytes(
                of: (hash & 0xFFFF_FFFF_0000_0000) | UInt64(truncatingIfNeeded: bytes.count), as: UInt64.self)
            entry.storeBytes(of: UInt32(index + 1), toByteOffset: 8, as: UInt32.self)
            entry.storeBytes(of: 0, toByteOffset: 12, as: UInt32.self)
            if bytes.count > Self.inlineNameBytes {
                entry.storeBytes(of: offset, toByteOffset: 16, as: Int.self)
            } else if let base = bytes.baseAddress {
                (entry + 16).copyMemory(from: base, byteCount: bytes.count)
            }
        }

        func bytes(ofIndex index: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
            let end = index + 1 < nameOffsets.count ? nameOffsets[index + 1] : arena.count
            arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[nameOffsets[index]..<end])) }
        }

        /// A copy with `slotCount` slots; names are re-inserted in index order (which
        /// `removeEntries(from:)` relies on) and keep their marks.
        func copy(slotCount: Int) -> Storage {
            let copy = Storage(slotCount: slotCount)
            copy.arena.reserveCapacity(arena.capacity)
            for index in names.indices {
                bytes(ofIndex: index) { bytes in
                    let hash = LabelInterner.hash(bytes)
                    let mark = entry(find(bytes, hash: hash).slot).load(fromByteOffset: 12, as: UInt32.self)
                    let slot = copy.find(bytes, hash: hash).slot
                    copy.append(bytes, hash: hash, slot: slot)
                    copy.setMark(mark, atSlot: slot)
                }
            }
            return copy
        }

        /// Removes the names with index `start` and above. Emptying their entries newest first
        /// keeps every probe chain intact: with linear probing and no other deletions, a chain can
        /// only run through the entry of a name added before the chain's own name.
        func removeEntries(from start: Int) {
            for index in (start..<names.count).reversed() {
                bytes(ofIndex: index) { bytes in
                    let slot = find(bytes, hash: LabelInterner.hash(bytes)).slot
                    entry(slot).initializeMemory(as: UInt8.self, repeating: 0, count: Self.entrySize)
                }
            }
            arena.removeSubrange(nameOffsets[start]...)
            nameOffsets.removeSubrange(start...)
            names.removeSubrange(start...)
        }

        /// Byte equality of `n` bytes, a word at a time.
        @inline(__always) static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer?, _ n: Int) -> Bool {
            guard let b else { return n == 0 }
            if n >= 8 {
                var i = 0
                while i &+ 8 < n {
                    if a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        != b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    {
                        return false
                    }
                    i &+= 8
                }
                // The last word may overlap bytes already compared.
                return a.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
                    == b.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
            }
            if n >= 4 {
                return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                    && a.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
                        == b.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
            }
            for i in 0..<n where a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self)
            {
                return false
            }
            return true
        }
    }
}
