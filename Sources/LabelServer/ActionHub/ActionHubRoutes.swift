import Foundation
import Hummingbird
import LabelCommands
import LabelFormats
import LabelIndex

/// The ActionHub label and asset endpoints (A1–A4, and A5 for unknown users).
///
/// Auth: `actionhub-key` (403 `{"detail":"Could not validate API KEY"}` when missing, invalid,
/// or not granted the program). Tenancy: required `program-id` header, namespace
/// `<account>/program/<program-id>`. Validation errors are FastAPI 422 bodies with exact `loc`s.
/// Labels are keyed by their string; assets are typed assets `asset:<asset_id>`.
struct ActionHubRoutes {
    let runtime: ServerRuntime

    /// The spec's page size bound (`size` ≤ 100), tightened further by the server's limit.
    var maxPageSize: Int { min(100, runtime.limits.maxPageSize) }
    static let assetType = "asset"
    static let maxAssetIDCharacters = 64
    static let maxAssetNameCharacters = 124

    func register(on router: Router<BasicRequestContext>) {
        router.put("/labels") { request, _ in await respond { try await upsertLabels(request) } }
        router.get("/labels") { request, _ in await respond { try await listLabels(request) } }
        router.post("/assets") { request, _ in await respond { try await upsertAssets(request) } }
        router.get("/assets") { request, _ in await respond { try await listAssets(request) } }
        router.get("/users/{user_id}/labels") { request, _ in await respond { try await userLabels(request) } }
    }

    private func respond(_ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch { return ActionHubError.from(error, logger: runtime.logger).response }
    }

    /// The caller's grant (403 first, as FastAPI's security dependency runs before validation)
    /// and `program-id`, recording a missing or malformed one in `errors`.
    private func caller(_ request: Request, _ errors: inout ValidationErrors) throws -> (AccessGrant, String?) {
        let key: String?
        do {
            key = try RequestCredential.key([
                ("actionhub-key", RequestCredential.values(request, HTTPFieldNames.actionHubKey))
            ])
        } catch {
            // Two different keys are no valid key: the documented 403.
            throw ActionHubError.invalidKey
        }
        guard let grant = try runtime.authenticate(key) else {
            throw ActionHubError.invalidKey
        }
        let program = errors.collect { () throws(InputError) -> String in
            guard let program = request.headers[HTTPFieldNames.programID] else {
                throw InputError(.header("program-id"), .missing)
            }
            if let problem = TenantScope.problem(withIdentifier: program) {
                throw InputError(.header("program-id"), .invalidValue(problem))
            }
            return program
        }
        return (grant, program)
    }

    /// After validation: the namespace of the program, if the key may use it.
    private func namespace(_ grant: AccessGrant, _ program: String?) throws -> Namespace {
        guard let program, grant.allows(.program(program)) else { throw ActionHubError.invalidKey }
        return grant.namespace(for: .program(program))
    }

    private struct Paging {
        var search = ""
        var page = 1
        var size = 50
    }

    private func paging(_ request: Request, _ errors: inout ValidationErrors) -> Paging {
        var paging = Paging()
        guard let query = errors.collect({ () throws(InputError) in try request.queryFields() }) else { return paging }
        paging.search = query["search"] ?? ""
        if let text = query["page"] {
            paging.page =
                errors.collect { () throws(InputError) in
                    try QueryValues.int(text, in: 1...Int(Int32.max), at: .query("page"))
                } ?? 1
        }
        if let text = query["size"] {
            paging.size =
                errors.collect { () throws(InputError) in
                    try QueryValues.int(text, in: 1...maxPageSize, at: .query("size"))
                } ?? 50
        }
        return paging
    }

