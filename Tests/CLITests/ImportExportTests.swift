import Foundation
import Testing

/// `import` and `export`: the round trip on a generated workload, idempotent re-imports, bad
/// lines reported by file:line:column, and `--on-error stop` leaving nothing behind.
@Suite struct ImportExportTests {
    @Test func roundTripOfAGeneratedWorkloadIsIdentical() throws {
        let directory = try TemporaryDirectory()
        let workload = directory.path("workload")
        try CLI.benchSucceeds(["generate", "--assets", "5000", "--labels", "200", "--seed", "7", "--out", workload])
        let first = directory.path("first")
        let imported = try CLI.succeed([
            "import", "--data-dir", first, "\(workload)/labels.ndjson", "\(workload)/assets.ndjson",
        ])
        #expect(
            imported.stderr.contains("imported 5,000 assets (5,000 created, 0 updated, 0 unchanged)"), "\(imported)")
        #expect(imported.stderr.contains("200 definitions read"))
        #expect(imported.stderr.contains("assets/s"))

        let exported = directory.path("export.ndjson")
        try CLI.succeed(["export", "--data-dir", first, exported])
        let second = directory.path("second")
        try CLI.succeed(["import", "--data-dir", second, exported])
        let reexported = try CLI.succeed(["export", "--data-dir", second])
        #expect(reexported.stdout == (try directory.read("export.ndjson")), "the round trip changed the data")
        #expect(reexported.stderr.contains("exported 200 labels and 5,000 assets"))

        let stats = try decodeJSON(JSON.self, try CLI.succeed(["stats", "--data-dir", second, "--json"]).stdout)
        let original = try decodeJSON(JSON.self, try CLI.succeed(["stats", "--data-dir", first, "--json"]).stdout)
        #expect(stats["namespaces"] == original["namespaces"])
        #expect(stats["namespaces"]?[0]?["assets"] == 5000)
        try CLI.succeed(["check", "--data-dir", second])
    }

    @Test func reimportChangesNothing() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let before = try CLI.succeed(["export", "--data-dir", data]).stdout
        let again = try CLI.succeed(["import", "--data-dir", data, directory.path("sample.ndjson")])
        #expect(again.stderr.contains("imported 5 assets (0 created, 0 updated, 5 unchanged)"), "\(again)")
        #expect(again.stderr.contains("0 labels created"))
        #expect(try CLI.succeed(["export", "--data-dir", data]).stdout == before)
    }

    static let fileWithBadLines = """
        {"id":1,"name":"good","labels":["a"]}
        {"id":2,"name":"bad json",
        {"id":3,"name":"good too","labels":["b"]}
        {"id":4,"lables":["typo"]}

        """

    @Test func badLinesAreReportedPreciselyAndSkipped() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("bad.ndjson", Self.fileWithBadLines)
        let data = directory.path("data")
        let result = try CLI.run(["import", "--data-dir", data, "--no-progress", file])
        #expect(result.status == 4, "\(result)")
        #expect(result.stderr.contains("\(file):2:"), "\(result)")
        #expect(result.stderr.contains("malformed JSON"))
        #expect(result.stderr.contains("\(file):4:"))
        #expect(result.stderr.contains("unknown key \"lables\""))
        #expect(result.stderr.contains("2 bad lines skipped"))
        #expect(try CLI.succeed(["query", "--data-dir", data, "*", "--count"]).stdout == "2\n")
    }

    @Test func stopOnErrorWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("bad.ndjson", Self.fileWithBadLines)
        let data = directory.path("data")
        let result = try CLI.run(["import", "--data-dir", data, "--on-error", "stop", file])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("\(file):2:"), "\(result)")
        #expect(result.stderr.contains("nothing was imported"))
        let count = try CLI.run(["query", "--data-dir", data, "*", "--count"])
        #expect(count.stdout == "0\n", "\(count)")
        #expect(try CLI.succeed(["stats", "--data-dir", data]).stdout.contains("no namespaces"))
    }

    @Test func csvIsChosenByExtension() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("assets.csv", "id,name,labels\n10,ten,x|y\n11,eleven,y\n")
        let data = directory.path("data")
        let result = try CLI.succeed(["import", "--data-dir", data, file])
        #expect(result.stderr.contains("imported 2 assets"), "\(result)")
        #expect(try CLI.succeed(["query", "--data-dir", data, "label:y", "--count"]).stdout == "2\n")
    }

    @Test func missingFileIsBadInput() throws {
        let directory = try TemporaryDirectory()
        let result = try CLI.run(["import", "--data-dir", directory.path("data"), directory.path("absent.ndjson")])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("cannot read"))
    }

    @Test func exportNeedsAnExistingStore() throws {
        let directory = try TemporaryDirectory()
        let result = try CLI.run(["export", "--data-dir", directory.path("nowhere")])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("no store at"))
        #expect(
            !FileManager.default.fileExists(atPath: directory.path("nowhere")), "a read-only command created the store")
    }

    @Test func exportToStandardOutputIsNDJSON() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let result = try CLI.succeed(["export", "--data-dir", data, "-"])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 10)
        #expect(lines.first == ##"{"label":"env","color":"#1F77B4"}"##)
        let documents = try lines.map { try JSON.parse($0) }
        #expect(documents.contains { $0["id"] == "251464995493876" && $0["type"] == "form" })
    }
}
