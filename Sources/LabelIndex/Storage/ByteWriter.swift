/// Appends the fixed-width and variable-width encodings the stored records use.
/// Integers in keys are big-endian so that byte order is numeric order; integers in values are
/// little-endian or LEB128 varints (smaller, and values are never compared).
struct ByteWriter {
    var bytes: [UInt8]

    init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func appendBigEndian(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func appendBigEndian(_ value: UInt16) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func appendLittleEndian(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func appendLittleEndian(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: Double) { appendLittleEndian(value.bitPattern) }

    mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// ZigZag, so small negative numbers stay short.
    mutating func appendSignedVarint(_ value: Int64) {
        appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func appendLengthPrefixed(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            appendVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func appendLengthPrefixed(_ raw: [UInt8]) {
        appendVarint(UInt64(raw.count))
        bytes.append(contentsOf: raw)
    }
}

/// Reads what `ByteWriter` wrote, from borrowed bytes. Every read is bounds-checked and
/// throws `LabelIndexError.corrupted` instead of trapping, since the bytes come from disk.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var isAtEnd: Bool { offset >= buffer.count }
    var remaining: Int { buffer.count - offset }

    // The error is built out of line, so the checks stay small enough to inline into the
    // decoders of every page.
    @inline(__always)
    private func need(_ count: Int, _ what: StaticString) throws(LabelIndexError) {
        if _slowPath(count > remaining) { throw Self.truncated(what) }
    }

    @inline(never)
    private static func truncated(_ what: StaticString) -> LabelIndexError {
        .corrupted("truncated record while reading \(what)")
    }

    @inline(__always)
    mutating func readByte() throws(LabelIndexError) -> UInt8 {
        try need(1, "a byte")
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func readLittleEndianUInt32() throws(LabelIndexError) -> UInt32 {
        try need(4, "a 32-bit integer")
        defer { offset += 4 }
        return UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func readLittleEndianUInt64() throws(LabelIndexError) -> UInt64 {
        try need(8, "a 64-bit integer")
        defer { offset += 8 }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func readDouble() throws(LabelIndexError) -> Double {
        Double(bitPattern: try readLittleEndianUInt64())
    }

    @inline(__always)
    mutating func readVarint() throws(LabelIndexError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63 && byte > 1 { throw .corrupted("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readSignedVarint() throws(LabelIndexError) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func readBytes(_ count: Int) throws(LabelIndexError) -> UnsafeRawBufferPointer {
        try need(count, "bytes")
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
    }

    mutating func readLengthPrefixedBytes() throws(LabelIndexError) -> UnsafeRawBufferPointer {
        let count = try readVarint()
        guard count <= UInt64(remaining) else { throw .corrupted("length prefix past the end of the record") }
        return try readBytes(Int(count))
    }

    mutating func readLengthPrefixedString() throws(LabelIndexError) -> String {
        // Written from Swift strings, so valid UTF-8; damaged bytes decode to U+FFFD rather
        // than trap (and `verify()` compares names against the name index).
        String(decoding: try readLengthPrefixedBytes(), as: UTF8.self)
    }

    mutating func skipLengthPrefixed() throws(LabelIndexError) {
        _ = try readLengthPrefixedBytes()
    }
}
