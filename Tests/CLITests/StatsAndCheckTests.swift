import Foundation
import Testing

/// `stats` and `check`, including a store damaged on disk.
@Suite struct StatsAndCheckTests {
    @Test func statsShowsTotals() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let text = try CLI.succeed(["stats", "--data-dir", data, "--databases"]).stdout
        #expect(text.contains("data.mdb"))
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("default") && $0.hasSuffix("6") }, "\(text)")
        let json = try JSON.parse(try CLI.succeed(["stats", "--data-dir", data, "--json"]).stdout)
        #expect(json["namespaces"] == [["name": "default", "assets": 5, "labels": 5, "pairs": 6]])
        #expect((json["file_bytes"]?.int ?? 0) > 0)
    }

    @Test func checkPassesOnAHealthyStore() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let result = try CLI.succeed(["check", "--data-dir", data])
        #expect(result.stdout.contains("checked 1 namespaces, 5 assets, 5 labels"))
        #expect(result.stdout.contains("consistent"))
    }

    /// Overwrites one stored copy of a label name in data.mdb (the name index and the label
    /// record both hold it), so the two disagree.
    @Test func checkReportsDamageWithExitThree() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "damaged.ndjson",
            """
            {"label":"zqxjlabelzqxj"}
            {"id":1,"name":"a","labels":["zqxjlabelzqxj"]}

            """)
        let data = directory.path("data")
        try CLI.succeed(["import", "--data-dir", data, file])
        let databaseURL = URL(fileURLWithPath: data).appending(path: "data.mdb")
        var bytes = [UInt8](try Data(contentsOf: databaseURL))
        let needle = Array("zqxjlabelzqxj".utf8)
        let offset = try #require(
            bytes.indices.dropLast(needle.count).last { Array(bytes[$0..<$0 + needle.count]) == needle },
            "the label name is not in data.mdb")
        bytes[offset] = UInt8(ascii: "Z")
        try Data(bytes).write(to: databaseURL)

        let result = try CLI.run(["check", "--data-dir", data])
        #expect(result.status == 3, "\(result)")
        #expect(result.stdout.contains("inconsistencies"), "\(result)")
        #expect(result.stderr.contains("error: the store has"))
    }

    @Test func checkNeedsAStore() throws {
        let directory = try TemporaryDirectory()
        let result = try CLI.run(["check", "--data-dir", directory.path("none")])
        #expect(result.status == 2, "\(result)")
    }
}
