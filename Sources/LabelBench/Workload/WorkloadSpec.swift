/// The parameters of a seeded workload. Equal specs generate byte-identical workloads.
///
/// Decoding accepts partial JSON: a missing key takes its default, so `{"assets":20000}` is
/// a valid spec.
public struct WorkloadSpec: Codable, Hashable, Sendable {
    /// Number of assets.
    public var assets: Int
    /// Number of labels, hierarchy parents included (at least 64).
    public var labels: Int
    /// Target mean number of labels per asset, over all assets (unlabeled ones included).
    public var meanLabelsPerAsset: Double
    /// Seed of every pseudo-random choice.
    public var seed: UInt64
    /// Number of popular labels, each on roughly 30–55% of the assets (3 to 5).
    public var popularLabels: Int
    /// Share of the non-popular labels that are rare (on tens of assets).
    public var rareLabelFraction: Double
    /// Share of assets that carry no label at all (pure NOT queries must still find them).
    public var unlabeledFraction: Double
    /// Number of lines in `writes.tsv`.
    public var writeOperations: Int

    /// A spec; every parameter has the benchmark's default.
    public init(
        assets: Int = 1_000_000,
        labels: Int = 2_000,
        meanLabelsPerAsset: Double = 8,
        seed: UInt64 = 42,
        popularLabels: Int = 4,
        rareLabelFraction: Double = 0.7,
        unlabeledFraction: Double = 0.01,
        writeOperations: Int = 10_000
    ) {
        self.assets = assets
        self.labels = labels
        self.meanLabelsPerAsset = meanLabelsPerAsset
        self.seed = seed
        self.popularLabels = popularLabels
        self.rareLabelFraction = rareLabelFraction
        self.unlabeledFraction = unlabeledFraction
        self.writeOperations = writeOperations
    }

    private enum CodingKeys: String, CodingKey {
        case assets, labels, meanLabelsPerAsset, seed, popularLabels, rareLabelFraction, unlabeledFraction
        case writeOperations
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = WorkloadSpec()
        assets = try container.decodeIfPresent(Int.self, forKey: .assets) ?? defaults.assets
        labels = try container.decodeIfPresent(Int.self, forKey: .labels) ?? defaults.labels
        meanLabelsPerAsset =
            try container.decodeIfPresent(Double.self, forKey: .meanLabelsPerAsset) ?? defaults.meanLabelsPerAsset
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        popularLabels = try container.decodeIfPresent(Int.self, forKey: .popularLabels) ?? defaults.popularLabels
        rareLabelFraction =
            try container.decodeIfPresent(Double.self, forKey: .rareLabelFraction) ?? defaults.rareLabelFraction
        unlabeledFraction =
            try container.decodeIfPresent(Double.self, forKey: .unlabeledFraction) ?? defaults.unlabeledFraction
        writeOperations = try container.decodeIfPresent(Int.self, forKey: .writeOperations) ?? defaults.writeOperations
    }

    /// Throws `WorkloadError.invalidSpec` when the generator cannot honour the spec.
    public func validate() throws {
        func require(_ condition: Bool, _ reason: String) throws {
            if !condition { throw WorkloadError.invalidSpec(reason) }
        }
        // Ordinals must fit the in-memory floor's UInt32 bitmaps.
        try require(assets >= 1 && assets <= Int(UInt32.max), "assets must be in 1...\(UInt32.max)")
        try require(
            labels >= LabelCatalog.minimumLabelCount, "labels must be at least \(LabelCatalog.minimumLabelCount)")
        try require(
            meanLabelsPerAsset.isFinite && meanLabelsPerAsset > 0 && meanLabelsPerAsset <= 64,
            "meanLabelsPerAsset must be in (0, 64]")
        try require((3...5).contains(popularLabels), "popularLabels must be in 3...5")
        try require(
            rareLabelFraction.isFinite && rareLabelFraction > 0 && rareLabelFraction < 1,
            "rareLabelFraction must be in (0, 1)")
        try require(
            unlabeledFraction.isFinite && unlabeledFraction >= 0 && unlabeledFraction < 0.5,
            "unlabeledFraction must be in [0, 0.5)")
        try require(writeOperations >= 0, "writeOperations must not be negative")
        _ = try LabelCatalog.classSizes(for: self)
    }
}
