import LabelFormats
import LabelIndex

/// A line of an NDJSON file, or a record of a CSV file, that could not be decoded.
///
/// Readers report these through their callback and carry on with the next line; the caller
/// decides whether to count and skip them or to stop.
public struct LineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file name given to the reader.
    public var file: String
    /// The 1-based line number; for CSV, the physical line where the record starts.
    public var line: Int
    /// The 1-based byte column of the offending byte in the line; for CSV, counted from the start
    /// of the record.
    public var column: Int
    /// What is wrong there.
    public var reason: LineErrorReason

    /// An error at `line` and `column` of `file`.
    public init(file: String, line: Int, column: Int, reason: LineErrorReason) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `file:line:column: reason`, the form compilers use, so editors can jump to it.
    public var description: String { "\(file):\(line):\(column): \(reason)" }
}

/// The two kinds of records an import file holds.
public enum RecordKind: Sendable, Equatable {
    /// Asset lines or rows, which carry an `id`.
    case asset
    /// Label definition lines or rows, which carry a `label` and no `id`.
    case label
}

/// Why a line or record was rejected.
public enum LineErrorReason: Equatable, Sendable, CustomStringConvertible {
    /// The line is not valid JSON.
    case malformedJSON(JSONErrorReason)
    /// The line is a JSON value other than an object.
    case notAnObject(found: JSONValueKind)
    /// A key (or CSV column) the format does not define, reported unless unknown keys are ignored.
    case unknownKey(String)
    /// The same key twice in one object.
    case duplicateKey(String)
    /// A required key is absent.
    case missingKey(String)
    /// The line has neither `id` (asset) nor `label` or `name` (label definition).
    case neitherAssetNorLabel
    /// Two keys that say the same thing, such as `name` and `label` on a label definition line.
    case conflictingKeys(String, String)
    /// A key of the other kind of line, such as `color` next to `id`.
    case misplacedKey(String, lineKind: RecordKind)
    /// A string `id` without the `type` that qualifies it.
    case typedIDWithoutType
    /// A `type` next to a numeric `id` (the asset's type attribute is `asset_type`).
    case typeWithIntegerID
    /// A value of the wrong kind or form for its key (or CSV column).
    case invalidValue(key: String, expected: String)
    /// A label name that is empty, too long or contains control characters.
    case invalidLabelName(name: String, problem: LabelIndexError.NameViolation)
    /// The same label twice on one asset.
    case duplicateLabel(String)
    /// A line (or CSV record) longer than the reader's limit; it is skipped whole.
    case lineTooLong(limit: Int)
    /// CSV syntax: stray or unterminated quotes.
    case malformedCSV(String)
    /// A CSV record with more or fewer fields than the header.
    case wrongFieldCount(expected: Int, found: Int)
    /// A CSV header that names no known file kind, or repeats or misses columns.
    case invalidHeader(String)

    /// A one-line explanation for people.
    public var description: String {
        switch self {
        case .malformedJSON(let reason): "malformed JSON: \(reason)"
        case .notAnObject(let found): "expected a JSON object per line, found \(found)"
        case .unknownKey(let key): "unknown key \(quoted(key))"
        case .duplicateKey(let key): "duplicate key \(quoted(key))"
        case .missingKey(let key): "missing required key \(quoted(key))"
        case .neitherAssetNorLabel:
            "a line needs \"id\" (an asset) or \"name\" (a label definition; \"label\" is an alias)"
        case .conflictingKeys(let key, let other): "\(quoted(key)) and \(quoted(other)) mean the same here: give one"
        case .misplacedKey(let key, .asset):
            "\(quoted(key)) belongs to label definition lines, not to an asset line (one with \"id\")"
        case .misplacedKey(let key, .label):
            "\(quoted(key)) belongs to asset lines, not to a label definition line (one with \"name\" or \"label\" and no \"id\")"
        case .typedIDWithoutType: "a string \"id\" needs a \"type\" (use a number for an untyped id)"
        case .typeWithIntegerID:
            "\"type\" qualifies string ids only; for the asset's type attribute use \"asset_type\""
        case .invalidValue(let key, let expected): "\(quoted(key)) must be \(expected)"
        case .invalidLabelName(_, .empty): "empty label name"
        case .invalidLabelName(let name, .controlCharacter):
            "label name \(quoted(name)) contains a control character"
        case .invalidLabelName(let name, .tooLong(_, let limit)):
            "label name \(quoted(name)) is longer than \(limit) bytes"
        case .duplicateLabel(let name): "label \(quoted(name)) appears twice"
        case .lineTooLong(let limit): "line longer than \(limit) bytes"
        case .malformedCSV(let detail): "malformed CSV: \(detail)"
        case .wrongFieldCount(let expected, let found): "expected \(expected) fields as in the header, found \(found)"
        case .invalidHeader(let detail): "invalid header: \(detail)"
        }
    }
}

/// A string in double quotes with JSON escapes, shortened to 60 characters, for messages.
func quoted(_ text: String) -> String {
    var bytes: [UInt8] = []
    let shortened = text.count > 60 ? text.prefix(60) + "…" : Substring(text)
    JSONOutput.appendQuoted(String(shortened), to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}
