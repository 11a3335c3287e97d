import Foundation
import LabelFormats
import LabelIndex
import LabelQuery

/// A `custom_filter` that is not a valid query: reported with its position.
struct FilterSyntaxError: Error {
    var error: QuerySyntaxError
}

/// PDCP's `AssetFilters`, for the bulk update body and the contents listings' query string.
///
/// - `labels` (CSV, any of) and `custom_filter` (the LabelIndex query language, URL-decoded
///   once more when it is still percent-encoded) select through the label index.
/// - `search` (case-insensitive substring of the name), `enumeration_ids` / `enumeration_id`,
///   `time`, `start_date`, `end_date` (on `created_at`) and `not_seen_for_days` (on
///   `updated_at`) check asset attributes.
/// - The other documented attribute filters compare with the same-named member of the asset's
///   metadata object: CSV fields match when the member equals any value (or, for an array, holds
///   one), `domain` matches `domain_name`, and boolean flags set to `true` require the member to
///   be `true` (`false` does not filter).
///
/// Values within one field combine with OR, fields with AND.
struct AssetFilters: Sendable {
    var labels: [String] = []
    var customFilter: QueryExpression?
    var search: String?
    var enumerationIDs: [String]?
    var createdFrom: Date?
    var createdBefore: Date?
    var notUpdatedSince: Date?
    var attributeValues: [(key: String, values: [String])] = []
    var requiredFlags: [String] = []

    static let flagKeys: Set<String> = [
        "is_tech", "is_favicon", "is_new", "is_screenshot", "only_dns", "only_ip", "is_internal",
    ]
    static let csvAttributeKeys: Set<String> = [
        "host", "port", "status_code", "content_length", "title", "cname", "technologies", "ip", "favicon",
    ]
    /// The body schema's members (`additionalProperties: false`).
    static let bodyKeys: Set<String> = flagKeys.subtracting(["is_internal"]).union(
        csvAttributeKeys.subtracting(["favicon"])
    )
    .union([
        "labels", "domain", "time", "start_date", "end_date", "custom_filter", "search", "enumeration_ids",
        "enumeration_id",
        "not_seen_for_days",
    ])
    /// Query parameters of the listings that are filters (paging and sorting are read apart).
    static let queryKeys: Set<String> = flagKeys.union(csvAttributeKeys).union([
        "labels", "domain", "time", "start_date", "end_date", "custom_filter", "search", "enumeration_ids",
        "enumeration_id",
        "not_seen_for_days",
    ])

    static let timeWindows: [String: Double?] = [
        "last_day": 1, "last_week": 7, "last_month": 30, "last_3_months": 90, "last_6_months": 180,
        "last_12_months": 365, "all_time": nil,
    ]

    /// The label-index part: `*` when no label filter is given.
    var expression: QueryExpression {
        var parts: [QueryExpression] = []
        if !labels.isEmpty { parts.append(.labels(labels.map(LabelPattern.exact))) }
        if let customFilter { parts.append(customFilter) }
        switch parts.count {
        case 0: return .all
        case 1: return parts[0]
        default: return .and(parts)
        }
    }

    /// Whether assets must be read to decide (anything beyond the label index).
    var checksAttributes: Bool {
        search != nil || enumerationIDs != nil || createdFrom != nil || createdBefore != nil || notUpdatedSince != nil
            || !attributeValues.isEmpty || !requiredFlags.isEmpty
    }

    func matches(_ asset: Asset, metadata: JSONObject?) -> Bool {
        if let search, asset.name.range(of: search, options: [.caseInsensitive]) == nil { return false }
        if let enumerationIDs {
            guard let id = metadata?["enumeration_id"]?.stringValue, enumerationIDs.contains(id) else { return false }
        }
        if let createdFrom, asset.createdAt < createdFrom { return false }
        if let createdBefore, asset.createdAt >= createdBefore { return false }
        if let notUpdatedSince, asset.updatedAt >= notUpdatedSince { return false }
        for flag in requiredFlags where metadata?[flag]?.boolValue != true { return false }
        for (key, values) in attributeValues {
            let member = metadata?[key == "domain" ? "domain_name" : key]
            guard let member, Self.member(member, matchesAnyOf: values) else { return false }
        }
        return true
    }

    private static func member(_ member: JSONValue, matchesAnyOf values: [String]) -> Bool {
        switch member {
        case .string(let text): values.contains(text)
        case .number(let number): values.contains(number.text)
        case .bool(let flag): values.contains(flag ? "true" : "false")
        case .array(let items): items.contains { Self.member($0, matchesAnyOf: values) }
        case .null, .object: false
        }
    }

    // MARK: Parsing

    /// Parses the `filters` object of a bulk update.
    static func parse(body field: FieldReader, queryLimits: QueryLimits, now: Date) throws -> AssetFilters {
        let object = try field.object()
        try object.rejectUnknownKeys(bodyKeys)
        var filters = AssetFilters()
        for (key, value) in object.object.entries where value != .null {
            let member = FieldReader(value, at: field.location.appending(key))
            if flagKeys.contains(key) {
                if try member.bool() { filters.requiredFlags.append(key) }
            } else if key == "domain" || key == "enumeration_ids" {
                let values = try member.array().map { try $0.string() }
                try filters.apply(key, values: values, at: member.location, queryLimits: queryLimits, now: now)
            } else if key == "not_seen_for_days" {
                try filters.apply(
                    key, values: [String(try member.int(in: 1...100_000))], at: member.location,
                    queryLimits: queryLimits, now: now)
            } else {
                try filters.apply(
                    key, text: try member.string(), at: member.location, queryLimits: queryLimits, now: now)
            }
        }
        return filters
    }

