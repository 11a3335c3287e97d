import LabelTestSupport

/// Import files shaped like production data: 8 labels per asset drawn from a fixed vocabulary
/// with Zipf-like frequencies (label `k` is about `1/(k+1)` as frequent as the most common one).
enum SyntheticImportFile {
    /// The label vocabulary, e.g. `env-0`, `team-1`, `svc-2`, `tag-3`, `region-4`, `env-5`, …
    static func labelNames(count: Int) -> [String] {
        let prefixes = ["env", "team", "svc", "tag", "region"]
        return (0..<count).map { "\(prefixes[$0 % prefixes.count])-\($0)" }
    }

    /// `lines` NDJSON asset lines like
    /// `{"id":8817263537781234123,"name":"https://host-123456.example.com/a/b","labels":[…8 names…]}`.
    static func ndjson(lines: Int, distinctLabels: Int = 2000, labelsPerLine: Int = 8, seed: UInt64 = 42) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        let names = labelNames(count: distinctLabels).map { Array($0.utf8) }
        var cumulative: [Double] = []
        var total = 0.0
        for rank in 0..<distinctLabels {
            total += 1.0 / Double(rank + 1)
            cumulative.append(total)
        }
        func drawRank() -> Int {
            let target = Double.random(in: 0..<total, using: &random)
            var low = 0
            var high = cumulative.count - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] > target { high = mid } else { low = mid + 1 }
            }
            return low
        }
        var output: [UInt8] = []
        output.reserveCapacity(lines * 170)
        var chosen: [Int] = []
        for _ in 0..<lines {
            output.append(contentsOf: #"{"id":"#.utf8)
            output.append(
                contentsOf: String(Int64.random(in: 1_000_000_000_000_000_000...Int64.max, using: &random)).utf8)
            output.append(contentsOf: #","name":"https://host-"#.utf8)
            output.append(contentsOf: String(Int.random(in: 100_000...999_999, using: &random)).utf8)
            output.append(contentsOf: #".example.com/a/b","labels":["#.utf8)
            chosen.removeAll(keepingCapacity: true)
            while chosen.count < labelsPerLine {
                let rank = drawRank()
                if !chosen.contains(rank) { chosen.append(rank) }
            }
            for (i, rank) in chosen.enumerated() {
                if i > 0 { output.append(UInt8(ascii: ",")) }
                output.append(UInt8(ascii: "\""))
                output.append(contentsOf: names[rank])
                output.append(UInt8(ascii: "\""))
            }
            output.append(contentsOf: "]}\n".utf8)
        }
        return output
    }
}
