/// Did-you-mean suggestions for misspelled fields.
enum FieldSuggestion {
    static let knownFields = ["label", "under", "has", "no", "asset"]

    /// The known field closest to `field` by edit distance, ignoring letter case, when it is close
    /// enough to be a plausible typo: one edit for short words, two for longer ones.
    static func closestField(to field: String) -> String? {
        let lowered = field.lowercased()
        let allowed = lowered.count <= 3 ? 1 : 2
        var best: (field: String, distance: Int)?
        for known in knownFields {
            let distance = distance(lowered, known)
            if distance <= allowed && distance < (best?.distance ?? .max) { best = (known, distance) }
        }
        return best?.field
    }

    /// A hint for an unknown field that explains a more likely mistake than a typo.
    static func hint(forUnknown field: String) -> String? {
        if field.hasPrefix("!") { return "write `NOT` or `-` before the term to negate it, as in `-label:a`" }
        let lowered = field.lowercased()
        for keyword in ["not", "and", "or"] where lowered.hasPrefix(keyword) {
            var rest = lowered.dropFirst(keyword.count)
            if rest.first == "-" { rest = rest.dropFirst() }
            if knownFields.contains(String(rest)) {
                let written = field.prefix(keyword.count)
                return "put a space after \(String(written).inBackticks); keywords are whole words"
            }
        }
        return nil
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and transpositions
    /// of adjacent characters each cost one, so `lable` is one edit from `label`.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
