/// UTF-8 validation with the position of the first bad byte (Swift's decoders only say that
/// the input is invalid, or silently repair it).
enum UTF8Validation {
    static func firstInvalidOffset(in bytes: some Collection<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var scalarStart = 0
        // Track offsets by re-counting the scalar widths the decoder consumed.
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                scalarStart = offset
            case .emptyInput:
                return nil
            case .error:
                return scalarStart
            }
        }
    }

    /// Whether `bytes` are valid UTF-8.
    static func isValid(_ bytes: some Collection<UInt8>) -> Bool { firstInvalidOffset(in: bytes) == nil }
}
