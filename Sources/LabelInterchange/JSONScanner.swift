/// A validating pull parser over UTF-8 bytes (RFC 8259).
///
/// The caller walks the document value by value: `peek()` tells the kind of the next value,
/// `beginObject()`/`nextKey()` and `beginArray()`/`hasNextElement()` walk containers, `readString()`,
/// `readInt64()`, `readDouble()`, `readBool()`, `readNull()` read scalars, `skipValue()` validates and
/// steps over a value of any kind, and `finish()` checks that only whitespace is left. Every byte
/// the scanner steps over is checked, so a document walked completely is valid JSON; the caller is
/// trusted only to follow the grammar with its calls (a key, then exactly one value).
///
/// Strings are returned as `JSONString` ranges into the buffer, so reading them allocates nothing;
/// `string(_:)` or `appendDecoded(_:to:)` decode escapes when the caller needs the text.
///
/// The scanner borrows the buffer: it must stay valid while the scanner is used.
public struct JSONScanner {
    /// The nesting limit used unless the initialiser is given another one.
    public static let defaultMaximumDepth = 64

    @usableFromInline let base: UnsafeRawPointer
    /// The number of bytes scanned.
    public let count: Int
    /// The offset of the next byte to scan.
    public internal(set) var offset: Int = 0
    /// How many arrays and objects are open at `offset`.
    public internal(set) var depth: Int = 0
    /// How many arrays and objects may be open at once; one more is `nestingTooDeep`.
    public let maximumDepth: Int
    /// Whether the innermost container has just been opened (so no comma is due before its first item).
    var atContainerStart = false

