import Foundation
import Testing

/// `bench generate|run|queries` end to end on a tiny workload (no timing assertions).
@Suite struct BenchCommandTests {
    @Test func verifyTimesTwoSizesOfACleanStore() throws {
        let directory = try TemporaryDirectory()
        let result = try CLI.benchSucceeds([
            "verify", "--labels", "400", "--assets", "200", "--pairs", "1000", "--scratch", directory.path("scratch"),
            "--json",
        ])
        let report = try JSON.parse(result.stdout)
        #expect(report["quarter"]?["labels"] == 100)
        #expect(report["quarter"]?["pairs"] == 250)
        #expect(report["full"]?["labels"] == 400)
        #expect(report["full"]?["assets"] == 200)
        for size in ["quarter", "full"] {
            #expect((report[size]?["verify_s"]?.number ?? 0) > 0, "\(result.stdout)")
            #expect((report[size]?["scan_s"]?.number ?? 0) > 0, "\(result.stdout)")
            #expect((report[size]?["entries"]?.number ?? 0) > 400, "\(result.stdout)")
        }
        #expect((report["growth"]?.number ?? 0) > 0)
        // The scratch stores are removed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("scratch")).isEmpty)
        let bad = try CLI.bench(["verify", "--assets", "10", "--pairs", "5"])
        #expect(bad.status == 64 && bad.stderr.contains("--pairs"), "\(bad.stderr)")
    }

    /// `bench writes` times each pair's add and remove by group and leaves the store as it found
    /// it (timestamps aside); a bad pair is refused before anything is written.
    @Test func writesTimesEachGroupAndLeavesTheStoreAsItWas() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        func exported() throws -> String {
            try CLI.succeed(["export", "--data-dir", data]).stdout
                .replacingOccurrences(of: #","updated_at":"[^"]*""#, with: "", options: .regularExpression)
        }
        let before = try exported()
        let pairs = try directory.write(
            "pairs.tsv",
            "# group, asset, label\nrand\t2\tapi\nrand\t5\tprod\npop\t1\tstaging\npop\tform:251464995493876\tbrand-new\n"
        )
        let result = try CLI.benchSucceeds([
            "writes", "--data-dir", data, "--writes", pairs, "--durability", "no-sync", "--json",
        ])
        let report = try JSON.parse(result.stdout)
        #expect(report["durability"] == "no-sync")
        let groups = try #require(report["groups"]?.array)
        #expect(groups.map { $0["group"] } == ["rand", "pop"])
        for group in groups {
            #expect(group["pairs"] == 2)
            for timing in ["add_ns", "remove_ns"] {
                for statistic in ["median", "p99", "mean"] {
                    #expect((group[timing]?[statistic]?.number ?? 0) > 0, "\(group)")
                }
            }
            // Each median as a multiple of the bare commit measured beside it.
            let bare = try #require(report["bare_commit_ns"]?["median"]?.number)
            for (ratio, timing) in [("add_per_bare_commit", "add_ns"), ("remove_per_bare_commit", "remove_ns")] {
                let median = try #require(group[timing]?["median"]?.number)
                #expect(abs((group[ratio]?.number ?? 0) - median / bare) < 1e-9 * median / bare, "\(group)")
            }
        }
        // One bare commit beside every add and every remove; its scratch environment is gone.
        #expect(report["bare_commit_ns"]?["iterations"] == 8)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data).allSatisfy { !$0.hasPrefix("bench-bare") })
        #expect(try exported() == before)

        for (text, reason) in [
            ("rand\t1\tprod\n", "already carries prod"), ("rand\t99\tapi\n", "no asset 99"),
            ("rand\t2\n", "expected GROUP<TAB>ASSET_ID<TAB>LABEL"), ("rand\tx y\tapi\n", "is not an asset id"),
            ("a\t2\tapi\nb\t2\tapi\n", "appear twice"),
        ] {
            let refused = try CLI.bench([
                "writes", "--data-dir", data, "--writes", try directory.write("bad.tsv", text),
            ])
            #expect(refused.status == 2 && refused.stderr.contains(reason), "\(text): \(refused.stderr)")
        }
        #expect(try exported() == before)
    }

