import CRoaring

/// Reads a bitmap whose values all lie in one 65,536-value block as the block's 1,024 words of
/// 64 bits, front to back, without materialising anything: a bitset container is read in
/// place, an array or run container is walked with a cursor. The query executor combines the
/// words of several such cursors with AND/OR/NOT to produce the first values of a result
/// block, so a page of 100 results costs a few words instead of a whole 64K-bit operation.
///
/// Word indices passed to `word(at:)` and `nextNonZeroWord(from:)` must never decrease.
///
/// This reads CRoaring's container structures (stable across the 0.2 releases that Debian
/// ships); `init` returns `nil` for anything it does not recognise, and callers fall back to
/// ordinary bitmap operations.
public struct BlockWordCursor {
    public static let wordsPerBlock = 1024

    private enum Container {
        case empty
        case bitset(UnsafePointer<UInt64>)
        case array(UnsafePointer<UInt16>, count: Int)
        case run(UnsafePointer<rle16_t>, count: Int)
    }

    /// Keeps the bitmap, and so the containers read through raw pointers, alive.
    private let owner: RoaringBitmap
    private let container: Container
    /// Array: the first value whose word is ≥ the last index asked. Run: the first run ending in
    /// a word ≥ that index.
    private var position = 0

    /// A cursor over `bitmap`, or `nil` when its values span several blocks or its container is
    /// of an unknown kind.
    public init?(_ bitmap: RoaringBitmap) {
        let containers = bitmap.pointer.pointee.high_low_container
        owner = bitmap
        guard containers.size > 0 else {
            container = .empty
            return
        }
        guard containers.size == 1, let raw = containers.containers?[0] else { return nil }
        var typecode = Int32(containers.typecodes[0])
        var pointer = UnsafeRawPointer(raw)
        if typecode == SHARED_CONTAINER_TYPE_CODE {
            let shared = pointer.assumingMemoryBound(to: shared_container_t.self).pointee
            guard let inner = shared.container else { return nil }
            typecode = Int32(shared.typecode)
            pointer = UnsafeRawPointer(inner)
        }
        switch typecode {
        case BITSET_CONTAINER_TYPE_CODE:
            guard let words = pointer.assumingMemoryBound(to: bitset_container_t.self).pointee.array else { return nil }
            container = .bitset(UnsafePointer(words))
        case ARRAY_CONTAINER_TYPE_CODE:
            let array = pointer.assumingMemoryBound(to: array_container_t.self).pointee
            guard let values = array.array else { return nil }
            container = .array(UnsafePointer(values), count: Int(array.cardinality))
        case RUN_CONTAINER_TYPE_CODE:
            let runs = pointer.assumingMemoryBound(to: run_container_t.self).pointee
            guard let pairs = runs.runs else { return nil }
            container = .run(UnsafePointer(pairs), count: Int(runs.n_runs))
        default:
            return nil
        }
    }

    /// The 64 values `index << 6 ..< (index + 1) << 6` of the block, as bits.
    public mutating func word(at index: Int) -> UInt64 {
        switch container {
        case .empty:
            return 0
        case .bitset(let words):
            return words[index]
        case .array(let values, let count):
            seek(values, count: count, to: index)
            var word: UInt64 = 0
            var next = position
            while next < count && Int(values[next] >> 6) == index {
                word |= 1 << UInt64(values[next] & 63)
                next += 1
            }
            return word
        case .run(let runs, let count):
            seek(runs, count: count, to: index)
            let low = index << 6
            let high = low + 63
            var word: UInt64 = 0
            var next = position
            while next < count {
                let start = Int(runs[next].value)
                let end = start + Int(runs[next].length)
                if start > high { break }
                let from = max(start, low) - low
                let to = min(end, high) - low
                word |= (to == 63 ? UInt64.max : (1 << UInt64(to + 1)) - 1) & ~((1 << UInt64(from)) - 1)
                if end > high { break }
                next += 1
            }
            return word
        }
    }

    /// The first word index ≥ `index` holding a value, or `nil` when there is none.
    public mutating func nextNonZeroWord(from index: Int) -> Int? {
        guard index < Self.wordsPerBlock else { return nil }
        switch container {
        case .empty:
            return nil
        case .bitset(let words):
            var candidate = index
            while candidate < Self.wordsPerBlock {
                if words[candidate] != 0 { return candidate }
                candidate += 1
            }
            return nil
        case .array(let values, let count):
            seek(values, count: count, to: index)
            return position < count ? Int(values[position] >> 6) : nil
        case .run(let runs, let count):
            seek(runs, count: count, to: index)
            return position < count ? max(index, Int(runs[position].value) >> 6) : nil
        }
    }

    private mutating func seek(_ values: UnsafePointer<UInt16>, count: Int, to index: Int) {
        while position < count && Int(values[position] >> 6) < index { position += 1 }
    }

    private mutating func seek(_ runs: UnsafePointer<rle16_t>, count: Int, to index: Int) {
        while position < count && (Int(runs[position].value) + Int(runs[position].length)) >> 6 < index {
            position += 1
        }
    }
}
