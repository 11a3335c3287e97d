import LabelIndex

/// The engine's `NameRule`, checked up front so a bad name is reported at its exact place.
enum NameRules {
    static func check(_ name: String, limit: Int, at location: InputLocation) throws(InputError) {
        switch NameRule.violation(of: name, limit: limit) {
        case nil: return
        case .empty: throw InputError(location, .tooShort(minimum: 1, unit: "characters"))
        case .tooLong: throw InputError(location, .tooLong(limit: limit, unit: "bytes"))
        case .controlCharacter: throw InputError(location, .invalidValue("contains a control character"))
        }
    }

    /// Reads an array of label names, checking count, type and each name.
    static func labels(_ field: FieldReader, runtime: ServerRuntime) throws(InputError) -> [String] {
        let items = try field.array(maxItems: runtime.limits.maxLabelsPerRequest)
        var names: [String] = []
        names.reserveCapacity(items.count)
        for item in items {
            let name = try item.string()
            try check(name, limit: runtime.maxLabelBytes, at: item.location)
            names.append(name)
        }
        return names
    }
}
