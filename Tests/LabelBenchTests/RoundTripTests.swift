import Foundation
import Testing

@testable import LabelBench

@Suite struct RoundTripTests {
    @Test func filesRoundTripThroughLoad() throws {
        var spec = smallSpec()
        spec.seed = 0xDEAD_BEEF_CAFE_F00D  // above 2^63: the seed must survive JSON intact
        let workload = try Workload.generate(spec)
        try withTemporaryDirectory { directory in
            try workload.write(to: directory.appending(path: "first"))
            let loaded = try Workload.load(from: directory.appending(path: "first"))
            #expect(loaded == workload)
            #expect(loaded.queries() == workload.queries())
            try loaded.write(to: directory.appending(path: "second"))
            #expect(
                try fileHashes(in: directory.appending(path: "first"))
                    == fileHashes(in: directory.appending(path: "second")))
        }
    }

    @Test func assetLinesHaveTheExactLayout() throws {
        let workload = try Workload.generate(smallSpec())
        try withTemporaryDirectory { directory in
            try workload.write(to: directory)
            let lines = try String(contentsOf: directory.appending(path: "assets.ndjson"), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == workload.assets.count + 1 && lines.last == "")
            let asset = workload.assets[0]
            let labels = asset.labels.map { "\"\(workload.labels[$0].name)\"" }.joined(separator: ",")
            #expect(lines[0] == "{\"id\":\(asset.id),\"name\":\"\(asset.name)\",\"labels\":[\(labels)]}")
            let unlabeled = try #require(workload.assets.firstIndex { $0.labels.isEmpty })
            #expect(lines[unlabeled].hasSuffix(",\"labels\":[]}"))
        }
    }

    @Test func labelLinesListParentsFirstAndOmitRootParents() throws {
        let workload = try Workload.generate(smallSpec())
        try withTemporaryDirectory { directory in
            try workload.write(to: directory)
            let lines = try String(contentsOf: directory.appending(path: "labels.ndjson"), encoding: .utf8)
                .split(separator: "\n")
            #expect(lines.count == workload.labels.count)
            let env = try #require(workload.labelIndex(named: "env"))
            let prod = try #require(workload.labelIndex(named: "env-prod"))
            #expect(lines[env] == "{\"label\":\"env\",\"color\":\"\(workload.labels[env].color)\"}")
            #expect(
                lines[prod]
                    == "{\"label\":\"env-prod\",\"color\":\"\(workload.labels[prod].color)\",\"parent\":\"env\"}")
        }
    }

    @Test func queriesFileHasOneLinePerShape() throws {
        let workload = try Workload.generate(smallSpec())
        try withTemporaryDirectory { directory in
            try workload.write(to: directory)
            let lines = try String(contentsOf: directory.appending(path: "queries.tsv"), encoding: .utf8)
                .split(separator: "\n")
            #expect(lines.map { String($0.split(separator: "\t")[0]) } == QueryShape.allCases.map(\.rawValue))
            #expect(lines.allSatisfy { $0.split(separator: "\t").count == 2 })
        }
    }

    @Test func summaryIsValidJSONWithClasses() throws {
        let workload = try Workload.generate(smallSpec())
        try withTemporaryDirectory { directory in
            try workload.write(to: directory)
            let data = try Data(contentsOf: directory.appending(path: "workload.json"))
            let summary = try JSONDecoder().decode(WorkloadSummary.self, from: data)
            #expect(summary == workload.summary)
            #expect(summary.pairCount == workload.pairCount)
            #expect(summary.popularLabels.count + summary.midLabels.count + summary.rareLabels.count == 400)
            #expect(summary.disjointLabels == ["env-prod", "env-staging"])
        }
    }

    @Test func jsonEscapingRoundTrips() throws {
        for text in ["plain", "quote\"back\\slash", "tab\tnew\nline\r", "\u{01}\u{1F}\u{7F}", "naïve-ラベル-🏷"] {
            let literal = Data(jsonStringBytes(text))
            #expect(try JSONDecoder().decode(String.self, from: literal) == text)
        }
        #expect(String(decoding: jsonStringBytes("a\u{01}"), as: UTF8.self) == "\"a\\u0001\"")
    }

    @Test func loadRejectsUnknownLabels() throws {
        let workload = try Workload.generate(smallSpec())
        try withTemporaryDirectory { directory in
            try workload.write(to: directory)
            let url = directory.appending(path: "assets.ndjson")
            var text = try String(contentsOf: url, encoding: .utf8)
            text += "{\"id\":1,\"name\":\"https://x.example.com/\",\"labels\":[\"no-such-label\"]}\n"
            try text.write(to: url, atomically: false, encoding: .utf8)
            #expect(throws: WorkloadError.self) { try Workload.load(from: directory) }
        }
    }
}
