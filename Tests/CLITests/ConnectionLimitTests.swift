import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The connection limits of `labelindex serve` over raw sockets: idle, partial-header and
/// stalled-body connections are closed by their own timeouts, connections past the cap are
/// answered 503 and `/healthz` answers again once they close, and malformed chunked bodies are
/// answered 400 without an error log line.
@Suite(.serialized) struct ConnectionLimitTests {
    /// Long timeouts except the ones a test sets, so each test sees only the one it measures.
    static func serve(_ directory: TemporaryDirectory, _ limits: [String]) async throws -> ServerProcess {
        var arguments = [
            "--data-dir", directory.path("data"), "--no-auth", "--idle-timeout", "60", "--header-timeout", "60",
            "--body-timeout", "60",
        ]
        arguments += limits
        return try await ServerProcess(arguments)
    }

    @Test func anIdleConnectionIsClosedByTheIdleTimeout() async throws {
        let directory = try TemporaryDirectory()
        let server = try await Self.serve(directory, ["--idle-timeout", "1"])
        let fresh = try RawConnection(port: server.port)
        let (silent, freshText) = try fresh.readUntilClosed()
        #expect(freshText.isEmpty && silent > 0.8 && silent < 10, "closed after \(silent) s: \(freshText)")

        // After a keep-alive response the idle timeout starts again.
        let kept = try RawConnection(port: server.port)
        try kept.send("GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        let (_, text) = try kept.readUntilClosed()
        #expect(text.hasPrefix("HTTP/1.1 200"), "\(text)")
        #expect(try await server.stop() == 0)
    }

    @Test func aPartialHeaderIsAnswered408ByTheHeaderTimeout() async throws {
        let directory = try TemporaryDirectory()
        let server = try await Self.serve(directory, ["--header-timeout", "1"])
        let connection = try RawConnection(port: server.port)
        try connection.send("GET /healthz HTTP/1.1\r\nHost: te")
        let (elapsed, text) = try connection.readUntilClosed()
        #expect(text.hasPrefix("HTTP/1.1 408"), "\(text)")
        #expect(elapsed > 0.8 && elapsed < 10, "closed after \(elapsed) s")
        #expect(try await server.stop() == 0)
    }

    @Test func aStalledBodyIsClosedByTheBodyTimeout() async throws {
        let directory = try TemporaryDirectory()
        let server = try await Self.serve(directory, ["--body-timeout", "1"])
        let connection = try RawConnection(port: server.port)
        try connection.send(
            "POST /v1/query HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"q\":"
        )
        let (elapsed, text) = try connection.readUntilClosed()
        #expect(elapsed > 0.8 && elapsed < 10, "closed after \(elapsed) s: \(text)")
        #expect(!text.contains("HTTP/1.1 5"), "\(text)")
        #expect(try await server.stop() == 0)
    }

    @Test func connectionsPastTheCapAreRefusedUntilOthersClose() async throws {
        let directory = try TemporaryDirectory()
        let server = try await Self.serve(directory, ["--max-connections", "3"])
        var open = try (0..<3).map { _ in try RawConnection(port: server.port) }
        // Each of the three is accepted and counted: it answers a request.
        for connection in open {
            try connection.send("GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
            #expect(try connection.readSome().hasPrefix("HTTP/1.1 200"))
        }
        let refused = try RawConnection(port: server.port)
        try refused.send("GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        let (_, text) = try refused.readUntilClosed()
        #expect(text.hasPrefix("HTTP/1.1 503"), "\(text)")
        #expect(text.contains("Retry-After: 1"), "\(text)")
        #expect(text.contains("limit of 3 open connections"), "\(text)")

        open.removeAll()  // closes them
        var healthy = false
        for _ in 0..<50 where !healthy {
            try await Task.sleep(for: .milliseconds(100))
            let again = try RawConnection(port: server.port)
            try again.send("GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
            healthy = try again.readUntilClosed().text.hasPrefix("HTTP/1.1 200")
        }
        #expect(healthy, "/healthz did not answer after the connections closed")
        #expect(server.stderr.contains("refusing connections: 3 are open"), "\(server.stderr)")
        #expect(try await server.stop() == 0)
    }

    @Test(arguments: [
        "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked\r\n\r\n-5\r\n{}\r\n0\r\n\r\n",
        "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
        "Transfer-Encoding: xchunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    ])
    func malformedChunkedBodiesAre400(framing: String) async throws {
        let directory = try TemporaryDirectory()
        let server = try await Self.serve(directory, [])
        let connection = try RawConnection(port: server.port)
        try connection.send("POST /v1/query HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" + framing)
        let (_, text) = try connection.readUntilClosed()
        #expect(text.hasPrefix("HTTP/1.1 400"), "\(text)")
        #expect(try await server.stop() == 0)
        #expect(!server.stderr.contains("error"), "\(server.stderr)")
    }
}

/// A blocking TCP connection to 127.0.0.1, closed when released. Reads give up after 15 s so
/// a server that never closes fails the test instead of hanging it.
final class RawConnection {
    let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ServerProcessError(message: "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(socket)
            throw ServerProcessError(message: "connect: errno \(errno)")
        }
    }

    deinit { close(socket) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw ServerProcessError(message: "send: errno \(errno)") }
    }

    /// Reads once (what has arrived, at least one byte).
    func readSome() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw ServerProcessError(message: "recv returned \(count), errno \(errno)") }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Reads until the server closes the connection; returns the seconds that took and the text.
    func readUntilClosed() throws -> (seconds: Double, text: String) {
        let start = Date()
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count == 0 || (count < 0 && errno == ECONNRESET) { break }
            guard count > 0 else {
                throw ServerProcessError(
                    message: "the server did not close the connection (errno \(errno)); got: "
                        + String(decoding: received, as: UTF8.self))
            }
            received += buffer[..<count]
        }
        return (Date().timeIntervalSince(start), String(decoding: received, as: UTF8.self))
    }
}
