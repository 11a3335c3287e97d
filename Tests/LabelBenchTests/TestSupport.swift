import Foundation

@testable import LabelBench

/// A fresh empty directory, removed after `body` returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appending(path: "LabelBenchTests-\(UUID().uuidString)", directoryHint: .isDirectory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// 64-bit FNV-1a, enough to compare file contents and pin golden outputs.
func fnv1a(_ bytes: Data) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}

/// Hash of every workload file in `directory`, keyed by file name.
func fileHashes(in directory: URL) throws -> [String: UInt64] {
    var hashes: [String: UInt64] = [:]
    for file in WorkloadFile.allCases {
        hashes[file.rawValue] = fnv1a(try Data(contentsOf: directory.appending(path: file.rawValue)))
    }
    return hashes
}

/// Small enough for debug-build tests, large enough for every label class to be populated.
func smallSpec(seed: UInt64 = 42) -> WorkloadSpec {
    WorkloadSpec(assets: 5_000, labels: 400, seed: seed, writeOperations: 2_000)
}

/// The workload evaluated with plain Swift sets: the reference the baselines must agree with.
struct NaiveEvaluator {
    let universe: Set<Int>
    let holders: [Set<Int>]

    init(_ workload: Workload) {
        universe = Set(workload.assets.indices)
        var holders = [Set<Int>](repeating: [], count: workload.labels.count)
        for (ordinal, asset) in workload.assets.enumerated() {
            for label in asset.labels { holders[label].insert(ordinal) }
        }
        self.holders = holders
    }

    func evaluate(_ expression: ShapeExpression) -> Set<Int> {
        switch expression {
        case .label(let label): holders[label]
        case .not(let operand): universe.subtracting(evaluate(operand))
        case .and(let operands): operands.dropFirst().reduce(evaluate(operands[0])) { $0.intersection(evaluate($1)) }
        case .or(let operands): operands.reduce(into: Set<Int>()) { $0.formUnion(evaluate($1)) }
        }
    }

    func firstPage(_ expression: ShapeExpression, limit: Int = 100) -> [Int] {
        Array(evaluate(expression).sorted().prefix(limit))
    }
}
