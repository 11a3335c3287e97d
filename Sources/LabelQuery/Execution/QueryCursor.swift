/// Where the next page of a query starts: an opaque token, safe to hand to clients.
///
/// A cursor holds the last ordinal returned and a fingerprint of the query; results are in
/// ordinal (creation) order, so a cursor stays valid across writes: assets created later
/// appear at the end, deleted ones simply do not come back. Using a cursor with another
/// query is an error.
public struct QueryCursor: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    static let version: UInt8 = 1

    init(after ordinal: UInt32, fingerprint: UInt32) {
        var bytes: [UInt8] = [Self.version]
        withUnsafeBytes(of: ordinal.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: fingerprint.bigEndian) { bytes.append(contentsOf: $0) }
        rawValue = Base64URL.encode(bytes)
    }

    /// The last ordinal returned, after checking the cursor belongs to this query.
    func ordinal(checking fingerprint: UInt32) throws(QueryError) -> UInt32 {
        guard let bytes = Base64URL.decode(rawValue), bytes.count == 9, bytes[0] == Self.version else {
            throw .invalidCursor(rawValue)
        }
        let ordinal = bytes[1..<5].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let stored = bytes[5..<9].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard stored == fingerprint else { throw .cursorMismatch }
        return ordinal
    }
}

/// URL-safe base64 without padding, so cursors travel in query strings unescaped.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for byte in chunk { value = value << 8 | UInt32(byte) }
            value <<= UInt32(8 * (3 - chunk.count))
            for position in 0...chunk.count { output.append(alphabet[Int((value >> UInt32(18 - 6 * position)) & 63)]) }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt8(value))
        }
        guard values.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var value: UInt32 = 0
            for sextet in chunk { value = value << 6 | UInt32(sextet) }
            value <<= UInt32(6 * (4 - chunk.count))
            for position in 0..<(chunk.count - 1) {
                output.append(UInt8(truncatingIfNeeded: value >> UInt32(16 - 8 * position)))
            }
            index += 4
        }
        return output
    }
}
