/// The files a workload is stored as, all in one directory.
public enum WorkloadFile: String, CaseIterable, Sendable {
    /// `{"id":…,"name":"…","labels":[…]}` per line, in ordinal order.
    case assets = "assets.ndjson"
    /// `{"label":"…","color":"#RRGGBB","parent":"…"}` per line, parents first.
    case labels = "labels.ndjson"
    /// `ID<TAB>QUERY` per query shape.
    case queries = "queries.tsv"
    /// `add|remove<TAB>ASSET_ID<TAB>LABEL` per line.
    case writes = "writes.tsv"
    /// The spec and `WorkloadSummary`.
    case summary = "workload.json"
}

/// `workload.json`: the spec plus statistics and the label classes, which the other files do
/// not record.
public struct WorkloadSummary: Codable, Hashable, Sendable {
    public var spec: WorkloadSpec
    public var assetCount: Int
    public var labelCount: Int
    public var pairCount: Int
    public var meanLabelsPerAsset: Double
    public var unlabeledAssetCount: Int
    public var writeOperationCount: Int
    /// Names of the two labels no asset carries together.
    public var disjointLabels: [String]
    public var popularLabels: [String]
    public var midLabels: [String]
    public var rareLabels: [String]
}

extension Workload {
    /// Statistics and label classes, as `workload.json` stores them.
    public var summary: WorkloadSummary {
        let pairs = pairCount
        let pair = disjointLabels
        func names(_ popularity: LabelPopularity) -> [String] { labels(in: popularity).map { labels[$0].name } }
        return WorkloadSummary(
            spec: spec,
            assetCount: assets.count,
            labelCount: labels.count,
            pairCount: pairs,
            meanLabelsPerAsset: assets.isEmpty ? 0 : Double(pairs) / Double(assets.count),
            unlabeledAssetCount: assets.count(where: { $0.labels.isEmpty }),
            writeOperationCount: writeOperations.count,
            disjointLabels: [labels[pair.first].name, labels[pair.second].name],
            popularLabels: names(.popular),
            midLabels: names(.mid),
            rareLabels: names(.rare))
    }
}

extension WorkloadSummary {
    /// The `workload.json` text, formatted by hand so the bytes are the same on every platform
    /// (Swift's own shortest round-trip printing for the doubles, fixed key order).
    var jsonText: String {
        func string(_ text: String) -> String { String(decoding: jsonStringBytes(text), as: UTF8.self) }
        func list(_ names: [String]) -> String { "[" + names.map(string).joined(separator: ",") + "]" }
        let specText = [
            "\"assets\":\(spec.assets)",
            "\"labels\":\(spec.labels)",
            "\"meanLabelsPerAsset\":\(spec.meanLabelsPerAsset)",
            "\"seed\":\(spec.seed)",
            "\"popularLabels\":\(spec.popularLabels)",
            "\"rareLabelFraction\":\(spec.rareLabelFraction)",
            "\"unlabeledFraction\":\(spec.unlabeledFraction)",
            "\"writeOperations\":\(spec.writeOperations)",
        ].joined(separator: ",")
        let fields = [
            "\"spec\":{\(specText)}",
            "\"assetCount\":\(assetCount)",
            "\"labelCount\":\(labelCount)",
            "\"pairCount\":\(pairCount)",
            "\"meanLabelsPerAsset\":\(meanLabelsPerAsset)",
            "\"unlabeledAssetCount\":\(unlabeledAssetCount)",
            "\"writeOperationCount\":\(writeOperationCount)",
            "\"disjointLabels\":\(list(disjointLabels))",
            "\"popularLabels\":\(list(popularLabels))",
            "\"midLabels\":\(list(midLabels))",
            "\"rareLabels\":\(list(rareLabels))",
        ]
        return "{\n  " + fields.joined(separator: ",\n  ") + "\n}\n"
    }
}
