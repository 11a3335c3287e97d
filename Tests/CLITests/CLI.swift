import Foundation
import Testing

/// What one run of the `labelindex` executable printed and how it exited.
struct CLIResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs the built `labelindex` (or `labelindex-bench`) executable, the way a user would.
enum CLI {
    /// The executable next to the test bundle (the test target depends on it, so
    /// `swift build --build-tests` builds it first).
    static func executable(_ name: String = "labelindex") throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appending(path: name) }
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "the \(name) executable is missing next to the tests: build it first (swift build --build-tests)")
    }

    /// Runs `PROGRAM ARGUMENTS` to completion. Output goes through files rather than pipes,
    /// so a large output cannot block the child while the test waits for it.
    @discardableResult
    static func run(
        _ arguments: [String], stdin: String? = nil, in directory: TemporaryDirectory? = nil,
        program: String = "labelindex", executableURL: URL? = nil, environment: [String: String] = [:]
    ) throws
        -> CLIResult
    {
        let scratch = try TemporaryDirectory()
        let stdoutURL = scratch.url.appending(path: "stdout")
        let stderrURL = scratch.url.appending(path: "stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = try executableURL ?? executable(program)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory.url }
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        if let stdin {
            let inputURL = scratch.url.appending(path: "stdin")
            try Data(stdin.utf8).write(to: inputURL)
            process.standardInput = try FileHandle(forReadingFrom: inputURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        try stdoutHandle.close()
        try stderrHandle.close()
        return CLIResult(
            status: process.terminationStatus,
            stdout: try String(contentsOf: stdoutURL, encoding: .utf8),
            stderr: try String(contentsOf: stderrURL, encoding: .utf8))
    }

    /// Runs a command that must succeed and returns its output.
    @discardableResult
    static func succeed(
        _ arguments: [String], program: String = "labelindex", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CLIResult {
        let result = try run(arguments, program: program)
        #expect(
            result.status == 0, "\(program) \(arguments.joined(separator: " ")):\n\(result)",
            sourceLocation: sourceLocation)
        return result
    }

    /// Runs `labelindex-bench ARGUMENTS` to completion.
    @discardableResult
    static func bench(_ arguments: [String]) throws -> CLIResult { try run(arguments, program: "labelindex-bench") }

    /// Runs `labelindex-bench ARGUMENTS`, which must succeed.
    @discardableResult
    static func benchSucceeds(
        _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws
        -> CLIResult
    {
        try succeed(arguments, program: "labelindex-bench", sourceLocation: sourceLocation)
    }
}

/// A fresh directory under the system's temporary directory, removed when released.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appending(path: "labelindex-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    func path(_ name: String) -> String { url.appending(path: name).path }

    /// Writes `text` to the file `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: url.appending(path: name))
        return path(name)
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A small labelled data set, as NDJSON, that several suites import.
enum SampleData {
    static let ndjson = """
        {"label":"env","color":"#1F77B4"}
        {"label":"prod","parent":"env"}
        {"label":"staging","parent":"env"}
        {"label":"api"}
        {"id":1,"name":"https://one.example","labels":["prod","api"]}
        {"id":2,"name":"https://two.example","labels":["staging"]}
        {"id":3,"name":"https://three.example","labels":["prod",{"name":"reviewed","weight":0.5}],"metadata":{"owner":"web","tier":1}}
        {"id":"251464995493876","type":"form","name":"Signup","asset_type":"page","labels":["api"]}
        {"id":5,"name":"unlabelled"}

        """

    /// A data directory (`data`) inside `directory` with the sample imported.
    static func importInto(_ directory: TemporaryDirectory) throws -> String {
        let file = try directory.write("sample.ndjson", ndjson)
        let data = directory.path("data")
        try CLI.succeed(["import", "--data-dir", data, "--no-progress", file])
        return data
    }
}

/// Decodes a command's JSON output.
func decodeJSON<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
    try JSONDecoder().decode(type, from: Data(text.utf8))
}
