import Hummingbird
import LabelCommands
import LabelFormats
import LabelIndex
import LabelQuery
import NIOCore
import ServiceLifecycle
import Synchronization

/// `GET /v1/changes?since=SEQ[&follow=false]`: the caller's namespace's applied log entries as
/// NDJSON, one line per entry, then (by default) new ones as this node applies them, on a
/// connection held open until the client goes away or the server shuts down. Replicated nodes
/// only: a single node keeps no log (404).
struct ChangeRoutes {
    let runtime: ServerRuntime
    let feeds: FeedSlots

    init(runtime: ServerRuntime) {
        self.runtime = runtime
        self.feeds = FeedSlots(limit: runtime.limits.maxChangeFeeds)
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/changes") { request, _ in
            do { return try await changes(request) } catch {
                return NativeError.from(error, logger: runtime.logger).response
            }
        }
    }

    func changes(_ request: Request) async throws -> Response {
        let caller = try NativeCaller.resolve(request, runtime: runtime)
        guard let feed = runtime.configuration.changes else {
            throw NativeError.notFound("this server is not a cluster node: it keeps no log of changes")
        }
        let query = try request.queryFields()
        let since =
            try query["since"].map { text throws(InputError) -> UInt64 in
                guard let value = UInt64(text), value < UInt64(Int64.max) else {
                    throw InputError(.query("since"), .invalidValue("must be a sequence number (0 or more)"))
                }
                return value
            } ?? 0
        let follow = try query["follow"].map { try QueryValues.bool($0, at: .query("follow")) } ?? true
        guard feeds.acquire() else {
            throw NativeError(
                status: .serviceUnavailable, code: "unavailable",
                message:
                    "this node already serves \(feeds.limit) changes feeds (the limit); retry later or use another node"
            )
        }
        let changes: AsyncThrowingStream<AppliedChange, any Error>
        do {
            changes = try await feed.changes(of: caller.namespace, after: since, follow: follow)
        } catch let trimmed as ChangesTrimmed {
            feeds.release()
            throw NativeError(
                status: .gone, code: "gone", message: trimmed.description, details: ["start": .int(trimmed.start)])
        } catch {
            feeds.release()
            throw NativeError(
                status: .serviceUnavailable, code: "unavailable", message: "cannot read the log: \(error)")
        }
        let lines = Self.relay(changes, until: ClientConnection.cancellation, release: feeds.release)
        var headers = HTTPFields()
        headers[.contentType] = "application/x-ndjson"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await withGracefulShutdownHandler {
                    for try await line in lines.stream { try await writer.write(line) }
                } onGracefulShutdown: {
                    lines.end()
                }
                try await writer.finish(nil)
            })
    }

    /// The feed as lines, ended when the client's connection closes (Hummingbird does not
    /// cancel a response body's writer then, and an idle feed writes nothing that would fail),
    /// when the feed ends, or by `end()`. A trimmed log seen mid-stream ends the response: the
    /// client's next request gets the 410.
    static func relay(
        _ changes: AsyncThrowingStream<AppliedChange, any Error>, until cancellation: QueryCancellation?,
        release: @escaping @Sendable () -> Void
    ) -> (stream: AsyncStream<ByteBuffer>, end: @Sendable () -> Void) {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let pump = Task {
            do {
                for try await change in changes { continuation.yield(ByteBuffer(bytes: Self.line(change))) }
            } catch {}
            continuation.finish()
        }
        let watcher = Task {
            while !Task.isCancelled, cancellation?.isCancelled != true {
                try? await Task.sleep(for: .milliseconds(250))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            pump.cancel()
            watcher.cancel()
            release()
        }
        return (stream, { continuation.finish() })
    }

    /// `{"sequence":S,"partition":P,"namespace":"…","submissions":[{"timestamp":T,"commands":[…]}]}`
    static func line(_ change: AppliedChange) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.raw("{\"sequence\":")
        writer.writeInt(change.sequence)
        writer.raw(",\"partition\":")
        writer.writeInt(change.partition)
        writer.raw(",\"namespace\":")
        writer.writeString(change.namespace.name)
        writer.raw(",\"submissions\":[")
        for (position, submission) in change.submissions.enumerated() {
            if position > 0 { writer.raw(",") }
            writer.raw("{\"timestamp\":")
            writer.writeInt(submission.timestamp)
            writer.raw(",\"commands\":[")
            for (index, command) in submission.commands.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.rawText(CommandCodec.json(command))
            }
            writer.raw("]}")
        }
        writer.raw("]}\n")
        return writer.bytes
    }
}

/// Counts the open changes feeds against their limit.
final class FeedSlots: Sendable {
    let limit: Int
    private let open = Mutex(0)

    init(limit: Int) { self.limit = limit }

    func acquire() -> Bool {
        open.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    @Sendable func release() { open.withLock { $0 -= 1 } }
}
