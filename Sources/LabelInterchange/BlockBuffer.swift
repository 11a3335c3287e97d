/// A window over a `ByteSource` for readers that consume whole lines or records.
///
/// Bytes are read a block at a time into one allocation; whatever the reader has not consumed
/// (a line cut by the end of the block) moves to the front before the next read. The window
/// grows only when an unconsumed line fills more than half of it, up to `capacityLimit`.
final class BlockBuffer {
    enum RefillResult {
        /// New bytes follow the retained ones.
        case read
        /// The source is exhausted; the retained bytes are all there is.
        case endOfInput
        /// The retained bytes fill the largest allowed window; the reader must drop them.
        case full
    }

    let source: ByteSource
    private(set) var storage: UnsafeMutableRawBufferPointer
    /// `storage[0..<end]` holds valid bytes.
    private(set) var end = 0
    /// The source offset of `storage[0]`.
    private(set) var storageOffset = 0
    /// All bytes read from the source so far.
    var bytesRead: Int { storageOffset + end }
    private(set) var isExhausted = false
    let capacityLimit: Int

    init(source: ByteSource, blockSize: Int, capacityLimit: Int) {
        self.source = source
        self.capacityLimit = max(blockSize, capacityLimit)
        storage = .allocate(byteCount: blockSize, alignment: 16)
    }

    deinit { storage.deallocate() }

    var base: UnsafeRawPointer { UnsafeRawPointer(storage.baseAddress!) }

    /// Drops `storage[..<keep]`, moves the rest to the front and reads more after it.
    func refill(keepingFrom keep: Int) throws -> RefillResult {
        let retained = end - keep
        if keep > 0 {
            storage.baseAddress!.copyMemory(from: storage.baseAddress! + keep, byteCount: retained)
            storageOffset += keep
            end = retained
        }
        guard !isExhausted else { return .endOfInput }
        if retained * 2 > storage.count && storage.count < capacityLimit {
            let grown = UnsafeMutableRawBufferPointer.allocate(
                byteCount: min(storage.count * 2, capacityLimit), alignment: 16)
            grown.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: retained)
            storage.deallocate()
            storage = grown
        }
        guard end < storage.count else { return .full }
        // Fill the window: large blocks keep the per-block overhead negligible.
        let before = end
        while end < storage.count {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
            if n == 0 {
                isExhausted = true
                break
            }
            end += n
        }
        return end > before ? .read : .endOfInput
    }

    /// Forgets every byte in the window (used to skip an overlong line).
    func discardAll() {
        storageOffset += end
        end = 0
    }
}

/// The offset of the first line feed in `from..<end`, eight bytes per step.
@inline(__always) func firstLineFeed(_ base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
    let ones: UInt64 = 0x0101_0101_0101_0101
    var p = from
    while p &+ 8 <= end {
        let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt64.self)) ^ (ones &* 0x0A)
        // Flags zero bytes; the lowest flag is exact (borrows only travel upwards).
        let zeros = (word &- ones) & ~word & (ones &* 0x80)
        if zeros != 0 { return p &+ (zeros.trailingZeroBitCount >> 3) }
        p &+= 8
    }
    while p < end {
        if base.load(fromByteOffset: p, as: UInt8.self) == 0x0A { return p }
        p &+= 1
    }
    return nil
}
