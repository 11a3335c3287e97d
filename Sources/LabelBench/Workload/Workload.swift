// LabelBench: the benchmark side of LabelIndex, deliberately independent of the engine.
//
// This target owns the seeded workload (generator, files and their reader), the query shapes
// instantiated against a workload, the SQLite baseline (schema, bulk load, fastest SQL per
// shape, single-label writes), the in-memory CRoaring floor, and latency statistics. The CLI's
// `labelindex-bench` commands and the Benchmarks package run the engine and both baselines on
// the same workload, so the three can be compared id for id.

/// How widely a label is used, which decides the query shapes it can appear in.
public enum LabelPopularity: String, Codable, CaseIterable, Sendable {
    /// On roughly 30–55% of the assets.
    case popular
    /// A Zipf-like tail between popular and rare (about 0.3–9% of the assets at 1M assets).
    case mid
    /// On tens of assets (fewer in workloads too small to afford tens per rare label).
    case rare
}

/// A label definition of a workload.
public struct WorkloadLabel: Hashable, Sendable {
    /// Non-empty, at most 64 bytes, no whitespace or control characters.
    public var name: String
    /// `#RRGGBB`, upper-case hex.
    public var color: String
    /// Index of the parent label, which always precedes this one.
    public var parent: Int?
    public var popularity: LabelPopularity

    public init(name: String, color: String, parent: Int?, popularity: LabelPopularity) {
        self.name = name
        self.color = color
        self.parent = parent
        self.popularity = popularity
    }
}

/// An asset of a workload. Its position in `Workload.assets` is its ordinal (creation order).
public struct WorkloadAsset: Hashable, Sendable {
    /// Unique, positive, spread over the whole positive `Int64` range.
    public var id: Int64
    /// A short URL (35–40 bytes), unique within workloads of under 60 million assets.
    public var name: String
    /// Label indices without duplicates, in the order the asset was given them.
    public var labels: [Int]

    public init(id: Int64, name: String, labels: [Int]) {
        self.id = id
        self.name = name
        self.labels = labels
    }
}

/// A complete benchmark workload in memory: labels, assets and the write-operation mix.
///
/// Build one with `generate(_:)` or read one back with `load(from:)`; `write(to:)` produces the
/// files that `labelindex-bench generate` leaves on disk.
public struct Workload: Hashable, Sendable {
    public var spec: WorkloadSpec
    /// In file order: parents before children. A label's index is its id in the baselines.
    public var labels: [WorkloadLabel]
    /// In creation order: an asset's index is its ordinal, the engines' result order.
    public var assets: [WorkloadAsset]
    /// The `writes.tsv` mix, applied in order.
    public var writeOperations: [WriteOperation]

    public init(
        spec: WorkloadSpec, labels: [WorkloadLabel], assets: [WorkloadAsset], writeOperations: [WriteOperation]
    ) {
        self.spec = spec
        self.labels = labels
        self.assets = assets
        self.writeOperations = writeOperations
    }

    /// Number of (asset, label) pairs.
    public var pairCount: Int { assets.reduce(0) { $0 + $1.labels.count } }

    /// Index of the label called `name`.
    public func labelIndex(named name: String) -> Int? { labels.firstIndex { $0.name == name } }

    /// Indices of the labels of one popularity class, in file order.
    public func labels(in popularity: LabelPopularity) -> [Int] {
        labels.indices.filter { labels[$0].popularity == popularity }
    }

    /// Two labels that no asset carries together (the empty-intersection query uses them).
    /// The generator guarantees it; `writeOperations` never adds either label, so it stays so.
    public var disjointLabels: (first: Int, second: Int) {
        (labelIndex(named: LabelCatalog.disjointPair.first)!, labelIndex(named: LabelCatalog.disjointPair.second)!)
    }

    /// For each label, whether no other label names it as parent.
    public func leafFlags() -> [Bool] {
        var flags = [Bool](repeating: true, count: labels.count)
        for label in labels { if let parent = label.parent { flags[parent] = false } }
        return flags
    }

    /// For each label, how many assets carry it.
    public func labelAssetCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: labels.count)
        for asset in assets { for label in asset.labels { counts[label] += 1 } }
        return counts
    }

    /// For each label, the ordinals of the assets that carry it, ascending.
    public func labelPostings() -> [[UInt32]] {
        var postings = labelAssetCounts().map { count -> [UInt32] in
            var list: [UInt32] = []
            list.reserveCapacity(count)
            return list
        }
        for (ordinal, asset) in assets.enumerated() {
            for label in asset.labels { postings[label].append(UInt32(ordinal)) }
        }
        return postings
    }

    /// Maps asset ids to ordinals (the write-operation files name assets by id).
    public func assetOrdinalsByID() -> [Int64: Int] {
        var ordinals: [Int64: Int] = [:]
        ordinals.reserveCapacity(assets.count)
        for (ordinal, asset) in assets.enumerated() { ordinals[asset.id] = ordinal }
        return ordinals
    }
}