    /// Parses the filter parameters of a listing's query string (unknown parameters are ignored).
    static func parse(query: FormFields, queryLimits: QueryLimits, now: Date) throws -> AssetFilters {
        var filters = AssetFilters()
        for (name, value) in query.pairs where queryKeys.contains(name) {
            let location = InputLocation.query(name)
            if flagKeys.contains(name) {
                if try QueryValues.bool(value, at: location) { filters.requiredFlags.append(name) }
            } else if name == "not_seen_for_days" {
                let days = try QueryValues.int(value, in: 1...100_000, at: location)
                try filters.apply(name, values: [String(days)], at: location, queryLimits: queryLimits, now: now)
            } else {
                try filters.apply(name, text: value, at: location, queryLimits: queryLimits, now: now)
            }
        }
        return filters
    }

    private mutating func apply(
        _ key: String, text: String, at location: InputLocation, queryLimits: QueryLimits, now: Date
    )
        throws
    {
        switch key {
        case "custom_filter":
            let decoded = PercentDecoding.decodeOnceIfEncoded(text)
            guard !decoded.allSatisfy(\.isWhitespace) else { return }
            do { customFilter = try QueryExpression(parsing: decoded, limits: queryLimits) } catch {
                throw FilterSyntaxError(error: error)
            }
        case "search":
            if !text.isEmpty { search = text }
        case "time":
            guard let window = Self.timeWindows[text] else {
                let allowed = Self.timeWindows.keys.sorted().joined(separator: ", ")
                throw InputError(location, .invalidValue("must be one of \(allowed)"))
            }
            if let days = window {
                createdFrom = max(createdFrom ?? .distantPast, now.addingTimeInterval(-days * 86_400))
            }
        case "start_date":
            guard let date = Timestamps.parse(text) else {
                throw InputError(location, .invalidValue("must be a date (YYYY-MM-DD)"))
            }
            createdFrom = max(createdFrom ?? .distantPast, date)
        case "end_date":
            guard let date = Timestamps.parse(text) else {
                throw InputError(location, .invalidValue("must be a date (YYYY-MM-DD)"))
            }
            // A bare date includes its whole day.
            let end = text.utf8.count == 10 ? date.addingTimeInterval(86_400) : date
            createdBefore = min(createdBefore ?? .distantFuture, end)
        default:
            let values = text.split(separator: ",").map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty }
            try apply(key, values: values, at: location, queryLimits: queryLimits, now: now)
        }
    }

    private mutating func apply(
        _ key: String, values: [String], at location: InputLocation, queryLimits: QueryLimits, now: Date
    )
        throws
    {
        switch key {
        case "labels":
            // Any name may be asked for (one no label has matches nothing), but not one no label
            // can have: the same answer in the query string and the body.
            for value in values where NameRule.violation(of: value, limit: .max) != nil {
                throw InputError(location, .invalidValue("contains a control character"))
            }
            labels.append(contentsOf: values)
        case "enumeration_ids", "enumeration_id":
            enumerationIDs = (enumerationIDs ?? []) + values
        case "not_seen_for_days":
            let days = Double(values.first.flatMap { Int($0) } ?? 0)
            notUpdatedSince = now.addingTimeInterval(-days * 86_400)
        default:
            if !values.isEmpty { attributeValues.append((key, values)) }
        }
    }
}

/// Typed query-string values, reported at their parameter.
enum QueryValues {
    static func bool(_ text: String, at location: InputLocation) throws(InputError) -> Bool {
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw InputError(location, .wrongType(expected: "a boolean", found: "\"\(text.prefix(40))\""))
        }
    }

    static func int(_ text: String, in range: ClosedRange<Int>, at location: InputLocation) throws(InputError) -> Int {
        guard let value = Int64(text) else {
            let found =
                text.allSatisfy(\.isNumber) && !text.isEmpty
                ? "a number outside the 64-bit range" : "\"\(text.prefix(40))\""
            throw InputError(location, .wrongType(expected: "an integer", found: found))
        }
        if value < Int64(range.lowerBound) { throw InputError(location, .belowMinimum(range.lowerBound)) }
        if value > Int64(range.upperBound) { throw InputError(location, .aboveMaximum(range.upperBound)) }
        return Int(value)
    }

    /// A page size: below `minimum` (or not a number) is an error, above `maximum` — however
    /// large, beyond 64 bits too — is capped to it, since clients pass large limits through
    /// meaning "as many as you give".
    static func pageSize(
        _ text: String, minimum: Int, maximum: Int, at location: InputLocation
    ) throws(InputError) -> Int {
        if !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            Int64(text).map({ $0 > Int64(maximum) }) ?? true
        {
            return maximum
        }
        return try int(text, in: minimum...maximum, at: location)
    }
}
