import Foundation
import Hummingbird
import LabelCommands
import LabelFormats
import LabelIndex
import LabelQuery
import Roaring

/// The ProjectDiscovery Cloud Platform asset-label endpoints (P1–P6 of the API spec).
///
/// Auth: `X-API-Key`. Tenancy: `X-Team-Id` (on every route) selects `<account>/team/<id>`,
/// without it `<account>/default`. Errors are `ErrorResponse` objects.
struct ProjectDiscoveryRoutes {
    let runtime: ServerRuntime

    /// A resolved caller: who, and which namespace.
    struct Caller {
        var grant: AccessGrant
        var scope: TenantScope
        var namespace: Namespace
    }

    enum UpdateType: String, CaseIterable {
        case append, replace, delete
    }

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/asset/{asset_id}/labels") { request, context in
            await respond { try await addLabels(request, context) }
        }
        router.patch("/v1/asset/{asset_id}/labels") { request, context in
            await respond { try await modifyLabels(request, context) }
        }
        router.delete("/v1/asset/{asset_id}/labels") { request, context in
            await respond { try await removeAllLabels(request, context) }
        }
        router.patch("/v1/asset/labels") { request, context in
            await respond { try await bulkUpdate(request) }
        }
        router.get("/v1/asset/enumerate/{enumerate_id}/contents") { request, context in
            await respond {
                try await listContents(request, enumeration: try context.pathParameter("enumerate_id"))
            }
        }
        router.get("/v1/asset/enumerate/contents") { request, _ in
            await respond { try await listContents(request, enumeration: nil) }
        }
    }

    private func respond(_ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch {
            return ProjectDiscoveryError.from(error, logger: runtime.logger).response
        }
    }

    // MARK: Caller

    func caller(_ request: Request) throws -> Caller {
        let key: String?
        do {
            key = try RequestCredential.key([("X-API-Key", RequestCredential.values(request, HTTPFieldNames.apiKey))])
        } catch {
            throw ProjectDiscoveryError(status: .unauthorized, code: "UNAUTHORIZED", message: error.message)
        }
        guard let grant = try runtime.authenticate(key) else {
            throw key == nil ? ProjectDiscoveryError.missingKey : ProjectDiscoveryError.invalidKey
        }
        var scope = TenantScope.default
        if let team = request.headers[HTTPFieldNames.teamID], !team.isEmpty {
            if let problem = TenantScope.problem(withIdentifier: team) {
                throw ProjectDiscoveryError(
                    status: .badRequest, code: "INVALID_PARAM", message: "X-Team-Id: \(problem)", param: "X-Team-Id")
            }
            scope = .team(team)
        }
        guard grant.allows(scope) else {
            throw ProjectDiscoveryError(
                status: .forbidden, code: "FORBIDDEN",
                message:
                    "this API key has no access to \(scope == .default ? "the default workspace" : "team \(team(of: scope))")"
            )
        }
        return Caller(grant: grant, scope: scope, namespace: grant.namespace(for: scope))
    }

    private func team(of scope: TenantScope) -> String {
        if case .team(let id) = scope { return id }
        return scope.description
    }

    private func assetKey(_ context: BasicRequestContext) throws -> AssetKey {
        let text = try context.pathParameter("asset_id")
        let digits = text.hasPrefix("-") ? text.dropFirst() : text[...]
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let id = Int64(text)
        else { throw ProjectDiscoveryError.invalidAssetID }
        return .id(id)
    }

    private func labelsBody(_ request: Request) async throws -> [String] {
        let bytes = try await request.collectBody(limit: runtime.limits.maxRequestBytes)
        let body = try FieldReader(parseJSONBody(bytes), at: .body).object()
        return try NameRules.labels(try body.required("labels"), runtime: runtime)
    }

    private func updateType(_ request: Request) throws -> UpdateType {
        guard let text = try request.queryFields()["update_type"] else { return .append }
        guard let type = UpdateType(rawValue: text) else {
            throw ProjectDiscoveryError(
                status: .badRequest, code: "INVALID_PARAM",
                message: "update_type must be one of append, replace, delete; got \"\(text.prefix(40))\"",
                param: "update_type")
        }
        return type
    }

    private static func change(_ type: UpdateType, _ labels: [String]) -> LabelChange {
        switch type {
        case .append: .append(labels.map { LabelAssignment($0) })
        case .replace: .replace(labels.map { LabelAssignment($0) })
        case .delete: .remove(labels)
        }
    }

    // MARK: P1–P3

    /// P1: appends labels (existing first, then new ones in request order, no duplicates).
    func addLabels(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try caller(request)
        let key = try assetKey(context)
        let labels = try await labelsBody(request)
        try await apply(.append(labels.map { LabelAssignment($0) }), to: key, in: caller.namespace)
        return .json(["message": "Labels added successfully"])
    }

    /// P2: `update_type` append (default), replace (an empty list clears) or delete.
    func modifyLabels(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try caller(request)
        let type = try updateType(request)
        let key = try assetKey(context)
        let labels = try await labelsBody(request)
        try await apply(Self.change(type, labels), to: key, in: caller.namespace)
        return .json(["message": "Asset labels updated successfully"])
    }

    /// P3: removes every label; the asset stays. Idempotent.
    func removeAllLabels(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try caller(request)
        let key = try assetKey(context)
        try await apply(.replace([]), to: key, in: caller.namespace)
        return .json(["message": "All labels removed successfully"])
    }

    private func apply(_ change: LabelChange, to key: AssetKey, in namespace: Namespace) async throws {
        try await runtime.submit([.changeLabels(namespace, key, change)], namespace: namespace)
    }

    // MARK: P4

    /// P4: applies the change to every asset the filters match; over the async threshold the
    /// change is queued as a job (`GET /v1/jobs/{id}`).
    func bulkUpdate(_ request: Request) async throws -> Response {
        let caller = try caller(request)
        let type = try updateType(request)
        let bytes = try await request.collectBody(limit: runtime.limits.maxRequestBytes)
        let body = try FieldReader(parseJSONBody(bytes), at: .body).object()
        let labels = try NameRules.labels(try body.required("labels"), runtime: runtime)
        let filters =
            try body.optional("filters").map {
                try AssetFilters.parse(body: $0, queryLimits: runtime.limits.query, now: Date())
            } ?? AssetFilters()
        let selection = try AssetSelection(filters, limits: runtime.limits.query)
        let change = Self.change(type, labels)
        let namespace = caller.namespace
        let matched = try await runtime.query(account: caller.grant.account) { snapshot, budget in
            try snapshot.namespace(namespace).map { try selection.ordinals(in: $0, budget: budget) } ?? []
        }
        if matched.count > runtime.configuration.asyncJobThreshold {
            let job = BulkJob(
                id: BulkJob.newID(), account: caller.grant.account, scope: caller.scope.description,
                operation: type.rawValue,
                labels: labels, status: .queued, matched: matched.count, processed: 0, changed: 0,
                createdAt: BulkJob.nowMilliseconds())
            try await runtime.submit([try job.storeCommand()], namespace: namespace)
            runtime.jobs.start(job, namespace: namespace, selector: filters.selector, change: change, ordinals: matched)
            var headers = HTTPFields()
            headers[HTTPFieldNames.location] = "/v1/jobs/\(job.id)"
            return .json(
                [
                    "message": "Label update queued", "asset_count": .int(matched.count), "async": true,
                    "job_id": .string(job.id), "job_url": .string("/v1/jobs/\(job.id)"),
                ], headers: headers)
        }
        // Re-evaluated when the command is applied, so the change and its count are exact even
        // if other writes landed since the count above.
        let count = try await runtime.submit(
            [.changeLabelsMatching(namespace, filters.selector, change)], namespace: namespace
        ).result(0, \.matched)
        return .json(["message": "Labels updated successfully", "asset_count": .int(count), "async": false])
    }
}

extension AssetKey {
    var intID: Int64? {
        if case .id(let id) = self { return id }
        return nil
    }
}
