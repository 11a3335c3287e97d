/// How a label is named where only a string can name it (the query language, label names on
/// assets, ProjectDiscovery and ActionHub, import files): by its **path**.
///
/// Label names are unique only among siblings, so `Q1` may sit under both `2024` and `2025`. A
/// top-level label's path is its name, exactly as written, so flat names (the only kind the
/// ProjectDiscovery and ActionHub families make) behave as they always did, `/` and all. Below
/// the root, a path is the parent's path, `/`, and the label's name with `\` written `\\` and
/// `/` written `\/`: `2025/Q1`, `2025/Q1/week\/1`.
///
/// Paths are unique in a namespace: a change that would give two labels the same path (a
/// top-level `a/b` beside `b` under `a`) is refused with `LabelIndexError.labelAlreadyExists`.
public enum LabelPath {
    /// The longest path, in UTF-8 bytes: paths are LMDB keys behind a 4-byte namespace prefix.
    public static let limit = LabelStore.labelNameLimitCeiling

    /// The path of a label named `name` under the label whose path is `parentPath` (at the root
    /// when `nil`).
    public static func path(of name: String, under parentPath: String?) -> String {
        guard let parentPath else { return name }
        return parentPath + "/" + escaped(name)
    }

    /// `name` as a path segment below the root.
    public static func escaped(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }) else { return name }
        var result = ""
        result.reserveCapacity(name.utf8.count + 2)
        for character in name.unicodeScalars {
            if character == "/" || character == "\\" { result.unicodeScalars.append("\\") }
            result.unicodeScalars.append(character)
        }
        return result
    }
}
