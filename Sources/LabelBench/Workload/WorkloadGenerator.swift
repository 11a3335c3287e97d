extension Workload {
    /// Generates the workload that `spec` describes. Equal specs give identical workloads on every
    /// machine: all randomness comes from `Xoshiro256StarStar`, and label sizes use only IEEE
    /// basic arithmetic (no `pow`/`log`, whose last bit may differ between C libraries).
    ///
    /// Runs in time linear in assets + pairs.
    public static func generate(_ spec: WorkloadSpec) throws -> Workload {
        try spec.validate()
        return try WorkloadGenerator(spec: spec).run()
    }
}

/// Independent random streams, one per aspect of the workload.
private enum RandomStream: UInt64 {
    case colors = 1
    case assetIDs
    case assetNames
    case rareSizes
    case membership
    case labelOrder
    case writes
}

private struct WorkloadGenerator {
    let spec: WorkloadSpec

    init(spec: WorkloadSpec) { self.spec = spec }

    private func random(_ stream: RandomStream) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: spec.seed, stream: stream.rawValue)
    }

    func run() throws -> Workload {
        let catalog = try LabelCatalog.entries(for: spec)
        let labels = makeLabels(catalog)
        let ids = makeAssetIDs()
        let names = makeAssetNames()
        let postings = drawMemberships(catalog)
        let assetLabels = orderLabelsPerAsset(postings)
        var assets: [WorkloadAsset] = []
        assets.reserveCapacity(spec.assets)
        for ordinal in 0..<spec.assets {
            assets.append(WorkloadAsset(id: ids[ordinal], name: names[ordinal], labels: assetLabels[ordinal]))
        }
        let disjoint = catalog.firstIndex { $0.name == LabelCatalog.disjointPair.first }!
        let disjointPartner = catalog.firstIndex { $0.name == LabelCatalog.disjointPair.second }!
        let writes = makeWriteOperations(
            labels: labels, assets: assets, postings: postings, neverAdded: [disjoint, disjointPartner])
        return Workload(spec: spec, labels: labels, assets: assets, writeOperations: writes)
    }

    // MARK: Labels

    private func makeLabels(_ catalog: [LabelCatalog.Entry]) -> [WorkloadLabel] {
        var random = random(.colors)
        return catalog.map { entry in
            WorkloadLabel(
                name: entry.name, color: hexColor(random.next() & 0xFF_FFFF), parent: entry.parent,
                popularity: entry.popularity)
        }
    }

    private func hexColor(_ rgb: UInt64) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "#")]
        for shift in stride(from: 20, through: 0, by: -4) { bytes.append(digits[Int((rgb >> UInt64(shift)) & 0xF)]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Assets

    private func makeAssetIDs() -> [Int64] {
        var random = random(.assetIDs)
        var ids: [Int64] = []
        ids.reserveCapacity(spec.assets)
        var seen = Set<Int64>(minimumCapacity: spec.assets)
        while ids.count < spec.assets {
            let id = Int64(bitPattern: random.next() >> 1)
            if id != 0 && seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }

    private static let pathWords = [
        "api", "img", "docs", "blog", "shop", "auth", "cdn", "v1", "v2", "news", "app", "help", "wiki", "data",
        "feed", "user",
    ]

    /// `https://host-<n>.example.com/<word>/<5 base-36 chars>`: 35–40 bytes, about 128 assets
    /// per host. The token is an affine bijection of the ordinal modulo 36^5 (the multiplier is
    /// coprime to 36), so names are unique below 60 million assets without looking sequential.
    private func makeAssetNames() -> [String] {
        var random = random(.assetNames)
        let hosts = UInt64(max(1, min(9_999, spec.assets / 128)))
        let tokenSpace: UInt64 = 36 * 36 * 36 * 36 * 36
        let offset = random.bounded(tokenSpace)
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        var names: [String] = []
        names.reserveCapacity(spec.assets)
        for ordinal in 0..<spec.assets {
            let host = random.bounded(hosts) + 1
            let word = Self.pathWords[random.index(below: Self.pathWords.count)]
            var token = (UInt64(ordinal) % tokenSpace * 2_654_435_761 + offset) % tokenSpace
            var tokenBytes = [UInt8](repeating: 0, count: 5)
            for position in (0..<5).reversed() {
                tokenBytes[position] = digits[Int(token % 36)]
                token /= 36
            }
            names.append("https://host-\(host).example.com/\(word)/" + String(decoding: tokenBytes, as: UTF8.self))
        }
        return names
    }

    // MARK: Memberships

    /// How many assets carry each label, by class:
    /// - popular: from 55% of all assets (rank 0) linearly down to 32% (last rank);
    /// - rare: 10–80 assets each, scaled down when the rare labels would take over a tenth of
    ///   the pairs (small workloads), and at least one asset each;
    /// - mid: the rest of the `meanLabelsPerAsset` budget, Zipf-like with weight 1/(rank + 20),
    ///   which at 1M assets spans about 9% down to 0.3%; capped below the popular labels.
    private func labelSizes(_ catalog: [LabelCatalog.Entry], labeledCount: Int) -> [Int] {
        let assetCount = Double(spec.assets)
        let budget = (assetCount * spec.meanLabelsPerAsset).rounded()
        var sizes = [Int](repeating: 0, count: catalog.count)

        let lastPopularRank = Double(spec.popularLabels - 1)
        var popularTotal = 0
        for (index, entry) in catalog.enumerated() where entry.popularity == .popular {
            let share = 0.55 - 0.23 * Double(entry.rank) / lastPopularRank
            sizes[index] = min(labeledCount, Int((share * assetCount).rounded()))
            popularTotal += sizes[index]
        }

        var random = random(.rareSizes)
        var rareBases: [(index: Int, base: Int)] = []
        for (index, entry) in catalog.enumerated() where entry.popularity == .rare {
            rareBases.append((index, 10 + random.index(below: 71)))
        }
        let rareBaseTotal = Double(rareBases.reduce(0) { $0 + $1.base })
        let rareScale = min(1, budget / 10 / rareBaseTotal)
        var rareTotal = 0
        for (index, base) in rareBases {
            sizes[index] = min(labeledCount, max(1, Int((Double(base) * rareScale).rounded())))
            rareTotal += sizes[index]
        }

        let midBudget = max(0, budget - Double(popularTotal) - Double(rareTotal))
        var weightTotal = 0.0
        for entry in catalog where entry.popularity == .mid { weightTotal += 1 / (Double(entry.rank) + 20) }
        let midCap = min(labeledCount, Int(0.24 * assetCount))
        for (index, entry) in catalog.enumerated() where entry.popularity == .mid {
            let weight = 1 / (Double(entry.rank) + 20)
            sizes[index] = min(midCap, Int((midBudget * weight / weightTotal).rounded()))
        }
        return sizes
    }

    /// Each label's assets, in catalog order. Unlabeled assets are set aside first; the second
    /// label of the disjoint pair is drawn only from assets without the first.
    private func drawMemberships(_ catalog: [LabelCatalog.Entry]) -> [[UInt32]] {
        var sampler = MembershipSampler(random: random(.membership), capacity: spec.assets)
        let everyone = (0..<spec.assets).map { UInt32($0) }
        let unlabeledCount = Int((Double(spec.assets) * spec.unlabeledFraction).rounded())
        var isUnlabeled = [Bool](repeating: false, count: spec.assets)
        for ordinal in sampler.choose(unlabeledCount, from: everyone) { isUnlabeled[Int(ordinal)] = true }
        let labeled = everyone.filter { !isUnlabeled[Int($0)] }

        let sizes = labelSizes(catalog, labeledCount: labeled.count)
        let first = catalog.firstIndex { $0.name == LabelCatalog.disjointPair.first }!
        let second = catalog.firstIndex { $0.name == LabelCatalog.disjointPair.second }!
        precondition(first < second, "the disjoint pair's first label must be drawn first")

        var postings: [[UInt32]] = []
        postings.reserveCapacity(catalog.count)
        for index in catalog.indices {
            if index == second {
                var excluded = [Bool](repeating: false, count: spec.assets)
                for ordinal in postings[first] { excluded[Int(ordinal)] = true }
                let candidates = labeled.filter { !excluded[Int($0)] }
                postings.append(sampler.choose(min(sizes[index], candidates.count), from: candidates))
            } else {
                postings.append(sampler.choose(sizes[index], from: labeled))
            }
        }
        return postings
    }

    /// Turns per-label postings into per-asset label lists, each in a seeded random order: the
    /// order an asset was given its labels, which the files and engines must preserve.
    private func orderLabelsPerAsset(_ postings: [[UInt32]]) -> [[Int]] {
        var counts = [Int](repeating: 0, count: spec.assets)
        for list in postings { for ordinal in list { counts[Int(ordinal)] += 1 } }
        var perAsset = counts.map { count -> [Int] in
            var labels: [Int] = []
            labels.reserveCapacity(count)
            return labels
        }
        for (label, list) in postings.enumerated() { for ordinal in list { perAsset[Int(ordinal)].append(label) } }
        var random = random(.labelOrder)
        for ordinal in perAsset.indices { random.shuffle(&perAsset[ordinal]) }
        return perAsset
    }

    // MARK: Writes

    /// Half adds, half removes; each picks its class uniformly first, so popular, mid and rare
    /// labels get the same share of writes. Removes take a pair that exists; adds prefer an
    /// asset that lacks the label and never add a `neverAdded` label (keeping the disjoint pair
    /// disjoint under the mixed benchmark).
    private func makeWriteOperations(
        labels: [WorkloadLabel], assets: [WorkloadAsset], postings: [[UInt32]], neverAdded: Set<Int>
    ) -> [WriteOperation] {
        var random = random(.writes)
        let classes = LabelPopularity.allCases.map { popularity in
            labels.indices.filter { labels[$0].popularity == popularity }
        }
        let addable = classes.map { $0.filter { !neverAdded.contains($0) } }.filter { !$0.isEmpty }
        let removable = classes.map { $0.filter { !postings[$0].isEmpty } }.filter { !$0.isEmpty }

        var operations: [WriteOperation] = []
        operations.reserveCapacity(spec.writeOperations)
        for _ in 0..<spec.writeOperations {
            if random.next() & 1 == 0 || removable.isEmpty {
                let pool = addable[random.index(below: addable.count)]
                let label = pool[random.index(below: pool.count)]
                var ordinal = random.index(below: assets.count)
                var attempts = 1
                while assets[ordinal].labels.contains(label) && attempts < 16 {
                    ordinal = random.index(below: assets.count)
                    attempts += 1
                }
                operations.append(WriteOperation(kind: .add, assetID: assets[ordinal].id, label: label))
            } else {
                let pool = removable[random.index(below: removable.count)]
                let label = pool[random.index(below: pool.count)]
                let holders = postings[label]
                let ordinal = Int(holders[random.index(below: holders.count)])
                operations.append(WriteOperation(kind: .remove, assetID: assets[ordinal].id, label: label))
            }
        }
        return operations
    }
}
