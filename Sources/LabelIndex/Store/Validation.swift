/// The name rules, in one place so every entry point applies the same ones.
enum Validation {
    /// Non-empty, at most `limit` UTF-8 bytes, no control characters (Unicode category Cc:
    /// U+0000–U+001F and U+007F–U+009F).
    static func checkName(_ name: String, limit: Int) -> LabelIndexError.NameViolation? {
        var offset = 0
        for scalar in name.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { return .controlCharacter(offset: offset) }
            offset += UTF8.width(scalar)
        }
        if offset == 0 { return .empty }
        if offset > limit { return .tooLong(bytes: offset, limit: limit) }
        return nil
    }

    static let namespaceNameLimit = 128
    static let assetTypeLimit = 64
    static let assetStringIDLimit = 255

    static func checkWeight(_ weight: Double?) throws(LabelIndexError) {
        if let weight, !weight.isFinite { throw .invalidWeight(weight) }
    }
}
