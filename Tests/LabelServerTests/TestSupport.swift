import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabelFormats
import LabelIndex
import LabelTestSupport
import Logging
import Testing

@testable import LabelServer

/// A reply, with its body parsed as JSON on demand.
struct Reply: Sendable {
    var status: Int
    var headers: HTTPFields
    var bytes: [UInt8]

    var text: String { String(decoding: bytes, as: UTF8.self) }

    var json: JSONValue {
        get throws { try JSONParser.parse(bytes) }
    }

    subscript(key: String) -> JSONValue? { (try? json)?[key] }

    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
}

extension ServerConfiguration {
    static func testing(
        authentication: Authentication = .apiKeys, limits: ServerLimits = ServerLimits(),
        asyncJobThreshold: Int = 10_000,
        jobChunkSize: Int = 5_000
    ) -> ServerConfiguration {
        ServerConfiguration(
            host: "127.0.0.1", port: 0, authentication: authentication, limits: limits,
            asyncJobThreshold: asyncJobThreshold,
            jobChunkSize: jobChunkSize, readThreads: 2)
    }
}

/// A server on a fresh store, driven in-process through HummingbirdTesting.
struct Harness: Sendable {
    let store: LabelStore
    let runtime: ServerRuntime
    /// `METHOD /path` of every registered route.
    let routes: [String]
    let client: any TestClientProtocol

    /// A new key of `account`; `scopes` `nil` grants them all.
    func key(_ account: String = "acme", scopes: [String]? = nil) throws -> String {
        try APIKeyStore(store: store).create(account: account, scopes: scopes, note: nil).secret
    }

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, headers: [String: String] = [:], json: String? = nil,
        body: [UInt8]? = nil, contentType: String? = nil
    ) async throws -> Reply {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        var payload = body
        if let json {
            payload = Array(json.utf8)
            fields[.contentType] = "application/json"
        }
        if let contentType { fields[.contentType] = contentType }
        let response = try await client.execute(
            uri: uri, method: method, headers: fields, body: payload.map { ByteBuffer(bytes: $0) })
        return Reply(
            status: Int(response.status.code), headers: response.headers, bytes: Array(response.body.readableBytesView))
    }

    /// Creates (or replaces) an integer-id asset through `PUT /v1/assets/{id}`.
    func putAsset(
        _ id: Int64, name: String = "", labels: [String]? = nil, enumeration: String? = nil, createdAt: String? = nil,
        metadata: String? = nil, key: String, namespace: String? = nil
    ) async throws {
        var members: [String] = ["\"name\":\(quoted(name))"]
        if let labels { members.append("\"labels\":[\(labels.map(quoted).joined(separator: ","))]") }
        if let enumeration { members.append("\"enumeration_id\":\(quoted(enumeration))") }
        if let createdAt { members.append("\"created_at\":\(quoted(createdAt))") }
        if let metadata { members.append("\"metadata\":\(metadata)") }
        var headers = ["X-API-Key": key]
        if let namespace { headers["X-Namespace"] = namespace }
        let reply = try await send(
            .put, "/v1/assets/\(id)", headers: headers, json: "{\(members.joined(separator: ","))}")
        #expect(reply.status == 201 || reply.status == 200, "PUT /v1/assets/\(id): \(reply.status) \(reply.text)")
    }

    /// Creates a label through `POST /API/label` with the JSON body `json`; returns its id.
    func createLabel(_ key: String, _ json: String) async throws -> String {
        let reply = try await send(.post, "/API/label", headers: ["APIKEY": key], json: json)
        #expect(reply.status == 200, "\(reply.text)")
        return try #require(reply["content"]?["id"]?.stringValue)
    }

    /// The labels of an asset, read straight from the store.
    func labels(of key: AssetKey, in namespace: String) throws -> [String]? {
        try store.read { try $0.namespace(Namespace(namespace))?.labels(of: key)?.map(\.name) }
    }
}

func quoted(_ text: String) -> String { String(decoding: JSONWriter.encode(.string(text)), as: UTF8.self) }

/// Runs `body` against a server on a fresh store.
func withServer(
    _ configuration: ServerConfiguration = .testing(), options: LabelStore.Options = TemporaryStore.fastOptions,
    _ body: @Sendable (Harness) async throws -> Void
) async throws {
    let temporary = try TemporaryStore(options: options)
    var logger = Logger(label: "labelserver-test")
    logger.logLevel = .critical
    let server = try LabelServer.makeServer(store: temporary.store, configuration: configuration, logger: logger)
    let routes = server.router.routes.map { "\($0.method) \($0.path)" }
    let runtime = server.runtime
    let store = temporary.store
    try await server.application.test(.router) { client in
        try await body(Harness(store: store, runtime: runtime, routes: routes, client: client))
    }
    withExtendedLifetime(temporary) {}
}

extension JSONValue {
    /// Strings of an array value.
    var strings: [String]? { arrayValue?.compactMap(\.stringValue) }

    var int: Int? { numberValue?.int64.map(Int.init) }
}
