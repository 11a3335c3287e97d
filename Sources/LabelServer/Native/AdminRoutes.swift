import Foundation
import Hummingbird
import LabelFormats
import LabelIndex

/// `GET /v1/stats`, `GET /v1/jobs/{job_id}`, `GET /v1/cluster/snapshot` (a replicated node's
/// newest snapshot, for peers holding the cluster's secret), and the unauthenticated
/// `GET /healthz`, `GET /metrics` (Prometheus text) and `GET /openapi.json`.
struct AdminRoutes {
    let runtime: ServerRuntime
    let openAPIDocument: [UInt8]

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/stats") { request, _ in await respond { try await stats(request) } }
        router.get("/v1/jobs/{job_id}") { request, context in await respond { try await job(request, context) } }
        router.get("/v1/cluster/snapshot") { request, context in
            await respond { try await snapshot(request, context) }
        }
        router.get("/healthz") { _, _ in Response.json(["status": "ok"]) }
        router.get("/metrics") { _, _ in await metrics() }
        router.get("/openapi.json") { _, _ in
            Response.bytes(openAPIDocument, contentType: "application/json; charset=utf-8")
        }
    }

    private func respond(_ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch { return NativeError.from(error, logger: runtime.logger).response }
    }

    /// Totals of the caller's namespaces: every scope of the account the key grants, or only
    /// the one named by `X-Namespace`.
    func stats(_ request: Request) async throws -> Response {
        let grant = try NativeCaller.authenticate(request, runtime: runtime)
        let explicit = request.headers[HTTPFieldNames.namespace] != nil
        let caller = explicit ? try NativeCaller.resolve(request, runtime: runtime) : nil
        let prefix = "\(grant.account)/"
        let namespaces = try await runtime.read { snapshot -> [JSONValue] in
            var result: [JSONValue] = []
            for namespace in try snapshot.namespaces() where namespace.name.hasPrefix(prefix) {
                guard let scope = try? TenantScope(parsing: String(namespace.name.dropFirst(prefix.count))),
                    grant.allows(scope), caller.map({ $0.scope == scope }) ?? true,
                    let reader = try snapshot.namespace(namespace)
                else { continue }
                result.append([
                    "scope": .string(scope.description), "namespace": .string(namespace.name),
                    "assets": .int(reader.assetCount),
                    "labels": .int(reader.labelCount), "pairs": .int(try reader.pairCount()),
                ])
            }
            return result
        }
        return .json(["account": .string(grant.account), "namespaces": .array(namespaces)])
    }

    /// A queued bulk label job of the caller's account.
    func job(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let grant = try NativeCaller.authenticate(request, runtime: runtime)
        let id = try context.pathParameter("job_id")
        let job = try await runtime.read { try BulkJob.load(id: id, from: $0) }
        guard let job, job.account == grant.account, let scope = try? TenantScope(parsing: job.scope),
            grant.allows(scope)
        else {
            throw NativeError.notFound("job \(id.prefix(40)) not found")
        }
        return .json(job.json)
    }

    /// The newest snapshot's `data.mdb`, with its SHA-256 and applied sequences in headers.
    func snapshot(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        // The credential is asked for first, on every server: a request without one learns
        // nothing, not even whether this server is a cluster node.
        guard let credential = request.headers[.authorization], credential.lowercased().hasPrefix("bearer ") else {
            throw NativeError(
                status: .unauthorized, code: "unauthorized",
                message: "snapshots are for nodes of this cluster: send Authorization: Bearer <cluster secret>")
        }
        guard let snapshots = runtime.configuration.snapshots else {
            throw NativeError.notFound("this server is not a cluster node: it has no snapshots")
        }
        guard await snapshots.authorizes(secret: String(credential.dropFirst("bearer ".count))) else {
            throw NativeError(status: .unauthorized, code: "unauthorized", message: "not this cluster's secret")
        }
        guard let file = snapshots.newestSnapshot() else {
            throw NativeError.notFound("this node has no snapshot yet")
        }
        let body = try await FileIO().loadFile(path: file.path, context: context)
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentLength] = String(file.bytes)
        headers[HTTPFieldNames.snapshotSHA256] = file.sha256
        headers[HTTPFieldNames.snapshotSequences] = file.sequences
        return Response(status: .ok, headers: headers, body: body)
    }

    func metrics() async -> Response {
        do {
            let statistics = try await runtime.read { try $0.statistics() }
            runtime.metrics.updateStoreTotals(statistics)
        } catch {
            runtime.logger.warning("could not read store totals for /metrics", metadata: ["error": "\(error)"])
        }
        return .bytes(runtime.metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
