import Hummingbird
import LabelCommands
import LabelIndex

extension LabelingRoutes {
    // MARK: J6–J8

    /// J6 links resources (creating resources not seen before; linking twice changes nothing);
    /// J7 unlinks them and keeps the resources. Both echo the resources of the request.
    func changeResources(
        _ request: Request, _ context: BasicRequestContext, _ grant: AccessGrant, adding: Bool
    )
        async throws -> Response
    {
        let id = try labelID(context)
        let fields = try await LabelingFields.read(request, limit: runtime.limits.maxRequestBytes)
        var seen = Set<ResourceReference>()
        let resources = try fields.resources(limit: runtime.limits.maxResourcesPerRequest).filter {
            seen.insert($0).inserted
        }
        let namespace = namespace(grant)
        let keys = resources.map { AssetKey.typed(type: $0.type, id: $0.id) }
        try await runtime.submit(
            [adding ? .link(namespace, id, keys, createMissingAssets: true) : .unlink(namespace, id, keys)],
            namespace: namespace)
        return LabelingEnvelope.success(.array(resources.map(\.json)))
    }

    enum ResourceOrder: String, CaseIterable {
        case id, title
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// J8: the resources linked directly to the label (not through sub-labels), paged.
    func listResources(
        _ request: Request, _ context: BasicRequestContext, _ grant: AccessGrant
    ) async throws -> Response {
        let query = try request.queryFields()
        let offset =
            try query["offset"].map { try QueryValues.int($0, in: 0...Int(Int32.max), at: .query("offset")) } ?? 0
        let limit =
            try query["limit"].map {
                try QueryValues.pageSize($0, minimum: 1, maximum: runtime.limits.maxPageSize, at: .query("limit"))
            }
            ?? 20
        var order: (ResourceOrder, descending: Bool)?
        if let text = query["orderby"], !text.isEmpty {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingWhitespace().lowercased()
            }
            guard let field = ResourceOrder(rawValue: parts[0]), parts.count <= 2,
                parts.count == 1 || parts[1] == "asc" || parts[1] == "desc"
            else {
                let allowed = ResourceOrder.allCases.map(\.rawValue).joined(separator: ", ")
                throw InputError(
                    .query("orderby"), .invalidValue("must be one of \(allowed), optionally followed by ,asc or ,desc"))
            }
            order = (field, parts.count == 2 && parts[1] == "desc")
        }
        // Every resource here is enabled; asking for another status lists nothing.
        let statusMatches = query["status"].map { ["ENABLED", "ALL"].contains($0.uppercased()) } ?? true
        // `type=workflow` lists only workflows (the client's `getLabelResources` offers it).
        let type = try query["type"].flatMap { text in
            text.isEmpty ? nil : try ResourceReference.normalizedType(text, at: .query("type"))
        }
        if isRoot(context) {
            // The root is no label: nothing is linked to it (its parameters are checked all the same).
            return LabelingEnvelope.success(
                .array([]), extra: ["resultSet": ["offset": .int(offset), "limit": .int(limit), "count": 0]])
        }
        let id = try labelID(context)
        let namespace = namespace(grant)
        let sortOrder = order
        let (assets, total) = try await runtime.read { snapshot -> ([Asset], Int) in
            guard let reader = try snapshot.namespace(namespace), let label = try reader.label(id) else {
                throw LabelingError.labelNotFound
            }
            guard statusMatches else { return ([], 0) }
            guard sortOrder != nil || type != nil else {
                // The page sizes the read; an offset past the end reads nothing.
                guard offset < label.assetCount else { return ([], label.assetCount) }
                let ordinals = try reader.ordinals(labeled: id, limit: min(offset + limit, label.assetCount)).dropFirst(
                    offset)
                return (try reader.assets(at: Array(ordinals)), label.assetCount)
            }
            var all = try reader.assets(labeled: id, limit: max(1, label.assetCount))
            if let type { all.removeAll { LabelRepresentation.resource($0.key).type != type } }
            let (field, descending) = sortOrder ?? (.id, false)
            func precedes(_ lhs: Asset, _ rhs: Asset) -> Bool {
                switch field {
                case .id: lhs.key.description < rhs.key.description
                case .title: lhs.name < rhs.name
                case .createdAt: lhs.createdAt < rhs.createdAt
                case .updatedAt: lhs.updatedAt < rhs.updatedAt
                }
            }
            if sortOrder != nil { all.sort { descending ? precedes($1, $0) : precedes($0, $1) } }
            let start = min(offset, all.count)
            return (Array(all[start..<min(start + limit, all.count)]), all.count)
        }
        return LabelingEnvelope.success(
            .array(assets.map { LabelRepresentation.resourceSummary($0, account: grant.account) }),
            extra: ["resultSet": ["offset": .int(offset), "limit": .int(limit), "count": .int(total)]])
    }
}
