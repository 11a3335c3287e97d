/// The value rules beside `NameRule`, in one place so every entry point applies the same ones.
enum Validation {
    static func checkWeight(_ weight: Double?) throws(LabelIndexError) {
        if let weight, !weight.isFinite { throw .invalidWeight(weight) }
    }
}