    private func body(_ request: Request, limit: Int, _ errors: inout ValidationErrors) async throws -> ObjectReader? {
        let bytes = try await request.collectBody(limit: limit)
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            errors.append(InputError(.body, .missing))
            return nil
        }
        return errors.collect { () throws(InputError) in try FieldReader(parseJSONBody(bytes), at: .body).object() }
    }

    // MARK: A1, A2

    /// A1: inserts labels not seen before and updates the weight of existing ones (labels
    /// absent from the request stay). A label repeated in one request takes its last weight.
    func upsertLabels(_ request: Request) async throws -> Response {
        var errors = ValidationErrors()
        let (grant, program) = try caller(request, &errors)
        var weights: [(name: String, weight: Double)] = []
        if let body = try await body(request, limit: runtime.limits.maxRequestBytes, &errors) {
            let items = errors.collect { () throws(InputError) in
                try body.required("labels").array(maxItems: runtime.limits.maxLabelsPerRequest)
            }
            for item in items ?? [] {
                guard let object = errors.collect({ () throws(InputError) in try item.object() }) else { continue }
                let name = errors.collect { () throws(InputError) -> String in
                    let field = try object.required("label")
                    let name = try field.string(maxCharacters: runtime.limits.maxActionHubLabelCharacters)
                    try NameRules.check(name, limit: runtime.maxLabelBytes, at: field.location)
                    return name
                }
                let weight = errors.collect { () throws(InputError) in try object.required("weight").double() }
                if let name, let weight {
                    weights.removeAll { $0.name == name }
                    weights.append((name, weight))
                }
            }
        }
        try errors.check()
        let namespace = try namespace(grant, program)
        let upserts = weights
        try await runtime.submit(
            upserts.map { .setLabelWeight(namespace, name: $0.name, weight: $0.weight) }, namespace: namespace)
        return .json(["result": .string("\(upserts.count) label\(upserts.count == 1 ? "" : "s") upserted")])
    }

    /// A2: the program's labels in creation order; `search` is a case-insensitive substring of
    /// the label. Labels created implicitly by asset upserts have weight 0.
    func listLabels(_ request: Request) async throws -> Response {
        var errors = ValidationErrors()
        let (grant, program) = try caller(request, &errors)
        let paging = paging(request, &errors)
        try errors.check()
        let namespace = try namespace(grant, program)
        let labels = try await runtime.read { snapshot -> [Label] in
            guard let reader = try snapshot.namespace(namespace) else { return [] }
            let all = try reader.labels()
            guard !paging.search.isEmpty else { return all }
            return all.filter { $0.path.range(of: paging.search, options: .caseInsensitive) != nil }
        }
        let page = Self.page(labels, paging).map { label -> JSONValue in
            ["label": .string(label.path), "weight": .double(label.weight ?? 0)]
        }
        return .json([
            "items": .array(page), "total": .int(labels.count), "page": .int(paging.page), "size": .int(paging.size),
        ])
    }

    private static func page<T>(_ items: [T], _ paging: Paging) -> ArraySlice<T> {
        let (start, overflow) = (paging.page - 1).multipliedReportingOverflow(by: paging.size)
        guard !overflow, start < items.count else { return [] }
        return items[start..<min(start + paging.size, items.count)]
    }

    // MARK: A3, A4

    private struct AssetUpsert: Sendable {
        var id: String
        var name: String
        var labels: [String]?
    }

    /// A3: upserts each asset by `asset_id`: the name is replaced (absent means empty), the labels
    /// replaced when `labels` is given and kept when it is absent.
    func upsertAssets(_ request: Request) async throws -> Response {
        var errors = ValidationErrors()
        let (grant, program) = try caller(request, &errors)
        var upserts: [AssetUpsert] = []
        if let body = try await body(request, limit: runtime.limits.maxBulkRequestBytes, &errors) {
            let items = errors.collect { () throws(InputError) in
                try body.required("assets").array(maxItems: runtime.limits.maxAssetsPerRequest)
            }
            for item in items ?? [] {
                guard let object = errors.collect({ () throws(InputError) in try item.object() }) else { continue }
                let id = errors.collect { () throws(InputError) -> String in
                    let field = try object.required("asset_id")
                    // The vendor's own integration sends numbers: 42 is the asset "42".
                    if case .number(let number) = field.value, number.isIntegerLiteral {
                        let id = number.int64.map(String.init) ?? number.text
                        guard id.count <= Self.maxAssetIDCharacters else {
                            throw InputError(
                                field.location, .tooLong(limit: Self.maxAssetIDCharacters, unit: "characters"))
                        }
                        return id
                    }
                    let id = try field.string(maxCharacters: Self.maxAssetIDCharacters)
                    try NameRules.check(id, limit: NameRule.assetStringIDBytes, at: field.location)
                    return id
                }
                let name = errors.collect { () throws(InputError) in
                    try object.optional("asset_name")?.string(maxCharacters: Self.maxAssetNameCharacters) ?? ""
                }
                let labels = errors.collect { () throws(InputError) -> [String]?? in
                    guard let field = object.optional("labels") else { return .some(nil) }
                    return .some(try NameRules.labels(field, runtime: runtime))
                }
                if let id, let name, let labels {
                    upserts.append(AssetUpsert(id: id, name: name, labels: labels ?? nil))
                }
            }
        }
        try errors.check()
        let namespace = try namespace(grant, program)
        let batch = upserts
        try await runtime.submit(
            batch.map { upsert in
                .upsertAsset(
                    namespace, .typed(type: Self.assetType, id: upsert.id), AssetAttributes(name: upsert.name),
                    labels: upsert.labels.map { $0.map { LabelAssignment($0) } })
            }, namespace: namespace)
        return .json(["result": .string("\(batch.count) asset\(batch.count == 1 ? "" : "s") upserted")])
    }

    /// A4: the program's assets in creation order; `search` is a case-insensitive substring of
    /// the id, the name or a label.
    func listAssets(_ request: Request) async throws -> Response {
        var errors = ValidationErrors()
        let (grant, program) = try caller(request, &errors)
        let paging = paging(request, &errors)
        try errors.check()
        let namespace = try namespace(grant, program)
        let (items, total) = try await runtime.read { snapshot -> ([JSONValue], Int) in
            guard let reader = try snapshot.namespace(namespace) else { return ([], 0) }
            var matches: [Asset] = []
            var after: AssetOrdinal?
            while true {
                let batch = try reader.assets(after: after, limit: 1_024)
                guard let last = batch.last else { break }
                after = last.ordinal
                matches.append(contentsOf: batch.filter { Self.asset($0, matches: paging.search) })
            }
            return (Self.page(matches, paging).map(Self.json), matches.count)
        }
        return .json([
            "items": .array(items), "total": .int(total), "page": .int(paging.page), "size": .int(paging.size),
        ])
    }

    private static func asset(_ asset: Asset, matches search: String) -> Bool {
        guard !search.isEmpty else { return true }
        let fields = [LabelRepresentation.resource(asset.key).id, asset.name] + asset.labels.map(\.name)
        return fields.contains { $0.range(of: search, options: .caseInsensitive) != nil }
    }

    private static func json(_ asset: Asset) -> JSONValue {
        [
            "asset_id": .string(LabelRepresentation.resource(asset.key).id), "asset_name": .string(asset.name),
            "labels": .array(asset.labels.map { .string($0.name) }),
        ]
    }

    // MARK: A5

    /// A5: this server keeps no user event data, so every user is unknown.
    func userLabels(_ request: Request) async throws -> Response {
        var errors = ValidationErrors()
        let (grant, program) = try caller(request, &errors)
        try errors.check()
        _ = try namespace(grant, program)
        throw ActionHubError.userNotFound
    }
}
