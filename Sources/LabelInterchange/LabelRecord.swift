/// A label definition: the attributes of a label name, independent of the assets carrying it.
public struct LabelRecord: Sendable, Equatable {
    /// The label's name (unique among its siblings).
    public var name: String
    /// A colour as `#RRGGBB` (hex digits in either case, kept as written).
    public var color: String?
    /// The parent label's path (see `LabelPath`: its name, for a top-level parent).
    public var parent: String?
    /// A default weight for the label.
    public var weight: Double?

    /// A label definition; only the name is required.
    public init(name: String, color: String? = nil, parent: String? = nil, weight: Double? = nil) {
        self.name = name
        self.color = color
        self.parent = parent
        self.weight = weight
    }

    /// Whether `bytes` spell a colour as `#RRGGBB`.
    static func isValidColor(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#") else { return false }
        return bytes.dropFirst().allSatisfy { b in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(b)
        }
    }
}