    @Test func generateRunAndQueries() throws {
        let directory = try TemporaryDirectory()
        let workload = directory.path("workload")
        let generated = try CLI.benchSucceeds([
            "generate", "--assets", "3000", "--labels", "100", "--seed", "3", "--out", workload,
        ])
        #expect(generated.stdout.contains("wrote 3,000 assets, 100 labels"))
        for file in ["assets.ndjson", "labels.ndjson", "queries.tsv", "writes.tsv", "workload.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(workload)/\(file)"), "\(file) missing")
        }

        let reports = directory.path("reports")
        let run = try CLI.benchSucceeds([
            "run", workload, "--readers", "2", "--repeat", "3", "--max-seconds", "0.05", "--writes", "40",
            "--mixed-seconds", "0.2", "--out", reports,
        ])
        #expect(run.stdout.contains("COUNT LATENCY"))
        #expect(run.stdout.contains("speed-up vs SQLite"))
        #expect(run.stderr.contains("checking that the systems agree"))

        let report = try JSON.parse(try String(contentsOfFile: "\(reports)/report.json", encoding: .utf8))
        #expect(report["workload"]?["assets"] == 3000)
        let shapes = try #require(report["shapes"]?.array)
        #expect(shapes.count == 12)
        for shape in shapes {
            for system in ["LabelIndex", "SQLite", "floor"] {
                #expect(shape["latencies"]?[system]?["count"]?["median"]?.number != nil, "\(shape)")
                #expect(shape["latencies"]?[system]?["firstPage"]?["p99"]?.number != nil, "\(shape)")
            }
        }
        #expect(report["loads"]?.array?.map { $0["system"] } == ["LabelIndex", "SQLite"])
        #expect(
            report["writes"]?.array?.map { $0["system"] } == [
                "LabelIndex", "LabelIndex (no-sync)", "LabelIndex (no-sync, write map)", "SQLite",
            ])
        #expect(report["mixed"]?.array?.allSatisfy { ($0["queries"]?.int ?? 0) > 0 } == true)

        let markdown = try String(contentsOfFile: "\(reports)/report.md", encoding: .utf8)
        #expect(markdown.hasPrefix("## LabelIndex benchmark: 3,000 assets"))
        #expect(markdown.contains("| shape | LabelIndex | SQLite | floor | speed-up vs SQLite | × floor |"))
        let svg = try String(contentsOfFile: "\(reports)/latency.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<rect").count > 12 * 3 * 2)

        // The same queries against a store imported from the workload: the counts must match.
        let data = directory.path("data")
        try CLI.succeed(["import", "--data-dir", data, "\(workload)/labels.ndjson", "\(workload)/assets.ndjson"])
        let queries = try JSON.parse(
            try CLI.benchSucceeds([
                "queries", "--data-dir", data, "--queries", "\(workload)/queries.tsv", "--repeat", "3",
                "--json",
            ]).stdout)
        let runs = try #require(queries.array)
        #expect(runs.count == 12)
        for (run, shape) in zip(runs, shapes) {
            #expect(run["id"] == shape["shape"])
            #expect(run["count"] == shape["count"])
            #expect(run["ids"]?.array?.count == min(shape["count"]?.int ?? 0, 100))
            for timing in ["count_ns", "ids_page_ns", "assets_page_ns"] {
                #expect(run[timing]?["median"]?.number != nil, "\(run)")
                #expect(run[timing]?["p99"]?.number != nil, "\(run)")
            }
        }
        let text = try CLI.benchSucceeds([
            "queries", "--data-dir", data, "--queries", "\(workload)/queries.tsv", "--repeat", "2",
        ])
        #expect(text.stdout.contains("single-popular"))
        #expect(text.stdout.contains("first 100 ids:"))
    }

    @Test func queriesFileErrors() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let bad = try directory.write("bad.tsv", "ok\tlabel:prod\nbroken\tlabel:prod AND\n")
        let result = try CLI.bench(["queries", "--data-dir", data, "--queries", bad])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("\(bad):2: query broken"))
        #expect(result.stderr.contains("^"))
        let noTab = try directory.write("notab.tsv", "label:prod\n")
        #expect(try CLI.bench(["queries", "--data-dir", data, "--queries", noTab]).status == 2)
        #expect(
            try CLI.bench(["queries", "--data-dir", data, "--queries", directory.path("absent.tsv")]).status == 2
        )
    }

    @Test func runNeedsAWorkload() throws {
        let directory = try TemporaryDirectory()
        let result = try CLI.bench(["run", directory.path]);
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("not a workload directory"))
        let invalid = try CLI.bench([
            "generate", "--assets", "10", "--labels", "3", "--out", directory.path("w"),
        ])
        #expect(invalid.status == 2, "\(invalid)")
        #expect(invalid.stderr.contains("invalid workload spec"))
    }
}
