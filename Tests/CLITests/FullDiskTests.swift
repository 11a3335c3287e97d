import Foundation
import Testing

/// `labelindex import` and `serve` on a file system that fills up: a small tmpfs, mounted in a
/// private mount namespace of a user namespace (`unshare -rm`, so no mount outlives the test and
/// no privilege beyond user namespaces is needed). The CLI exits 1 with a message that names the
/// full disk, the server answers 507 and goes on serving reads, and `check` finds the store
/// consistent afterwards.
@Suite(.serialized) struct FullDiskTests {
    /// Mounts a tmpfs of SIZE at DIR, runs PROGRAM… there (forwarding SIGTERM), then prints
    /// `program-status=N` and `labelindex check` of DIR/data with `check-status=N` on stderr.
    static let script = #"""
        size=$1; dir=$2; shift 2
        mount -t tmpfs -o size="$size" tmpfs "$dir" || { echo "cannot mount a tmpfs at $dir" >&2; exit 90; }
        exe=$1
        "$@" &
        pid=$!
        trap 'kill -TERM $pid; stopping=1' TERM
        wait $pid; status=$?
        if [ -n "$stopping" ]; then wait $pid; status=$?; fi
        echo "program-status=$status" >&2
        "$exe" check --data-dir "$dir/data" >&2
        echo "check-status=$?" >&2
        exit $status
        """#

    static func launcher(_ directory: TemporaryDirectory, size: String) throws -> (launcher: [String], disk: String) {
        let script = try directory.write("small-disk.sh", Self.script)
        let disk = directory.path("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        return (["/usr/bin/unshare", "-rm", "/bin/sh", script, size, disk], disk)
    }

    /// 6,000 assets with 400-byte names: about 3 MB of records, three times the disk.
    static func largeImport(_ directory: TemporaryDirectory) throws -> String {
        var lines = [#"{"label":"env"}"#]
        let padding = String(repeating: "x", count: 400)
        for id in 1...6_000 {
            lines.append(#"{"id":\#(id),"name":"https://\#(id).example/\#(padding)","labels":["env"]}"#)
        }
        return try directory.write("large.ndjson", lines.joined(separator: "\n") + "\n")
    }

    @Test func importOntoAFullDiskExitsWithAClearError() throws {
        let directory = try TemporaryDirectory()
        let file = try Self.largeImport(directory)
        let (launcher, disk) = try Self.launcher(directory, size: "1m")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher[0])
        process.arguments =
            launcher.dropFirst() + [
                try CLI.executable().path, "import", "--data-dir", disk + "/data", "--no-progress", file,
            ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(output)")
        #expect(output.contains("error: the disk holding \(disk)/data is full"), "\(output)")
        #expect(!output.contains("Input/output error"), "\(output)")
        #expect(!output.contains("large.ndjson:"), "a full disk is not a bad line: \(output)")
        #expect(output.contains("check-status=0"), "\(output)")
    }

    @Test func theServerAnswers507AndKeepsServingReads() async throws {
        let directory = try TemporaryDirectory()
        let (launcher, disk) = try Self.launcher(directory, size: "2m")
        let server = try await ServerProcess(["--data-dir", disk + "/data", "--no-auth"], launcher: launcher)
        let seeded = try await server.send(.PUT, "/v1/assets/1", json: #"{"name":"one","labels":["env"]}"#)
        #expect(seeded.status == 201, "\(seeded)")

        let padding = String(repeating: "y", count: 400)
        var full: Reply?
        for round in 0..<20 where full == nil {
            let body = (0..<1_000).map { index in
                #"{"id":\#(1_000 + round * 1_000 + index),"name":"https://\#(index).example/\#(padding)","labels":["env"]}"#
            }.joined(separator: "\n")
            // Small writes beside the large one: a failing group commit retries its members in
            // smaller groups, so each answers for itself (never 500).
            async let small = (0..<8).asyncMap { index in
                try await server.send(.PUT, "/v1/assets/\(900 + index)", json: #"{"name":"small"}"#)
            }
            let reply = try await server.send(
                .POST, "/v1/assets", ndjson: body)
            for answer in try await small { #expect([200, 201, 507].contains(answer.status), "\(answer)") }
            if reply.status == 507 { full = reply } else { #expect(reply.status == 200, "\(reply)") }
        }
        let refused = try #require(full, "2 MB of tmpfs never filled up")
        #expect(refused["error"]?.string == "insufficient_storage", "\(refused)")
        #expect(refused["message"]?.string?.contains("the disk holding \(disk)/data is full") == true, "\(refused)")

        let read = try await server.send(.GET, "/v1/assets/1")
        #expect(read.status == 200, "\(read)")
        let count = try await server.send(.GET, "/v1/query?q=label:env&count_only=true")
        #expect(count.status == 200, "\(count)")

        #expect(try await server.stop() == 0)
        #expect(server.stderr.contains("check-status=0"), "\(server.stderr)")
        #expect(!server.stderr.contains("\"error\":\"internal\""))
    }
}

extension Range where Bound == Int {
    /// Runs `body` for every element concurrently; results in order.
    fileprivate func asyncMap<T: Sendable>(_ body: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            for index in self { group.addTask { (index, try await body(index)) } }
            var results: [(Int, T)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
