import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The real `labelindex serve` in a child process, and an HTTP client talking to it.
final class ServerProcess: Sendable {
    let process: Process
    let port: Int
    /// The server's stderr goes to a file rather than a pipe: a pipe's `readabilityHandler`
    /// churns libdispatch's epoll sources, which crashed the test process on Linux when
    /// servers started and stopped concurrently (swift-corelibs-libdispatch#949).
    private let errorFile: TemporaryDirectory

    /// Starts `labelindex serve ARGUMENTS --port 0` and waits for its `listening on` line;
    /// with a `launcher`, runs `LAUNCHER… labelindex serve …` instead (a wrapper that prepares
    /// the environment, then runs the server and forwards SIGTERM to it).
    init(_ arguments: [String], launcher: [String] = []) async throws {
        let process = Process()
        let server = try CLI.executable()
        let command = ["serve", "--port", "0", "--read-threads", "2"] + arguments
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = launcher.dropFirst() + [server.path] + command
        } else {
            process.executableURL = server
            process.arguments = command
        }
        let errorFile = try TemporaryDirectory()
        let errorURL = errorFile.url.appending(path: "stderr")
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: errorURL)
        defer { try? errorHandle.close() }
        process.standardError = errorHandle
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.errorFile = errorFile
        var found: Int?
        for _ in 0..<1_200 where found == nil && process.isRunning {
            found =
                Self.text(of: errorFile).split(separator: "\n").lazy.compactMap { line -> Int? in
                    guard line.hasPrefix("listening on http://127.0.0.1:") else { return nil }
                    return Int(line.split(separator: ":").last ?? "")
                }.first
            if found == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let found else {
            process.terminate()
            throw ServerProcessError(message: "the server never printed its address:\n\(Self.text(of: errorFile))")
        }
        port = found
    }

    /// Everything the server printed on stderr so far.
    var stderr: String { Self.text(of: errorFile) }

    private static func text(of errorFile: TemporaryDirectory) -> String {
        (try? String(contentsOf: errorFile.url.appending(path: "stderr"), encoding: .utf8)) ?? ""
    }

    /// Sends SIGTERM and waits for the process to end; returns its exit status.
    func stop() async throws -> Int32 {
        process.terminate()
        for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "the server did not stop within 30 s of SIGTERM")
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "the server died of a signal")
        return process.terminationStatus
    }

    /// A request to the server; `json` sets a JSON body, `form` a form-encoded one.
    func send(
        _ method: HTTPMethod, _ path: String, headers: [String: String] = [:], json: String? = nil, form: String? = nil,
        ndjson: String? = nil
    ) async throws -> Reply {
        try await LoopbackServer(port: port).send(
            method, path, headers: headers, json: json, form: form, ndjson: ndjson)
    }
}

struct ServerProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// An HTTP response with its body parsed as JSON on demand.
struct Reply: CustomStringConvertible {
    var status: Int
    var headers: HTTPHeaders
    var text: String

    var json: JSON? { try? JSON.parse(text) }

    subscript(key: String) -> JSON? { json?[key] }

    var description: String { "\(status) \(text)" }
}

/// A server on loopback at `port`, whoever started it (a `ServerProcess`, `scripts/cluster`).
struct LoopbackServer: Sendable {
    let port: Int

    /// A request to the server; `json` sets a JSON body, `form` a form-encoded one.
    func send(
        _ method: HTTPMethod, _ path: String, headers: [String: String] = [:], json: String? = nil, form: String? = nil,
        ndjson: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        if let ndjson {
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/x-ndjson")
            request.body = .bytes(ByteBuffer(string: ndjson))
        }
        if let form {
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: body))
    }
}