    /// Scans `bytes`, which must outlive the scanner.
    public init(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int = JSONScanner.defaultMaximumDepth) {
        // An empty buffer may have no address; any non-null pointer will do since it is never read.
        base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 0x1)!
        count = bytes.count
        self.maximumDepth = maximumDepth
    }

    @inline(__always) func byte(at index: Int) -> UInt8 {
        base.load(fromByteOffset: index, as: UInt8.self)
    }

    @inline(__always) func failure(_ reason: JSONErrorReason, at position: Int? = nil) -> JSONError {
        JSONError(offset: position ?? offset, reason: reason)
    }

    /// Steps over JSON whitespace (space, tab, line feed, carriage return).
    @inline(__always) mutating func skipWhitespace() {
        while offset < count {
            let b = byte(at: offset)
            if b > 0x20 || (b != 0x20 && b != 0x0A && b != 0x0D && b != 0x09) { return }
            offset += 1
        }
    }

    /// The error for a byte (or the end) where `expected` was due.
    func unexpected(_ expected: String) -> JSONError {
        offset < count
            ? failure(.unexpectedByte(byte(at: offset), expected: expected))
            : failure(.unexpectedEnd(expected: expected))
    }

    /// The kind of value starting with `b`, if any.
    @inline(__always) static func kind(startingWith b: UInt8) -> JSONValueKind? {
        switch b {
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .array
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .bool
        case UInt8(ascii: "n"): .null
        default: nil
        }
    }

    /// Skips whitespace and returns the kind of the next value without consuming it.
    @inline(__always) public mutating func peek() throws(JSONError) -> JSONValueKind {
        skipWhitespace()
        guard offset < count, let kind = Self.kind(startingWith: byte(at: offset)) else {
            throw unexpected("a value")
        }
        return kind
    }

    /// Skips whitespace and checks that the next value starts with `opener`, which is a value of `kind`.
    @inline(__always) mutating func expectValue(_ opener: UInt8, _ kind: JSONValueKind) throws(JSONError) {
        skipWhitespace()
        guard offset < count, byte(at: offset) == opener else {
            if offset < count, let found = Self.kind(startingWith: byte(at: offset)) {
                throw failure(.typeMismatch(expected: kind, found: found))
            }
            throw unexpected(kind.description)
        }
    }

    // MARK: Containers

    /// Consumes the `{` of an object; follow with `nextKey()` until it returns `nil`.
    @inline(__always) public mutating func beginObject() throws(JSONError) {
        try expectValue(UInt8(ascii: "{"), .object)
        try openContainer()
    }

    /// Consumes the `[` of an array; follow with `hasNextElement()` until it returns `false`.
    @inline(__always) public mutating func beginArray() throws(JSONError) {
        try expectValue(UInt8(ascii: "["), .array)
        try openContainer()
    }

    @inline(__always) mutating func openContainer() throws(JSONError) {
        guard depth < maximumDepth else { throw failure(.nestingTooDeep(limit: maximumDepth)) }
        depth += 1
        offset += 1
        atContainerStart = true
    }

    /// Moves to the next member of the current object and returns its key, positioned before the
    /// value; returns `nil` after consuming the closing `}`.
    @inline(__always) public mutating func nextKey() throws(JSONError) -> JSONString? {
        guard try nextItem(closer: UInt8(ascii: "}"), expected: "',' or '}'") else { return nil }
        guard offset < count, byte(at: offset) == UInt8(ascii: "\"") else {
            throw unexpected("a string key")
        }
        let key = try scanString()
        skipWhitespace()
        guard offset < count, byte(at: offset) == UInt8(ascii: ":") else { throw unexpected("':'") }
        offset += 1
        return key
    }

    /// Moves to the next element of the current array; returns `false` after consuming the closing `]`.
    @inline(__always) public mutating func hasNextElement() throws(JSONError) -> Bool {
        guard try nextItem(closer: UInt8(ascii: "]"), expected: "',' or ']'") else { return false }
        guard offset < count, Self.kind(startingWith: byte(at: offset)) != nil else {
            throw unexpected("a value")
        }
        return true
    }

    /// Consumes the separator before an item, or the closer; returns whether an item follows.
    @inline(__always) mutating func nextItem(closer: UInt8, expected: String) throws(JSONError) -> Bool {
        skipWhitespace()
        guard offset < count else { throw failure(.unexpectedEnd(expected: expected)) }
        let b = byte(at: offset)
        if b == closer {
            offset += 1
            depth -= 1
            atContainerStart = false
            return false
        }
        if atContainerStart {
            atContainerStart = false
        } else {
            guard b == UInt8(ascii: ",") else { throw failure(.unexpectedByte(b, expected: expected)) }
            offset += 1
            skipWhitespace()
        }
        return true
    }

    // MARK: Literals

    /// Reads `true` or `false`.
    public mutating func readBool() throws(JSONError) -> Bool {
        skipWhitespace()
        if offset < count && byte(at: offset) == UInt8(ascii: "t") {
            try consumeLiteral("true")
            return true
        }
        try expectValue(UInt8(ascii: "f"), .bool)
        try consumeLiteral("false")
        return false
    }

    /// Reads `null`.
    public mutating func readNull() throws(JSONError) {
        try expectValue(UInt8(ascii: "n"), .null)
        try consumeLiteral("null")
    }

    mutating func consumeLiteral(_ literal: StaticString) throws(JSONError) {
        let length = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        for i in 0..<length where offset + i >= count || byte(at: offset + i) != start[i] {
            throw failure(.invalidLiteral)
        }
        offset += length
    }

    // MARK: Whole values

    /// Validates the next value of any kind, steps over it and returns the range of its bytes.
    @discardableResult
    public mutating func skipValue() throws(JSONError) -> Range<Int> {
        let kind = try peek()
        let start = offset
        switch kind {
        case .object:
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case .array:
            try beginArray()
            while try hasNextElement() { try skipValue() }
        case .string: _ = try scanString()
        case .number: _ = try scanNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        }
        return start..<offset
    }

    /// Checks that nothing but whitespace follows.
    public mutating func finish() throws(JSONError) {
        skipWhitespace()
        guard offset == count else { throw failure(.trailingCharacters) }
    }

    /// Checks that `bytes` hold exactly one valid JSON value, surrounded by optional whitespace.
    public static func validate(
        _ bytes: UnsafeRawBufferPointer, maximumDepth: Int = defaultMaximumDepth
    ) throws(JSONError) {
        var scanner = JSONScanner(bytes, maximumDepth: maximumDepth)
        try scanner.skipValue()
        try scanner.finish()
    }
}
