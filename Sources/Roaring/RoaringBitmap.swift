// Roaring: a Swift value type over the system CRoaring library (Debian's 0.2.66).
//
// This module owns compressed sets of UInt32 and their portable serialisation. It knows
// nothing of LMDB or labels. CRoaring pointers never leak out: a `RoaringBitmap` is a
// copy-on-write value, safe to share between threads for reading.

import CRoaring

/// A compressed set of `UInt32` with value semantics (copy-on-write).
///
/// Reads of one bitmap from several threads at once are safe; every mutation first makes the
/// storage unique, so a bitmap shared with a cache or another thread is never changed under it.
public struct RoaringBitmap: @unchecked Sendable {
    @usableFromInline final class Storage {
        @usableFromInline let pointer: UnsafeMutablePointer<roaring_bitmap_t>
        @usableFromInline init(_ pointer: UnsafeMutablePointer<roaring_bitmap_t>) { self.pointer = pointer }
        deinit { roaring_bitmap_free(pointer) }
    }

    @usableFromInline var storage: Storage

    @inlinable var pointer: UnsafePointer<roaring_bitmap_t> { UnsafePointer(storage.pointer) }

    @inlinable var mutablePointer: UnsafeMutablePointer<roaring_bitmap_t> {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) {
                storage = Storage(roaring_bitmap_copy(storage.pointer))
            }
            return storage.pointer
        }
    }

    init(owning pointer: UnsafeMutablePointer<roaring_bitmap_t>) {
        storage = Storage(pointer)
    }

    /// An empty bitmap.
    public init() { self.init(owning: roaring_bitmap_create()) }

    /// The values in `range` (upper bound excluded).
    public init(range: Range<UInt32>) {
        if range.isEmpty {
            self.init()
        } else {
            self.init(owning: roaring_bitmap_from_range(UInt64(range.lowerBound), UInt64(range.upperBound), 1))
        }
    }

    public init<S: Sequence>(_ values: S) where S.Element == UInt32 {
        self.init()
        insert(contentsOf: values)
    }

    // MARK: Membership

    public var count: Int { Int(roaring_bitmap_get_cardinality(pointer)) }
    public var isEmpty: Bool { roaring_bitmap_is_empty(pointer) }
    public var min: UInt32? { isEmpty ? nil : roaring_bitmap_minimum(pointer) }
    public var max: UInt32? { isEmpty ? nil : roaring_bitmap_maximum(pointer) }

    @inlinable public func contains(_ value: UInt32) -> Bool { roaring_bitmap_contains(pointer, value) }

    /// Inserts `value`; returns whether it was absent.
    @inlinable @discardableResult
    public mutating func insert(_ value: UInt32) -> Bool { roaring_bitmap_add_checked(mutablePointer, value) }

    /// Removes `value`; returns whether it was present.
    @inlinable @discardableResult
    public mutating func remove(_ value: UInt32) -> Bool { roaring_bitmap_remove_checked(mutablePointer, value) }

    public mutating func insert<S: Sequence>(contentsOf values: S) where S.Element == UInt32 {
        let target = mutablePointer
        let done = values.withContiguousStorageIfAvailable { buffer -> Bool in
            if let base = buffer.baseAddress { roaring_bitmap_add_many(target, buffer.count, base) }
            return true
        }
        if done == nil {
            for value in values { roaring_bitmap_add(target, value) }
        }
    }

    public mutating func insert(range: Range<UInt32>) {
        guard !range.isEmpty else { return }
        roaring_bitmap_add_range_closed(mutablePointer, range.lowerBound, range.upperBound - 1)
    }

    public mutating func remove(range: Range<UInt32>) {
        guard !range.isEmpty else { return }
        roaring_bitmap_remove_range_closed(mutablePointer, range.lowerBound, range.upperBound - 1)
    }

    public mutating func removeAll() { roaring_bitmap_clear(mutablePointer) }

    /// Number of values `< value` (`rank` counts values ≤; this is the half-open variant).
    public func countLess(than value: UInt32) -> Int {
        value == 0 ? 0 : Int(roaring_bitmap_rank(pointer, value - 1))
    }

    // MARK: Set algebra

    public mutating func formIntersection(_ other: RoaringBitmap) {
        if other.storage === storage { return }
        roaring_bitmap_and_inplace(mutablePointer, other.pointer)
    }

    public mutating func formUnion(_ other: RoaringBitmap) {
        if other.storage === storage { return }
        roaring_bitmap_or_inplace(mutablePointer, other.pointer)
    }

    public mutating func subtract(_ other: RoaringBitmap) {
        // CRoaring asserts (and aborts) when both arguments are the same bitmap.
        if other.storage === storage {
            removeAll()
            return
        }
        roaring_bitmap_andnot_inplace(mutablePointer, other.pointer)
    }

    public mutating func formSymmetricDifference(_ other: RoaringBitmap) {
        if other.storage === storage {
            removeAll()
            return
        }
        roaring_bitmap_xor_inplace(mutablePointer, other.pointer)
    }

    public func intersection(_ other: RoaringBitmap) -> RoaringBitmap {
        RoaringBitmap(owning: roaring_bitmap_and(pointer, other.pointer))
    }

    public func union(_ other: RoaringBitmap) -> RoaringBitmap {
        RoaringBitmap(owning: roaring_bitmap_or(pointer, other.pointer))
    }

    public func subtracting(_ other: RoaringBitmap) -> RoaringBitmap {
        if other.storage === storage { return RoaringBitmap() }
        return RoaringBitmap(owning: roaring_bitmap_andnot(pointer, other.pointer))
    }

    /// The union of many bitmaps in one pass (`roaring_bitmap_or_many`).
    public static func union(of bitmaps: [RoaringBitmap]) -> RoaringBitmap {
        switch bitmaps.count {
        case 0: return RoaringBitmap()
        case 1: return bitmaps[0]
        default:
            var pointers: [UnsafePointer<roaring_bitmap_t>?] = bitmaps.map { $0.pointer }
            let result = pointers.withUnsafeMutableBufferPointer { buffer in
                roaring_bitmap_or_many(buffer.count, buffer.baseAddress)
            }
            return withExtendedLifetime(bitmaps) { RoaringBitmap(owning: result!) }
        }
    }

    /// `|self ∩ other|`, computed without building the intersection.
    public func intersectionCount(_ other: RoaringBitmap) -> Int {
        Int(roaring_bitmap_and_cardinality(pointer, other.pointer))
    }

    public func unionCount(_ other: RoaringBitmap) -> Int {
        Int(roaring_bitmap_or_cardinality(pointer, other.pointer))
    }

    /// `|self − other|`, computed without building the difference.
    public func subtractingCount(_ other: RoaringBitmap) -> Int {
        Int(roaring_bitmap_andnot_cardinality(pointer, other.pointer))
    }

    public func intersects(_ other: RoaringBitmap) -> Bool {
        roaring_bitmap_intersect(pointer, other.pointer)
    }

    public func isSubset(of other: RoaringBitmap) -> Bool {
        roaring_bitmap_is_subset(pointer, other.pointer)
    }

    // MARK: Size

    /// Converts runs of consecutive values to run containers where that is smaller.
    @discardableResult
    public mutating func runOptimize() -> Bool {
        let target = mutablePointer
        let changed = roaring_bitmap_run_optimize(target)
        roaring_bitmap_shrink_to_fit(target)
        return changed
    }

    /// Approximate heap bytes held by this bitmap (its portable size is a close proxy).
    public var memoryFootprint: Int { roaring_bitmap_portable_size_in_bytes(pointer) + 64 }

    // MARK: Extracting values

    /// Every value, ascending.
    public var values: [UInt32] {
        let n = count
        guard n > 0 else { return [] }
        return [UInt32](unsafeUninitializedCapacity: n) { buffer, initialized in
            roaring_bitmap_to_uint32_array(pointer, buffer.baseAddress!)
            initialized = n
        }
    }

    /// Up to `limit` values that are ≥ `start`, ascending.
    public func values(from start: UInt32, limit: Int) -> [UInt32] {
        guard limit > 0 else { return [] }
        var iterator = roaring_uint32_iterator_t()
        roaring_init_iterator(pointer, &iterator)
        guard roaring_move_uint32_iterator_equalorlarger(&iterator, start) else { return [] }
        return [UInt32](unsafeUninitializedCapacity: limit) { buffer, initialized in
            initialized = Int(roaring_read_uint32_iterator(&iterator, buffer.baseAddress!, UInt32(limit)))
        }
    }

    /// Appends up to `limit` values ≥ `start` to `values`, ascending (a page collecting from
    /// many blocks fills one array instead of allocating one per block).
    public func appendValues(from start: UInt32, limit: Int, to values: inout [UInt32]) {
        guard limit > 0 else { return }
        var iterator = roaring_uint32_iterator_t()
        roaring_init_iterator(pointer, &iterator)
        guard roaring_move_uint32_iterator_equalorlarger(&iterator, start) else { return }
        let end = values.count
        values.append(contentsOf: repeatElement(0, count: limit))
        let read = values.withUnsafeMutableBufferPointer { buffer in
            Int(roaring_read_uint32_iterator(&iterator, buffer.baseAddress! + end, UInt32(limit)))
        }
        values.removeLast(limit - read)
    }
}

extension RoaringBitmap: Equatable {
    public static func == (lhs: RoaringBitmap, rhs: RoaringBitmap) -> Bool {
        lhs.storage === rhs.storage || roaring_bitmap_equals(lhs.pointer, rhs.pointer)
    }
}

extension RoaringBitmap: Sequence {
    public struct Iterator: IteratorProtocol {
        let bitmap: RoaringBitmap
        var state = roaring_uint32_iterator_t()

        init(_ bitmap: RoaringBitmap) {
            self.bitmap = bitmap
            roaring_init_iterator(bitmap.pointer, &state)
        }

        public mutating func next() -> UInt32? {
            guard state.has_value else { return nil }
            let value = state.current_value
            roaring_advance_uint32_iterator(&state)
            return value
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }
    public var underestimatedCount: Int { count }
}

extension RoaringBitmap: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: UInt32...) { self.init(elements) }
}

extension RoaringBitmap: CustomStringConvertible {
    public var description: String {
        let n = count
        let shown = values(from: 0, limit: 16).map(String.init).joined(separator: ", ")
        return "RoaringBitmap(\(n) values: [\(shown)\(n > 16 ? ", …" : "")])"
    }
}
