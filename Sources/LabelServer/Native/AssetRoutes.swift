import Hummingbird
import LabelCommands
import LabelFormats
import LabelIndex

/// Creating, reading and deleting assets (labels can only be put on assets that exist):
///
/// - `PUT /v1/assets/{asset_id}`: upsert one asset; 201 when created, 200 when updated.
/// - `GET /v1/assets/{asset_id}`, `DELETE /v1/assets/{asset_id}`.
/// - `POST /v1/assets`: bulk upsert from a JSON array, `{"assets": [...]}`, or NDJSON
///   (`Content-Type: application/x-ndjson`); all records are validated first, so a bad record
///   writes nothing. They are written in order in submissions of `jobChunkSize` records (one
///   transaction up to that size); when a later one fails (a full disk), the error's `applied`
///   says how many records were written before it. Upserts are idempotent, so the whole request
///   can be retried.
///
/// `asset_id` is an int64 (ProjectDiscovery assets) or `type:id` (e.g. `form:123`). The
/// namespace is chosen with `X-Namespace`.
struct AssetRoutes {
    let runtime: ServerRuntime

    func register(on router: Router<BasicRequestContext>) {
        router.put("/v1/assets/{asset_id}") { request, context in await respond { try await upsert(request, context) } }
        router.get("/v1/assets/{asset_id}") { request, context in await respond { try await get(request, context) } }
        router.delete("/v1/assets/{asset_id}") { request, context in
            await respond { try await delete(request, context) }
        }
        router.post("/v1/assets") { request, _ in await respond { try await bulkUpsert(request) } }
    }

    private func respond(_ body: () async throws -> Response) async -> Response {
        do { return try await body() } catch let failure as RecordFailure {
            var error = NativeError.from(failure.underlying, logger: runtime.logger)
            error.message = "record \(failure.index): \(error.message)"
            if failure.applied > 0 {
                error.message += " (the \(failure.applied) records before it were written)"
            }
            error.details["record"] = .int(failure.index)
            error.details["applied"] = .int(failure.applied)
            return error.response
        } catch { return NativeError.from(error, logger: runtime.logger).response }
    }

    private func key(_ context: BasicRequestContext) throws(InputError) -> AssetKey {
        try AssetInput.key(try context.pathParameter("asset_id"), at: .path("asset_id"))
    }

    func upsert(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try NativeCaller.resolve(request, runtime: runtime)
        let key = try key(context)
        let bytes = try await request.collectBody(limit: runtime.limits.maxRequestBytes)
        let object = try FieldReader(parseJSONBody(bytes), at: .body).object()
        let record = try AssetInput.record(object, key: key, runtime: runtime)
        let namespace = caller.namespace
        let outcome = try await runtime.submit([Self.command(record, in: namespace)], namespace: namespace)
            .result(0, \.upsertOutcome)
        // Read after the commit: the asset as stored then (a later write may already show).
        let asset = try await runtime.read { try $0.namespace(namespace)?.asset(record.key) }
        var writer = JSONWriter(capacity: 512)
        if case .created = outcome {
            writer.raw(#"{"created":true,"asset":"#)
        } else {
            writer.raw(#"{"created":false,"asset":"#)
        }
        if let asset { NativeAssetJSON.write(asset, into: &writer) } else { writer.raw("null") }
        writer.raw("}")
        let status: HTTPResponse.Status
        if case .created = outcome { status = .created } else { status = .ok }
        return .bytes(writer.bytes, contentType: "application/json; charset=utf-8", status: status)
    }

    func get(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try NativeCaller.resolve(request, runtime: runtime)
        let key = try key(context)
        let namespace = caller.namespace
        guard let asset = try await runtime.read({ try $0.namespace(namespace)?.asset(key) }) else {
            throw NativeError.notFound("asset \(key) not found")
        }
        return .bytes(NativeAssetJSON.bytes(asset), contentType: "application/json; charset=utf-8")
    }

    func delete(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let caller = try NativeCaller.resolve(request, runtime: runtime)
        let key = try key(context)
        let namespace = caller.namespace
        let deleted = try await runtime.submit([.deleteAsset(namespace, key)], namespace: namespace)
            .result(0, \.deleted)
        guard deleted else { throw NativeError.notFound("asset \(key) not found") }
        return .json(["deleted": true])
    }

    func bulkUpsert(_ request: Request) async throws -> Response {
        let caller = try NativeCaller.resolve(request, runtime: runtime)
        let bytes = try await request.collectBody(limit: runtime.limits.maxBulkRequestBytes)
        let records = try AssetInput.bulkRecords(bytes, encoding: request.bodyEncoding, runtime: runtime)
        let namespace = caller.namespace
        // Bounded submissions, so a large body never holds the writer for long: other
        // requests' writes commit between its chunks.
        let chunkSize = max(1, runtime.configuration.jobChunkSize)
        var created = 0
        for start in stride(from: 0, to: records.count, by: chunkSize) {
            let chunk = records[start..<min(start + chunkSize, records.count)]
            let results: [CommandResult]
            do {
                // One command per record, so a failing command's index is its record's.
                results = try await runtime.submit(chunk.map { Self.command($0, in: namespace) }, namespace: namespace)
            } catch let failure as CommandFailure {
                throw RecordFailure(index: start + failure.index, applied: start, underlying: failure.underlying)
            } catch {
                // The commit failed (not one record): name the chunk's first record.
                throw RecordFailure(index: start, applied: start, underlying: error)
            }
            for index in results.indices {
                if case .created = try results.result(index, \.upsertOutcome) { created += 1 }
            }
        }
        return .json(["count": .int(records.count), "created": .int(created), "updated": .int(records.count - created)])
    }

    private static func command(_ record: AssetUpsertRecord, in namespace: Namespace) -> WriteCommand {
        .upsertAsset(
            namespace, record.key, record.attributes, labels: record.labels.map { $0.map { LabelAssignment($0) } })
    }
}
