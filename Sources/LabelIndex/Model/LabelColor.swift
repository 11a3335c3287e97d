/// A label color, `#RRGGBB`.
public struct LabelColor: Hashable, Sendable, CustomStringConvertible {
    /// The color as 0xRRGGBB.
    public let rgb: UInt32

    public init(rgb: UInt32) {
        precondition(rgb <= 0xFF_FFFF, "a color has 24 bits")
        self.rgb = rgb
    }

    /// Parses `#RRGGBB` (hex digits in either case); `nil` for anything else.
    public init?(hex: String) {
        let bytes = Array(hex.utf8)
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#") else { return nil }
        var value: UInt32 = 0
        for byte in bytes[1...] {
            guard let digit = hexDigitValue(byte) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        self.rgb = value
    }

    /// Upper-case `#RRGGBB`.
    public var hex: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "#")]
        for shift in stride(from: 20, through: 0, by: -4) {
            bytes.append(digits[Int((rgb >> UInt32(shift)) & 0xF)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { hex }

    /// The palette default colors are drawn from (distinct, readable on light and dark).
    public static let palette: [LabelColor] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B,
        0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF, 0x3949AB, 0x00897B,
    ].map(LabelColor.init(rgb:))

    /// The default color for a label without one: stable for a given name (FNV-1a), so the
    /// same label gets the same color in every database.
    public static func `default`(forName name: String) -> LabelColor {
        var hash: UInt32 = 2_166_136_261
        for byte in name.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return palette[Int(hash % UInt32(palette.count))]
    }
}

private func hexDigitValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
