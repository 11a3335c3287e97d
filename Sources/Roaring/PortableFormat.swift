import CRoaring

extension RoaringBitmap {
    /// Bytes of the portable serialisation (the cross-language Roaring format).
    public var portableSizeInBytes: Int { roaring_bitmap_portable_size_in_bytes(pointer) }

    /// Writes the portable serialisation into `buffer`, which must hold `portableSizeInBytes`
    /// bytes; returns the bytes written.
    @discardableResult
    public func serializePortable(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        precondition(buffer.count >= portableSizeInBytes, "buffer too small for the portable serialisation")
        return roaring_bitmap_portable_serialize(pointer, buffer.baseAddress!.assumingMemoryBound(to: CChar.self))
    }

    /// The portable serialisation as a byte array.
    public var portableBytes: [UInt8] {
        let size = portableSizeInBytes
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            initialized = serializePortable(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Decodes a portable serialisation that fills `bytes` exactly. Returns `nil` for bytes
    /// that are truncated, oversized or otherwise not a well-formed portable bitmap; reads never
    /// go past the buffer.
    public init?(portableBytes bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count >= 8 else { return nil }
        let chars = base.assumingMemoryBound(to: CChar.self)
        // The size check first: `_safe` would accept a valid prefix followed by garbage.
        guard roaring_bitmap_portable_deserialize_size(chars, bytes.count) == bytes.count,
            let pointer = roaring_bitmap_portable_deserialize_safe(chars, bytes.count)
        else { return nil }
        self.init(owning: pointer)
    }

    public init?(portableBytes bytes: [UInt8]) {
        guard let bitmap = bytes.withUnsafeBytes({ RoaringBitmap(portableBytes: $0) }) else { return nil }
        self = bitmap
    }
}
