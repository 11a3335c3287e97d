/// Appends JSON text to byte buffers: strings with minimal escaping, integers, and doubles that
/// read back bit for bit.
package enum JSONOutput {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Appends `text` in double quotes. Only `"`, `\` and control characters below U+0020 are
    /// escaped; everything else, non-ASCII included, is copied as UTF-8.
    package static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0), to: &output) }
    }

    /// Appends the UTF-8 `bytes` as a quoted JSON string (see `appendQuoted(_:to:)`).
    package static func appendQuoted(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var copied = 0
        for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<i]))
            copied = i + 1
            output.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(b)
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x09: output.append(UInt8(ascii: "t"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            default:
                output.append(contentsOf: [
                    UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)],
                ])
            }
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied...]))
        output.append(UInt8(ascii: "\""))
    }

    /// Appends the decimal digits of `value`.
    package static func append(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        // Work with the magnitude as UInt64: Int64.min has no positive Int64 counterpart.
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        let count = withUnsafeMutableBytes(of: &digits) { buffer in
            var n = 0
            repeat {
                buffer[n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                n += 1
            } while magnitude > 0
            return n
        }
        withUnsafeBytes(of: &digits) { buffer in
            for i in (0..<count).reversed() { output.append(buffer[i]) }
        }
    }

    /// Appends the shortest decimal form that parses back to exactly `value` (Swift's
    /// `description`, which is valid JSON for every finite double, `-0.0` included).
    package static func append(_ value: Double, to output: inout [UInt8]) {
        precondition(value.isFinite, "JSON cannot represent \(value)")
        output.append(contentsOf: value.description.utf8)
    }
}
