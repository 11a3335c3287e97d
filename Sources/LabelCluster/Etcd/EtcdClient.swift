import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Why an etcd call failed.
package enum EtcdError: Error, CustomStringConvertible, Sendable {
    /// No member answered within the operation's time budget (no quorum, all down, or a
    /// partition): the caller must treat the operation's outcome as unknown.
    case unavailable(String)
    /// The requested revision was compacted away; watches must restart from a newer state.
    case compacted(revision: Int64)
    /// etcd refused the request (a gRPC status code and its message).
    case server(code: Int, message: String)
    /// The answer was not the JSON the gateway documents.
    case malformedResponse(String)

    package var description: String {
        switch self {
        case .unavailable(let message): "etcd is unavailable: \(message)"
        case .compacted(let revision): "etcd revision compacted (compact revision \(revision))"
        case .server(let code, let message): "etcd refused the request (code \(code)): \(message)"
        case .malformedResponse(let message): "unexpected answer from etcd: \(message)"
        }
    }
}

/// A client for etcd's v3 HTTP/JSON gateway over AsyncHTTPClient.
///
/// Every call tries the members in turn (starting with the one that answered last) until one
/// answers or `operationTimeout` has passed; each attempt is bounded by `attemptTimeout`, so a
/// member without quorum (which would block until etcd's own timeout) is left quickly. Only
/// operations that are safe to repeat go through here: reads, and writes guarded by a compare.
package final class EtcdClient: Sendable {
    package let endpoints: [String]
    package let attemptTimeout: Duration
    package let operationTimeout: Duration
    private let preferred = Mutex(0)
    private let http: HTTPClient

    /// The client of every `EtcdClient` unless told otherwise. Each followed partition holds
    /// one watch connection for as long as the node runs, so `HTTPClient.shared`'s 8
    /// connections per host would leave appends and further watches queued behind them.
    package static let connections: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1_024)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Largest answer read from etcd (a range of log entries is paged well below it).
    static let maximumResponseBytes = 64 << 20

    /// `endpoints`: client URLs such as `http://127.0.0.1:2379` (no trailing slash needed).
    package init(
        endpoints: [String], attemptTimeout: Duration = .seconds(2), operationTimeout: Duration = .seconds(6),
        http: HTTPClient = EtcdClient.connections
    ) {
        precondition(!endpoints.isEmpty, "at least one etcd endpoint")
        self.endpoints = endpoints.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.attemptTimeout = attemptTimeout
        self.operationTimeout = operationTimeout
        self.http = http
    }

    // MARK: KV

    /// Reads `key`, or every key in [key, rangeEnd) when `rangeEnd` is given.
    package func range(
        _ key: String, rangeEnd: String? = nil, limit: Int64 = 0, revision: Int64 = 0, keysOnly: Bool = false,
        countOnly: Bool = false
    ) async throws -> EtcdRange {
        var body: [String: Any] = ["key": EtcdJSON.base64(key)]
        if let rangeEnd { body["range_end"] = EtcdJSON.base64(rangeEnd) }
        if limit > 0 { body["limit"] = String(limit) }
        if revision > 0 { body["revision"] = String(revision) }
        if keysOnly { body["keys_only"] = true }
        if countOnly { body["count_only"] = true }
        let answer = try await call("/v3/kv/range", body)
        return EtcdRange(
            kvs: EtcdJSON.keyValues(answer["kvs"]), count: EtcdJSON.int64(answer["count"]),
            more: answer["more"] as? Bool ?? false, revision: EtcdJSON.revision(ofHeader: answer["header"]))
    }

    /// The value of `key`, or nil when it does not exist.
    package func get(_ key: String) async throws -> EtcdKeyValue? {
        try await range(key).kvs.first
    }

    package func put(_ key: String, _ value: [UInt8], lease: Int64 = 0) async throws {
        var body: [String: Any] = ["key": EtcdJSON.base64(key), "value": EtcdJSON.base64(value)]
        if lease != 0 { body["lease"] = String(lease) }
        _ = try await call("/v3/kv/put", body)
    }

    /// Runs `success` when every comparison holds, else `failure`, atomically.
    package func txn(
        compare: [EtcdCompare], success: [EtcdOperation], failure: [EtcdOperation] = []
    )
        async throws -> EtcdTxnResult
    {
        let body: [String: Any] = [
            "compare": compare.map(\.json), "success": success.map(\.json), "failure": failure.map(\.json),
        ]
        let answer = try await call("/v3/kv/txn", body)
        let responses = answer["responses"] as? [[String: Any]] ?? []
        let ranges = responses.compactMap { response -> [EtcdKeyValue]? in
            guard let range = response["response_range"] as? [String: Any] else { return nil }
            return EtcdJSON.keyValues(range["kvs"])
        }
        return EtcdTxnResult(
            succeeded: answer["succeeded"] as? Bool ?? false, revision: EtcdJSON.revision(ofHeader: answer["header"]),
            ranges: ranges)
    }

    /// Grants a lease of `ttl` seconds; returns its id.
    package func grantLease(ttl: Int64) async throws -> Int64 {
        let answer = try await call("/v3/lease/grant", ["TTL": String(ttl)])
        let id = EtcdJSON.int64(answer["ID"])
        guard id != 0 else { throw EtcdError.malformedResponse("lease grant without an ID") }
        return id
    }

    /// Renews a lease once.
    package func keepAlive(lease: Int64) async throws {
        _ = try await call("/v3/lease/keepalive", ["ID": String(lease)])
    }

    /// Ends a lease now: every key on it is deleted.
    package func revokeLease(_ lease: Int64) async throws {
        _ = try await call("/v3/lease/revoke", ["ID": String(lease)])
    }

    /// Discards history before `revision` (keys keep their newest values).
    package func compact(revision: Int64) async throws {
        do {
            _ = try await call("/v3/kv/compaction", ["revision": String(revision), "physical": false])
        } catch EtcdError.compacted {
            // Already compacted at or past `revision`: the goal holds.
        }
    }

    /// The status of one member: its id, the leader's id, the database size.
    package struct MemberStatus: Sendable {
        package var endpoint: String
        package var memberID: String
        package var leaderID: String
        package var dbSize: Int64
        package var revision: Int64
        package var isLeader: Bool { memberID == leaderID }
    }

    /// Asks one member (not any) for its status.
    package func status(of endpoint: String) async throws -> MemberStatus {
        let answer = try await attempt(endpoint, "/v3/maintenance/status", [:], timeout: attemptTimeout)
        let header = answer["header"] as? [String: Any] ?? [:]
        return MemberStatus(
            endpoint: endpoint, memberID: header["member_id"] as? String ?? "",
            leaderID: answer["leader"] as? String ?? "",
            dbSize: EtcdJSON.int64(answer["dbSize"]), revision: EtcdJSON.int64(header["revision"]))
    }

    // MARK: Watch

    /// One message of a watch stream.
    package struct WatchBatch: Sendable {
        /// The store revision the message was sent at.
        package var revision: Int64
        package var events: [EtcdEvent]
    }

    /// Watches the keys in [key, rangeEnd) from `startRevision` on one member for at most
    /// `duration`; the stream finishes when that time is up or the connection ends (the
    /// caller resumes from the last revision it saw + 1), and throws `EtcdError.compacted`
    /// when `startRevision` is no longer in the history.
    package func watch(
        key: String, rangeEnd: String, startRevision: Int64, duration: Duration = .seconds(30)
    )
        -> AsyncThrowingStream<WatchBatch, any Error>
    {
        let endpoint = currentEndpoint()
        let body: [String: Any] = [
            "create_request": [
                "key": EtcdJSON.base64(key), "range_end": EtcdJSON.base64(rangeEnd),
                "start_revision": String(startRevision),
            ]
        ]
        let payload = (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
        let http = http
        let attemptTimeout = attemptTimeout
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var request = HTTPClientRequest(url: endpoint + "/v3/watch")
                    request.method = .POST
                    request.body = .bytes(ByteBuffer(bytes: payload))
                    let response = try await http.execute(
                        request, deadline: .now() + .nanoseconds(Int64(duration.nanoseconds)))
                    guard response.status == .ok else {
                        throw EtcdError.unavailable("watch on \(endpoint) answered \(response.status.code)")
                    }
                    var pending: [UInt8] = []
                    var created = false
                    let createdBy = ContinuousClock.now + attemptTimeout
                    for try await chunk in response.body {
                        pending.append(contentsOf: chunk.readableBytesView)
                        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                            let line = Array(pending[..<newline])
                            pending.removeSubrange(...newline)
                            guard !line.isEmpty else { continue }
                            if let batch = try Self.watchMessage(line, created: &created) {
                                continuation.yield(batch)
                            }
                        }
                        if !created && ContinuousClock.now > createdBy {
                            throw EtcdError.unavailable("watch on \(endpoint) was not created in time")
                        }
                    }
                    continuation.finish()
                } catch {
                    if let error = error as? HTTPClientError, error == .deadlineExceeded {
                        continuation.finish()
                    } else if error is EtcdError {
                        continuation.finish(throwing: error)
                    } else {
                        self.rotate(from: endpoint)
                        continuation.finish(throwing: EtcdError.unavailable("watch on \(endpoint): \(error)"))
                    }
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private static func watchMessage(_ line: [UInt8], created: inout Bool) throws -> WatchBatch? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            throw EtcdError.malformedResponse("watch message is not JSON")
        }
        if let error = object["error"] as? [String: Any] {
            throw EtcdError.unavailable("watch failed: \(error["message"] ?? "")")
        }
        guard let result = object["result"] as? [String: Any] else { return nil }
        let compactRevision = EtcdJSON.int64(result["compact_revision"])
        if compactRevision > 0 { throw EtcdError.compacted(revision: compactRevision) }
        if result["canceled"] as? Bool == true {
            throw EtcdError.unavailable("watch canceled: \(result["cancel_reason"] ?? "")")
        }
        if result["created"] as? Bool == true { created = true }
        let events = (result["events"] as? [[String: Any]] ?? []).compactMap { event -> EtcdEvent? in
            guard let kv = EtcdJSON.keyValue(event["kv"]) else { return nil }
            return EtcdEvent(kind: event["type"] as? String == "DELETE" ? .delete : .put, kv: kv)
        }
        return WatchBatch(revision: EtcdJSON.revision(ofHeader: result["header"]), events: events)
    }

    // MARK: Transport

    private func currentEndpoint() -> String { endpoints[preferred.withLock { $0 } % endpoints.count] }

    private func rotate(from endpoint: String) {
        preferred.withLock { index in
            if endpoints[index % endpoints.count] == endpoint { index = (index + 1) % endpoints.count }
        }
    }

    /// Sends `body` to `path`, trying the members in turn until one answers within the budget.
    private func call(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + operationTimeout
        var lastProblem = "no attempt"
        while true {
            let endpoint = currentEndpoint()
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { throw EtcdError.unavailable(lastProblem) }
            do {
                return try await attempt(endpoint, path, body, timeout: min(attemptTimeout, remaining))
            } catch let error as EtcdError {
                guard case .unavailable(let problem) = error else { throw error }
                lastProblem = problem
            }
            rotate(from: endpoint)
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// One request to one member. Transport failures and etcd's "no leader / timed out"
    /// answers become `.unavailable` (worth trying another member).
    private func attempt(
        _ endpoint: String, _ path: String, _ body: [String: Any], timeout: Duration
    )
        async throws -> [String: Any]
    {
        var request = HTTPClientRequest(url: endpoint + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let data: Data
        do { data = try JSONSerialization.data(withJSONObject: body) } catch {
            throw EtcdError.malformedResponse("request not encodable: \(error)")
        }
        request.body = .bytes(ByteBuffer(bytes: data))
        let bytes: ByteBuffer
        let status: HTTPResponseStatus
        do {
            let response = try await http.execute(request, deadline: .now() + .nanoseconds(Int64(timeout.nanoseconds)))
            status = response.status
            bytes = try await response.body.collect(upTo: Self.maximumResponseBytes)
        } catch {
            throw EtcdError.unavailable("\(endpoint)\(path): \(error)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any]
        else {
            throw EtcdError.unavailable("\(endpoint)\(path) answered \(status.code) without JSON")
        }
        if let code = object["code"] {
            let number = Int(EtcdJSON.int64(code))
            let message = object["message"] as? String ?? object["error"] as? String ?? ""
            // 4 DeadlineExceeded, 14 Unavailable, and etcd's raft-level failures: another
            // member (or a moment later, a new leader) may succeed.
            if number == 4 || number == 14 || message.contains("leader") || message.contains("timed out")
                || message.contains("timeout")
            {
                throw EtcdError.unavailable("\(endpoint): \(message)")
            }
            if number == 11 && message.contains("compacted") { throw EtcdError.compacted(revision: 0) }
            throw EtcdError.server(code: number, message: message)
        }
        return object
    }
}

extension Duration {
    var nanoseconds: Double {
        Double(components.seconds) * 1e9 + Double(components.attoseconds) / 1e9
    }
}
