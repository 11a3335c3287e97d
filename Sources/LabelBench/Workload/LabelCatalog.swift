/// The labels of a workload before any asset is drawn: names, hierarchy and popularity class,
/// in file order (parents before children).
///
/// A fixed hierarchy (`env`, `region`, `team`) gives the engine parents and two levels of
/// children; its leaves include three of the popular labels, so hierarchy queries hit real
/// volume. The rest are flat: `reviewed`/`monitored` (popular), `svc-NNNN` (mid), `tag-NNNN`
/// (rare).
struct LabelCatalog {
    struct Entry {
        var name: String
        var parent: Int?
        var popularity: LabelPopularity
        /// Position within its class: 0 is the most popular popular label, and so on.
        var rank: Int
    }

    static let minimumLabelCount = 64

    /// `env-prod` and `env-staging` never share an asset (an asset lives in one environment),
    /// which guarantees the empty-intersection query shape a genuinely empty answer.
    static let disjointPair = (first: "env-prod", second: "env-staging")

    private enum Role {
        case popular(slot: Int)
        case mid
        case rare
    }

    /// Pre-order, so a parent always precedes its children.
    private static let hierarchy: [(name: String, parent: String?, role: Role)] = [
        ("env", nil, .rare),
        ("env-prod", "env", .popular(slot: 0)),
        ("env-staging", "env", .mid),
        ("env-dev", "env", .mid),
        ("region", nil, .rare),
        ("region-us", "region", .rare),
        ("region-us-east-1", "region-us", .popular(slot: 1)),
        ("region-us-west-2", "region-us", .mid),
        ("region-eu", "region", .rare),
        ("region-eu-west-1", "region-eu", .mid),
        ("region-eu-central-1", "region-eu", .mid),
        ("region-ap", "region", .rare),
        ("region-ap-south-1", "region-ap", .rare),
        ("team", nil, .rare),
        ("team-platform", "team", .popular(slot: 2)),
        ("team-payments", "team", .mid),
        ("team-search", "team", .mid),
        ("team-identity", "team", .mid),
        ("team-data", "team", .rare),
        ("team-mobile", "team", .rare),
    ]

    /// Popular labels beyond the three hierarchy ones, used when `popularLabels` > 3.
    private static let flatPopular = ["reviewed", "monitored"]

    private static let hierarchyMidCount = hierarchy.filter { if case .mid = $0.role { true } else { false } }.count
    private static let hierarchyRareCount = hierarchy.filter { if case .rare = $0.role { true } else { false } }.count

    /// How many labels fall in each class.
    static func classSizes(for spec: WorkloadSpec) throws -> (popular: Int, mid: Int, rare: Int) {
        let popular = spec.popularLabels
        let rare = Int((Double(spec.labels - popular) * spec.rareLabelFraction).rounded())
        let mid = spec.labels - popular - rare
        // Query shapes need a handful of flat labels of each class besides the hierarchy ones.
        guard mid >= hierarchyMidCount + 4, rare >= hierarchyRareCount + 3 else {
            throw WorkloadError.invalidSpec(
                "\(spec.labels) labels with rareLabelFraction \(spec.rareLabelFraction) leave \(mid) mid and \(rare) rare labels; need at least \(hierarchyMidCount + 4) and \(hierarchyRareCount + 3)"
            )
        }
        return (popular, mid, rare)
    }

    static func entries(for spec: WorkloadSpec) throws -> [Entry] {
        let sizes = try classSizes(for: spec)
        var entries: [Entry] = []
        entries.reserveCapacity(spec.labels)
        var indexByName: [String: Int] = [:]
        var midRank = 0
        var rareRank = 0

        func append(_ name: String, parent: String?, popularity: LabelPopularity, rank: Int) {
            indexByName[name] = entries.count
            entries.append(
                Entry(name: name, parent: parent.map { indexByName[$0]! }, popularity: popularity, rank: rank))
        }

        for node in hierarchy {
            switch node.role {
            case .popular(let slot):
                append(node.name, parent: node.parent, popularity: .popular, rank: slot)
            case .mid:
                append(node.name, parent: node.parent, popularity: .mid, rank: midRank)
                midRank += 1
            case .rare:
                append(node.name, parent: node.parent, popularity: .rare, rank: rareRank)
                rareRank += 1
            }
        }
        for (offset, name) in flatPopular.prefix(sizes.popular - 3).enumerated() {
            append(name, parent: nil, popularity: .popular, rank: 3 + offset)
        }
        for number in 1...(sizes.mid - hierarchyMidCount) {
            append("svc-" + zeroPadded(number), parent: nil, popularity: .mid, rank: midRank)
            midRank += 1
        }
        for number in 1...(sizes.rare - hierarchyRareCount) {
            append("tag-" + zeroPadded(number), parent: nil, popularity: .rare, rank: rareRank)
            rareRank += 1
        }
        return entries
    }

    private static func zeroPadded(_ number: Int) -> String {
        let digits = String(number)
        return digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits
    }
}
