import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabelIndex
import LabelTestSupport
import Logging
import Synchronization
import Testing

@testable import LabelServer

/// `LabelServer.run` on a real socket: port 0, the logged address, requests over TCP, and a
/// clean stop that leaves every acknowledged write in the store.
@Suite struct LiveServerTests {
    @Test func runServesOnAnEphemeralPort() async throws {
        let temporary = try TemporaryStore()
        let key = try APIKeyStore(store: temporary.store).create(account: "acme", scopes: nil, note: nil).secret
        let capture = LogCapture()
        let logger = Logger(label: "live") { _ in CapturingLogHandler(capture: capture) }
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, readThreads: 2)
        let store = temporary.store
        let server = Task { try await LabelServer.run(store: store, configuration: configuration, logger: logger) }
        var port: Int?
        for _ in 0..<5_000 where port == nil {
            port =
                capture.lines.compactMap { line in
                    line.hasPrefix("server started http://127.0.0.1:") ? Int(line.split(separator: ":").last!) : nil
                }.first
            try await Task.sleep(for: .milliseconds(1))
        }
        let boundPort = try #require(port, "\(capture.lines)")
        #expect(boundPort != 0)
        try await TestClient.withClient(host: "127.0.0.1", port: boundPort) { client in
            var headers = HTTPFields()
            headers[HTTPField.Name("X-API-Key")!] = key
            headers[.contentType] = "application/json"
            let health = try await client.get("/healthz")
            #expect(health.status == .ok)
            let created = try await client.put(
                "/v1/assets/7", headers: headers, body: ByteBuffer(string: #"{"name":"live"}"#))
            #expect(created.status == .created)
            let added = try await client.post(
                "/v1/asset/7/labels", headers: headers, body: ByteBuffer(string: #"{"labels":["on-the-wire"]}"#))
            #expect(added.status == .ok)
            let listed = try await client.get("/v1/asset/enumerate/contents", headers: headers)
            #expect(listed.body.map { String(buffer: $0) }?.contains("on-the-wire") == true)
        }
        server.cancel()
        _ = await server.result
        #expect(
            try await store.read { try $0.namespace("acme/default")?.labels(of: .id(7))?.map(\.name) } == [
                "on-the-wire"
            ])
    }

    /// The same application through HummingbirdTesting's live framework (a real socket).
    @Test func applicationOverTCP() async throws {
        let temporary = try TemporaryStore()
        let application = try LabelServer.makeApplication(
            store: temporary.store, configuration: .testing(authentication: .disabled), logger: Logger(label: "live"))
        try await application.test(.live) { client in
            let reply = try await client.execute(uri: "/v1/query?q=*", method: .get)
            #expect(reply.status == .ok)
            #expect(reply.headers[HTTPField.Name("X-LabelIndex-Auth")!] == "disabled")
        }
    }
}

final class LogCapture: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    func append(_ line: String) { storage.withLock { $0.append(line) } }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let address = event.metadata?["address"].map { " \($0)" } ?? ""
        capture.append(event.message.description + address)
    }
}
