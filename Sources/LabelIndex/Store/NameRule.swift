/// The one rule for every name the engine keeps (label names, namespace names, asset types,
/// string asset ids): non-empty, at most a limit of UTF-8 bytes, no control characters
/// (Unicode category Cc: U+0000–U+001F and U+007F–U+009F). The engine enforces it on every
/// write; import and the server check names with it up front, so a bad name is reported where
/// it was read and every entry point agrees on what a name is.
public enum NameRule {
    /// The default longest label name, in UTF-8 bytes (`LabelStore.Options.maxLabelNameBytes`,
    /// and the defaults of import and the server, which the store's own limit caps).
    public static let defaultLabelNameBytes = 255
    /// The longest namespace name, in UTF-8 bytes.
    public static let namespaceNameBytes = 128
    /// The longest asset type, in UTF-8 bytes.
    public static let assetTypeBytes = 64
    /// The longest string asset id, in UTF-8 bytes.
    public static let assetStringIDBytes = 255

    /// What is wrong with `name` under a limit of `limit` UTF-8 bytes, or `nil` when nothing is.
    /// A control character is reported before the length.
    public static func violation(of name: String, limit: Int) -> LabelIndexError.NameViolation? {
        var name = name
        return name.withUTF8 { violation(ofUTF8: UnsafeRawBufferPointer($0), limit: limit) }
    }

    /// The same rule over a name's UTF-8 bytes (already known to be valid UTF-8), for readers
    /// that check names before they make strings of them.
    package static func violation(ofUTF8 name: UnsafeRawBufferPointer, limit: Int) -> LabelIndexError.NameViolation? {
        if mayContainControlCharacter(name), let offset = firstControlCharacter(in: name) {
            return .controlCharacter(offset: offset)
        }
        if name.isEmpty { return .empty }
        if name.count > limit { return .tooLong(bytes: name.count, limit: limit) }
        return nil
    }

    /// A quick test, eight bytes at a time, for bytes that could belong to a control character:
    /// anything below 0x20, 0x7F, and 0xC2 (the lead byte of U+0080–U+00BF). Most names have
    /// none, so most checks end here.
    @inline(__always) private static func mayContainControlCharacter(_ name: UnsafeRawBufferPointer) -> Bool {
        guard let base = name.baseAddress else { return false }
        let n = name.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i + 8 <= n {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let del = word ^ (ones &* 0x7F)
            let lead = word ^ (ones &* 0xC2)
            let flags = ((word &- ones &* 0x20) & ~word) | ((del &- ones) & ~del) | ((lead &- ones) & ~lead)
            if flags & (ones &* 0x80) != 0 { return true }
            i += 8
        }
        while i < n {
            let b = name[i]
            if b < 0x20 || b == 0x7F || b == 0xC2 { return true }
            i += 1
        }
        return false
    }

    /// The byte offset of the first control character (U+0080–U+009F is 0xC2 0x80–0x9F).
    private static func firstControlCharacter(in name: UnsafeRawBufferPointer) -> Int? {
        for i in name.indices {
            let b = name[i]
            if b < 0x20 || b == 0x7F { return i }
            if b == 0xC2 && i + 1 < name.count && name[i + 1] < 0xA0 { return i }
        }
        return nil
    }
}
