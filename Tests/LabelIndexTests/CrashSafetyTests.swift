import Foundation
import LabelIndex
import LabelTestSupport
import Testing

/// A child process commits numbered batches to a durable store and is killed with SIGKILL at
/// random moments, many times over. After every kill the store must open, `verify()` clean,
/// hold every batch the child reported committed, and hold each batch entirely or not at all.
@Suite struct CrashSafetyTests {
    @Test func sigkillNeverLosesAcknowledgedBatches() throws {
        let writer = try crashWriterExecutable()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var random = SeededGenerator(seed: 7)
        var acknowledged = -1
        for round in 0..<12 {
            let child = Process()
            child.executableURL = writer
            child.arguments = [path]
            let output = Pipe()
            child.standardOutput = output
            try child.run()
            let lifetime = Double.random(in: 0.05...0.4, using: &random)
            Thread.sleep(forTimeInterval: lifetime)
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal, "round \(round): the writer died on its own")
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            for line in printed.split(separator: "\n") where line.hasPrefix("committed ") {
                acknowledged = max(acknowledged, Int(line.dropFirst("committed ".count))!)
            }

            let store = try LabelStore(path: path)
            let report = try store.read { try $0.verify() }
            #expect(report.isClean, "round \(round): \(report)")
            try store.read { snapshot in
                let last =
                    try snapshot.applicationValue(forKey: Array("last-batch".utf8)).map {
                        Int(String(decoding: $0, as: UTF8.self))!
                    } ?? -1
                #expect(
                    last >= acknowledged, "round \(round): batch \(acknowledged) was acknowledged, store has \(last)")
                guard let ns = try snapshot.namespace(.default) else {
                    #expect(last == -1)
                    return
                }
                #expect(ns.assetCount == (last + 1) * 10, "round \(round): batches are all-or-nothing")
                for batch in [0, last / 2, last] where batch >= 0 {
                    let labels = try ns.labels(of: .id(Int64(batch * 10 + 9)))?.map(\.name)
                    #expect(labels == ["all", "batch-\(batch % 7)"], "round \(round): batch \(batch)")
                }
                #expect(try ns.label(named: "all")?.assetCount == (last + 1) * 10)
            }
        }
        #expect(acknowledged > 0, "the writer never got a batch committed")
    }

    private func crashWriterExecutable() throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map {
            $0.appendingPathComponent("labelindex-crash-writer")
        }
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "build the labelindex-crash-writer product first (swift build --build-tests)")
    }
}
