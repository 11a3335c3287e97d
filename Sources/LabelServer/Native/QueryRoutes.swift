import Hummingbird
import LabelFormats
import LabelIndex
import LabelQuery
import Synchronization

/// `GET /v1/query` (query parameters) and `POST /v1/query` (JSON body): runs a query of the
/// LabelIndex query language in the caller's namespace (`X-Namespace`).
///
/// Parameters: `q` (required), `limit` (0 … max page size, default 100; 0 returns no page),
/// `cursor` (from `next_cursor`), `count` (default true), `count_only`, `facets` (label names;
/// comma-separated in a query string), `explain`, `fields` (asset fields to return, `id` always;
/// comma-separated in a query string; default all). Parse errors come back as 400 with `offset`,
/// `length`, `line`, `column`, `endColumn`, `fragment`, `expected`, `hint` and `message`.
struct QueryRoutes {
    let runtime: ServerRuntime
    let preparedQueries: PreparedQueryCache

    init(runtime: ServerRuntime) {
        self.runtime = runtime
        self.preparedQueries = PreparedQueryCache(limits: runtime.limits.query)
    }

    struct Parameters: Sendable {
        var text: String
        var limit: Int
        var cursor: QueryCursor?
        var includeCount = true
        var facets: [String] = []
        var explain = false
        var fields = AssetFields.all
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/query") { request, _ in
            await respond {
                let caller = try NativeCaller.resolve(request, runtime: runtime)
                return try await run(try parameters(query: request.queryFields()), caller: caller)
            }
        }
        router.post("/v1/query") { request, _ in
            await respond {
                let caller = try NativeCaller.resolve(request, runtime: runtime)
                let bytes = try await request.collectBody(limit: runtime.limits.maxRequestBytes)
                return try await run(try parameters(body: parseJSONBody(bytes)), caller: caller)
            }
        }
    }

    private func respond(_ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch { return NativeError.from(error, logger: runtime.logger).response }
    }

    private var maximumLimit: Int { min(runtime.limits.maxPageSize, QueryRequest.maximumLimit) }

    func parameters(query: FormFields) throws -> Parameters {
        guard let text = query["q"] else { throw InputError(.query("q"), .missing) }
        var parameters = Parameters(
            text: text,
            limit: try query["limit"].map {
                try QueryValues.pageSize($0, minimum: 0, maximum: maximumLimit, at: .query("limit"))
            }
                ?? runtime.limits.defaultPageSize)
        parameters.cursor = query["cursor"].flatMap { $0.isEmpty ? nil : QueryCursor(rawValue: $0) }
        if let count = query["count"] { parameters.includeCount = try QueryValues.bool(count, at: .query("count")) }
        if let countOnly = query["count_only"], try QueryValues.bool(countOnly, at: .query("count_only")) {
            parameters.limit = 0
            parameters.includeCount = true
        }
        if let facets = query["facets"] {
            parameters.facets = facets.split(separator: ",").map(String.init)
        }
        if let explain = query["explain"] { parameters.explain = try QueryValues.bool(explain, at: .query("explain")) }
        if let fields = query["fields"] {
            parameters.fields = try AssetFields(
                names: fields.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
                at: .query("fields"))
        }
        try checkFacets(parameters.facets, at: .query("facets"))
        return parameters
    }

    func parameters(body value: JSONValue) throws -> Parameters {
        let body = try FieldReader(value, at: .body).object()
        try body.rejectUnknownKeys(["q", "limit", "cursor", "count", "count_only", "facets", "explain", "fields"])
        var parameters = Parameters(
            text: try body.required("q").string(),
            limit: min(try body.optional("limit")?.int(in: 0...Int.max) ?? runtime.limits.defaultPageSize, maximumLimit)
        )
        parameters.cursor = try body.optional("cursor")?.string().nonEmpty.map(QueryCursor.init(rawValue:))
        parameters.includeCount = try body.optional("count")?.bool() ?? true
        if try body.optional("count_only")?.bool() == true {
            parameters.limit = 0
            parameters.includeCount = true
        }
        if let facets = body.optional("facets") {
            parameters.facets = try facets.array(maxItems: runtime.limits.maxFacets).map { try $0.string() }
        }
        parameters.explain = try body.optional("explain")?.bool() ?? false
        if let fields = body.optional("fields") {
            parameters.fields = try AssetFields(
                names: try fields.array(maxItems: AssetFields.byName.count).map { try $0.string() },
                at: InputLocation(.body, [.key("fields")]))
        }
        try checkFacets(parameters.facets, at: InputLocation(.body, [.key("facets")]))
        return parameters
    }

    private func checkFacets(_ facets: [String], at location: InputLocation) throws(InputError) {
        if facets.count > runtime.limits.maxFacets {
            throw InputError(location, .tooManyItems(limit: runtime.limits.maxFacets, found: facets.count))
        }
    }

    func run(_ parameters: Parameters, caller: NativeCaller) async throws -> Response {
        let query: PreparedQuery
        do { query = try preparedQueries.prepare(parameters.text) } catch {
            throw NativeError.from(error, logger: runtime.logger)
        }
        let request = QueryRequest(
            limit: parameters.limit, cursor: parameters.cursor, includeCount: parameters.includeCount,
            contents: parameters.fields.isEmpty ? .keys : .assets,
            facets: parameters.facets, explain: parameters.explain)
        let namespace = caller.namespace
        // A namespace nothing was ever written to has no matches.
        let result = try await runtime.query(account: caller.grant.account) { snapshot, budget -> QueryResult? in
            guard let reader = try snapshot.namespace(namespace) else { return nil }
            var request = request
            request.budget = budget
            return try reader.run(query, request)
        }
        let keys = result?.keys ?? []
        let assets = result?.assets ?? []
        var writer = JSONWriter(capacity: 256 + 256 * assets.count + 32 * keys.count)
        writer.raw(#"{"query":"#)
        writer.writeString(query.text)
        if parameters.includeCount {
            writer.raw(#","count":"#)
            writer.writeInt(result?.count ?? 0)
        }
        writer.raw(#","assets":["#)
        for (position, asset) in assets.enumerated() {
            if position > 0 { writer.raw(",") }
            NativeAssetJSON.write(asset, fields: parameters.fields, into: &writer)
        }
        for (position, key) in keys.enumerated() {
            if position > 0 { writer.raw(",") }
            NativeAssetJSON.write(key, into: &writer)
        }
        writer.raw(#"],"next_cursor":"#)
        writer.write((result?.nextCursor?.rawValue).json)
        if !parameters.facets.isEmpty {
            let facets = result?.facets ?? parameters.facets.map { QueryResult.Facet(label: $0, count: 0) }
            writer.raw(#","facets":"#)
            writer.write(
                .array(
                    facets.map { facet -> JSONValue in ["label": .string(facet.label), "count": .int(facet.count)] }))
        }
        writer.raw(#","warnings":"#)
        writer.write(.array((result?.warnings ?? []).map { .string($0.description) }))
        if let explanation = result?.explanation {
            writer.raw(#","explain":"#)
            writer.write(NativeAssetJSON.explanation(explanation))
        }
        writer.raw("}")
        return .bytes(writer.bytes, contentType: "application/json; charset=utf-8")
    }
}

/// Parsed queries by text, so repeated queries skip parsing and reuse their cached plans.
final class PreparedQueryCache: Sendable {
    private let limits: QueryLimits
    private let entries = Mutex<[String: PreparedQuery]>([:])
    static let capacity = 512

    init(limits: QueryLimits) { self.limits = limits }

    func prepare(_ text: String) throws(QueryError) -> PreparedQuery {
        if let cached = entries.withLock({ $0[text] }) { return cached }
        let query = try PreparedQuery(text, limits: limits)
        // Long texts (asset lists) are not worth keeping.
        guard text.utf8.count <= 4_096 else { return query }
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[text] = query
        }
        return query
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
