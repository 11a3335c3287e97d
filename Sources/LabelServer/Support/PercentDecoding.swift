import LabelFormats

/// Decoding of `application/x-www-form-urlencoded` text (query strings and form bodies).
enum PercentDecoding {
    /// The bytes with `%XX` decoded (and `+` as a space when `plusAsSpace`); `nil` when a `%`
    /// is not followed by two hex digits.
    static func decode(_ bytes: some Collection<UInt8>, plusAsSpace: Bool) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                output.append(high << 4 | low)
            case UInt8(ascii: "+") where plusAsSpace:
                output.append(UInt8(ascii: " "))
            default:
                output.append(byte)
            }
        }
        return output
    }

    /// Decodes `text` once when it holds at least one valid `%XX` escape and decodes to valid
    /// UTF-8; returns it unchanged otherwise (used for PDCP's double-encoded `custom_filter`).
    static func decodeOnceIfEncoded(_ text: String) -> String {
        guard text.contains("%"), let decoded = decode(text.utf8, plusAsSpace: false), decoded != Array(text.utf8),
            UTF8Validation.isValid(decoded)
        else { return text }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Decoded `name=value` pairs of a query string or an urlencoded form, in order.
struct FormFields: Sendable {
    private(set) var pairs: [(name: String, value: String)]

    init(pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    /// Parses urlencoded text; a malformed escape or invalid UTF-8 is an `InputError` located at
    /// `source` (query parameter or body field) so the message names the parameter.
    init(urlEncoded bytes: some Collection<UInt8>, source: InputLocation.Source) throws(InputError) {
        var pairs: [(name: String, value: String)] = []
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let rawName = equals.map { piece[piece.startIndex..<$0] } ?? piece[...]
            let rawValue = equals.map { piece[piece.index(after: $0)...] } ?? piece[piece.endIndex...]
            guard let name = PercentDecoding.decode(rawName, plusAsSpace: true), UTF8Validation.isValid(name) else {
                throw InputError(
                    InputLocation(source), .malformedBody("a parameter name is not valid percent-encoded UTF-8"))
            }
            let nameText = String(decoding: name, as: UTF8.self)
            let location = InputLocation(source, [.key(nameText)])
            guard let value = PercentDecoding.decode(rawValue, plusAsSpace: true) else {
                throw InputError(location, .invalidValue("has a malformed percent escape"))
            }
            guard UTF8Validation.isValid(value) else { throw InputError(location, .invalidValue("is not valid UTF-8")) }
            pairs.append((nameText, String(decoding: value, as: UTF8.self)))
        }
        self.pairs = pairs
    }

    /// The first value of `name`.
    subscript(name: String) -> String? { pairs.first(where: { $0.name == name })?.value }

    /// Every value of `name`, in order.
    func values(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    var names: [String] { pairs.map(\.name) }

    mutating func append(_ name: String, _ value: String) { pairs.append((name, value)) }
}
