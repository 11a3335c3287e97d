import Foundation
import Hummingbird
import LabelIndex

extension ProjectDiscoveryRoutes {
    // MARK: P5, P6

    enum SortField: String, CaseIterable {
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case name, id
    }

    /// P5 (one enumeration) and P6 (all): paged contents with their labels.
    func listContents(_ request: Request, enumeration: String?) async throws -> Response {
        let caller = try caller(request)
        let query = try request.queryFields()
        let offset =
            try query["offset"].map { try QueryValues.int($0, in: 0...Int(Int32.max), at: .query("offset")) } ?? 0
        let limit =
            try query["limit"].map {
                try QueryValues.pageSize($0, minimum: 1, maximum: runtime.limits.maxPageSize, at: .query("limit"))
            }
            ?? runtime.limits.defaultPageSize
        var sort: [(SortField, descending: Bool)] = []
        for (parameter, descending) in [("sort_asc", false), ("sort_desc", true)] {
            for name in (query[parameter] ?? "").split(separator: ",") {
                guard let field = SortField(rawValue: String(name.trimmingWhitespace())) else {
                    let allowed = SortField.allCases.map(\.rawValue).joined(separator: ", ")
                    throw InputError(
                        .query(parameter),
                        .invalidValue("names an unknown field \"\(name.prefix(40))\"; use \(allowed)"))
                }
                sort.append((field, descending))
            }
        }
        var filters = try AssetFilters.parse(query: query, queryLimits: runtime.limits.query, now: Date())
        if let enumeration {
            filters.enumerationIDs =
                filters.enumerationIDs.map { $0.contains(enumeration) ? [enumeration] : [] } ?? [enumeration]
        }
        let selection = try AssetSelection(filters, limits: runtime.limits.query)
        let namespace = caller.namespace
        let sortKeys = sort
        let (page, total) = try await runtime.query(account: caller.grant.account) {
            snapshot, budget -> ([Asset], Int) in
            guard let reader = try snapshot.namespace(namespace) else { return ([], 0) }
            var assets = try selection.assets(in: reader, budget: budget)
            if !sortKeys.isEmpty { assets.sort { Self.precedes($0, $1, by: sortKeys) } }
            let start = min(offset, assets.count)
            return (Array(assets[start..<min(start + limit, assets.count)]), assets.count)
        }
        return .json([
            "message": "Enumeration contents retrieved successfully",
            "data": .array(page.map(EnumerationContent.json)),
            "current_page": .int(offset / limit + 1), "result_count": .int(page.count), "total_results": .int(total),
            "total_pages": .int((total + limit - 1) / limit),
        ])
    }

    private static func precedes(_ lhs: Asset, _ rhs: Asset, by keys: [(SortField, descending: Bool)]) -> Bool {
        for (field, descending) in keys {
            let order: Bool?
            switch field {
            case .createdAt: order = lhs.createdAt == rhs.createdAt ? nil : lhs.createdAt < rhs.createdAt
            case .updatedAt: order = lhs.updatedAt == rhs.updatedAt ? nil : lhs.updatedAt < rhs.updatedAt
            case .name: order = lhs.name == rhs.name ? nil : lhs.name < rhs.name
            case .id: order = lhs.key.intID == rhs.key.intID ? nil : (lhs.key.intID ?? 0) < (rhs.key.intID ?? 0)
            }
            if let order { return descending ? !order : order }
        }
        return lhs.ordinal < rhs.ordinal
    }
}
