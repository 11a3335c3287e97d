/// UTF-8 validation per RFC 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF.
package enum UTF8Validation {
    /// The length of the valid multi-byte sequence whose lead byte is at `p`, or `nil` if the bytes
    /// there (before `end`) are not one. ASCII bytes are not sequences in this sense.
    @inline(__always) package static func sequenceLength(_ base: UnsafeRawPointer, at p: Int, end: Int) -> Int? {
        func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch byte(p) {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, low) = (3, 0xA0)
        case 0xED: (length, high) = (3, 0x9F)
        case 0xE1...0xEF: length = 3
        case 0xF0: (length, low) = (4, 0x90)
        case 0xF4: (length, high) = (4, 0x8F)
        case 0xF1...0xF3: length = 4
        default: return nil
        }
        guard p + length <= end else { return nil }
        let second = byte(p + 1)
        guard second >= low && second <= high else { return nil }
        for i in 2..<max(length, 2) where byte(p + i) & 0xC0 != 0x80 { return nil }
        return length
    }

    /// The offset of the first byte that does not belong to valid UTF-8, or `nil` if all do.
    package static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var p = 0
        while p < bytes.count {
            if bytes[p] < 0x80 {
                p += 1
            } else if let length = sequenceLength(base, at: p, end: bytes.count) {
                p += length
            } else {
                return p
            }
        }
        return nil
    }

    /// The same for any collection of bytes (copied once when it is not contiguous).
    package static func firstInvalidOffset(in bytes: some Collection<UInt8>) -> Int? {
        if let offset = bytes.withContiguousStorageIfAvailable({ firstInvalidOffset(in: UnsafeRawBufferPointer($0)) }) {
            return offset
        }
        return Array(bytes).withUnsafeBytes { firstInvalidOffset(in: $0) }
    }

    /// Whether `bytes` are valid UTF-8.
    package static func isValid(_ bytes: some Collection<UInt8>) -> Bool { firstInvalidOffset(in: bytes) == nil }
}
