import Foundation
import Testing

@testable import LabelBench

@Suite struct WriteOperationsTests {
    @Test func writesReferenceExistingAssetsAndLabels() throws {
        let workload = try Workload.generate(smallSpec())
        let ordinals = workload.assetOrdinalsByID()
        #expect(workload.writeOperations.count == 2_000)
        for operation in workload.writeOperations {
            let ordinal = try #require(ordinals[operation.assetID], "unknown asset \(operation.assetID)")
            #expect(workload.labels.indices.contains(operation.label))
            if operation.kind == .remove {
                #expect(workload.assets[ordinal].labels.contains(operation.label), "removes a pair that is absent")
            }
        }
    }

    @Test func writesMixKindsAndClasses() throws {
        let workload = try Workload.generate(smallSpec())
        let operations = workload.writeOperations
        let adds = operations.count(where: { $0.kind == .add })
        #expect(adds > 800 && adds < 1_200)
        for popularity in LabelPopularity.allCases {
            for kind in WriteOperation.Kind.allCases {
                let matching = operations.count(where: {
                    $0.kind == kind && workload.labels[$0.label].popularity == popularity
                })
                #expect(matching > 200, "\(kind) of \(popularity) labels: \(matching)")
            }
        }
        let pair = workload.disjointLabels
        #expect(!operations.contains { $0.kind == .add && ($0.label == pair.first || $0.label == pair.second) })
    }

    @Test func writesFileNamesExistingAssetsAndLabels() throws {
        let workload = try Workload.generate(smallSpec())
        let ids = Set(workload.assets.map(\.id))
        let names = Set(workload.labels.map(\.name))
        try withTemporaryDirectory { directory in
            try workload.write(to: directory)
            let text = try String(contentsOf: directory.appending(path: "writes.tsv"), encoding: .utf8)
            let lines = text.split(separator: "\n")
            #expect(lines.count == workload.writeOperations.count)
            for line in lines {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                #expect(fields.count == 3)
                #expect(fields[0] == "add" || fields[0] == "remove")
                #expect(Int64(fields[1]).map(ids.contains) == true, "\(line)")
                #expect(names.contains(String(fields[2])), "\(line)")
            }
        }
    }
}
