import Foundation
import LabelFormats
import LabelIndex

/// One asset to create or update through `/v1/assets`.
struct AssetUpsertRecord: Sendable {
    var key: AssetKey
    var attributes: AssetAttributes
    /// Replaces the asset's labels when given; `nil` keeps them.
    var labels: [String]?
}

/// A record of a bulk upsert failed in the engine; `index` is its position in the request.
struct RecordFailure: Error {
    var index: Int
    /// Records committed (by earlier transactions of the same request) before this one failed.
    var applied: Int
    var underlying: any Error
}

/// Reading asset ids and asset records of the `/v1/assets` endpoints.
///
/// A record is `{"name", "type", "created_at", "updated_at", "enumeration_id", "metadata",
/// "labels"}` (all optional; bulk records also carry `id`). `enumeration_id` is stored in the
/// metadata object, where the ProjectDiscovery listings and filters read it; the other metadata
/// members (host, port, title, …) appear in those listings as they are.
enum AssetInput {
    static let recordKeys: Set<String> = [
        "name", "type", "created_at", "updated_at", "enumeration_id", "metadata", "labels",
    ]

    /// `123` (an int64 id) or `type:id` (a typed asset such as `form:251464995493876`).
    static func key(_ text: String, at location: InputLocation) throws(InputError) -> AssetKey {
        let digits = text.hasPrefix("-") ? text.dropFirst() : text[...]
        if !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            guard let id = Int64(text) else {
                throw InputError(location, .invalidValue("is outside the 64-bit integer range"))
            }
            return .id(id)
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw InputError(location, .invalidValue("must be an integer id or type:id"))
        }
        let type = String(text[..<colon])
        let id = String(text[text.index(after: colon)...])
        let typeBytes = Array(type.utf8)
        guard let first = typeBytes.first, isTypeStart(first), typeBytes.dropFirst().allSatisfy(isTypeCharacter),
            typeBytes.count <= NameRule.assetTypeBytes
        else {
            throw InputError(location, .invalidValue("has an invalid type (letters, digits, _ . -; at most 64 bytes)"))
        }
        guard NameRule.violation(of: id, limit: NameRule.assetStringIDBytes) == nil else {
            throw InputError(
                location,
                .invalidValue("has an invalid id (1 to \(NameRule.assetStringIDBytes) bytes, no control characters)"))
        }
        return .typed(type: type, id: id)
    }

    private static func isTypeStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || byte == UInt8(ascii: "_")
    }

    private static func isTypeCharacter(_ byte: UInt8) -> Bool {
        isTypeStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "-")
    }

    /// The key of a bulk record: an integer, or a string as in `key(_:at:)`.
    static func key(_ field: FieldReader) throws(InputError) -> AssetKey {
        if case .number = field.value { return .id(try field.int64()) }
        return try key(try field.string(), at: field.location)
    }

    static func record(
        _ object: ObjectReader, key: AssetKey, runtime: ServerRuntime, extraKeys: Set<String> = []
    )
        throws(InputError) -> AssetUpsertRecord
    {
        try object.rejectUnknownKeys(recordKeys.union(extraKeys))
        let options = runtime.store.options
        var attributes = AssetAttributes()
        attributes.name = try object.optional("name")?.string(maxBytes: options.maxAssetNameBytes) ?? ""
        if let type = object.optional("type") {
            let text = try type.string(maxBytes: NameRule.assetTypeBytes)
            guard NameRule.violation(of: text, limit: NameRule.assetTypeBytes) == nil else {
                throw InputError(
                    type.location,
                    .invalidValue("must be 1 to \(NameRule.assetTypeBytes) bytes without control characters"))
            }
            attributes.assetType = text
        }
        attributes.createdAt = try date(object.optional("created_at"))
        attributes.updatedAt = try date(object.optional("updated_at"))
        var metadata: JSONObject?
        if let field = object.optional("metadata") { metadata = try field.object().object }
        if let enumeration = object.optional("enumeration_id") {
            var merged = metadata ?? JSONObject()
            merged["enumeration_id"] = .string(try enumeration.string())
            metadata = merged
        }
        if let metadata {
            let bytes = JSONWriter.encode(.object(metadata))
            if bytes.count > options.maxMetadataBytes {
                throw InputError(
                    object.location.appending("metadata"), .tooLong(limit: options.maxMetadataBytes, unit: "bytes"))
            }
            attributes.metadata = bytes
        }
        var labels: [String]?
        if let field = object.optional("labels") { labels = try NameRules.labels(field, runtime: runtime) }
        return AssetUpsertRecord(key: key, attributes: attributes, labels: labels)
    }

    private static func date(_ field: FieldReader?) throws(InputError) -> Date? {
        guard let field else { return nil }
        guard let date = Timestamps.parse(try field.string()) else {
            throw InputError(
                field.location, .invalidValue("must be an ISO 8601 date-time such as 2024-01-15T10:30:00Z"))
        }
        return date
    }

    /// The records of a bulk body: a JSON array, `{"assets": [...]}`, or NDJSON (one record
    /// per line; blank lines skipped). Every record is checked before anything is written.
    static func bulkRecords(
        _ bytes: [UInt8], encoding: BodyEncoding, runtime: ServerRuntime
    ) throws(InputError)
        -> [AssetUpsertRecord]
    {
        let limit = runtime.limits.maxAssetsPerRequest
        var records: [AssetUpsertRecord] = []
        if encoding == .ndjson {
            var lineNumber = 0
            for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                defer { lineNumber += 1 }
                let trimmed = line.last == 0x0D ? line.dropLast() : line
                guard !trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { continue }
                let location = InputLocation(.body, [.index(lineNumber)])
                let value: JSONValue
                do { value = try JSONParser.parse(Array(trimmed)) } catch {
                    throw InputError(
                        location,
                        .invalidValue(
                            "(line \(lineNumber + 1)) is not valid JSON: \(error.message) at byte \(error.offset)"))
                }
                guard records.count < limit else {
                    throw InputError(.body, .tooManyItems(limit: limit, found: records.count + 1))
                }
                records.append(try bulkRecord(FieldReader(value, at: location), runtime: runtime))
            }
            return records
        }
        var items = try FieldReader(parseJSONBody(bytes), at: .body)
        if case .object = items.value {
            let object = try items.object()
            try object.rejectUnknownKeys(["assets"])
            items = try object.required("assets")
        }
        for item in try items.array(maxItems: limit) { records.append(try bulkRecord(item, runtime: runtime)) }
        return records
    }

    private static func bulkRecord(_ field: FieldReader, runtime: ServerRuntime) throws(InputError) -> AssetUpsertRecord
    {
        let object = try field.object()
        return try record(object, key: try key(try object.required("id")), runtime: runtime, extraKeys: ["id"])
    }
}
