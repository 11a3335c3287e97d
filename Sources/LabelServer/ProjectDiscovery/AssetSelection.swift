import Foundation
import LabelCommands
import LabelFormats
import LabelIndex
import LabelQuery
import Roaring

/// Evaluates `AssetFilters` in a namespace: the label part through the query engine, the
/// attribute part asset by asset. ProjectDiscovery calls see integer-id assets only; typed
/// assets sharing the namespace (e.g. `/API` resources) are never listed or changed by them.
struct AssetSelection: Sendable {
    let filters: AssetFilters
    let query: PreparedQuery

    init(_ filters: AssetFilters, limits: QueryLimits) throws {
        self.filters = filters
        self.query = try PreparedQuery(filters.expression, limits: limits)
    }

    /// The matching assets, in ordinal (creation) order; the label part runs within `budget`.
    func assets(in reader: NamespaceReader, budget: QueryBudget = QueryBudget()) throws -> [Asset] {
        var result: [Asset] = []
        for ordinal in try reader.matches(query, budget: budget) {
            guard let asset = try reader.asset(at: AssetOrdinal(ordinal)), case .id = asset.key else { continue }
            if filters.checksAttributes {
                guard filters.matches(asset, metadata: asset.metadataObject) else { continue }
            }
            result.append(asset)
        }
        return result
    }

    /// The ordinals of the matching assets.
    func ordinals(in reader: NamespaceReader, budget: QueryBudget = QueryBudget()) throws -> [UInt32] {
        try assets(in: reader, budget: budget).map(\.ordinal.rawValue)
    }
}

extension Asset {
    /// The metadata as a JSON object, when it is one.
    var metadataObject: JSONObject? {
        guard let metadata, let value = try? JSONParser.parse(metadata) else { return nil }
        return value.objectValue
    }

    /// The int id or `type:id`, as the `/v1` endpoints write it.
    var keyText: String { key.description }
}

extension AssetFilters {
    /// The same selection as a command's selector, evaluated when the command is applied: the
    /// label part as canonical query text, the attribute part as an `AttributeFilter`, integer
    /// ids only. Time bounds are fixed now, in whole milliseconds rounded up: stored times are
    /// whole milliseconds, so `t >= bound` and `t < bound` keep their meaning.
    var selector: AssetSelector {
        func milliseconds(_ date: Date?) -> Int64? {
            date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.up)) }
        }
        var filter = AttributeFilter(
            nameContains: search, createdFrom: milliseconds(createdFrom), createdBefore: milliseconds(createdBefore),
            notUpdatedSince: milliseconds(notUpdatedSince),
            anyOfMembers: attributeValues.map {
                AttributeFilter.Member(key: $0.key == "domain" ? "domain_name" : $0.key, values: $0.values)
            },
            trueMembers: requiredFlags)
        if let enumerationIDs {
            filter.stringMembers = [AttributeFilter.Member(key: "enumeration_id", values: enumerationIDs)]
        }
        return AssetSelector(
            query: expression.description, integerKeysOnly: true, attributes: checksAttributes ? filter : nil)
    }
}
