import Foundation
import Testing

@testable import LabelBench

@Suite struct DeterminismTests {
    @Test func sameSeedGivesIdenticalFiles() throws {
        let first = try Workload.generate(smallSpec(seed: 11))
        let second = try Workload.generate(smallSpec(seed: 11))
        #expect(first == second)
        try withTemporaryDirectory { directory in
            try first.write(to: directory.appending(path: "a"))
            try second.write(to: directory.appending(path: "b"))
            for file in WorkloadFile.allCases {
                let a = try Data(contentsOf: directory.appending(path: "a/\(file.rawValue)"))
                let b = try Data(contentsOf: directory.appending(path: "b/\(file.rawValue)"))
                #expect(!a.isEmpty)
                #expect(a == b, "\(file.rawValue) differs between two runs with the same seed")
            }
        }
    }

    @Test func differentSeedGivesDifferentFiles() throws {
        try withTemporaryDirectory { directory in
            try Workload.generate(smallSpec(seed: 11)).write(to: directory.appending(path: "a"))
            try Workload.generate(smallSpec(seed: 12)).write(to: directory.appending(path: "b"))
            let a = try fileHashes(in: directory.appending(path: "a"))
            let b = try fileHashes(in: directory.appending(path: "b"))
            for file in [WorkloadFile.assets, .labels, .writes, .summary] {
                #expect(a[file.rawValue] != b[file.rawValue], "\(file.rawValue) ignores the seed")
            }
        }
    }

    /// Pins the exact bytes: a change here means every published benchmark workload changes,
    /// which must be deliberate (and the hashes updated with it).
    @Test func goldenBytes() throws {
        let spec = WorkloadSpec(assets: 2_000, labels: 200, seed: 7, writeOperations: 500)
        try withTemporaryDirectory { directory in
            try Workload.generate(spec).write(to: directory)
            let hashes = try fileHashes(in: directory)
            #expect(
                hashes == [
                    "assets.ndjson": 13_205_836_161_743_850_718,
                    "labels.ndjson": 17_163_885_113_532_753_474,
                    "queries.tsv": 18_254_654_778_026_900_665,
                    "writes.tsv": 5_252_404_021_262_003_093,
                    "workload.json": 3_464_258_264_744_001_600,
                ])
        }
    }
}
