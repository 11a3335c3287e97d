import Testing

@testable import LabelBench

@Suite struct DistributionTests {
    static let workload = try! Workload.generate(WorkloadSpec(assets: 20_000, seed: 42))

    var workload: Workload { Self.workload }

    @Test func meanLabelsPerAssetIsAboutEight() {
        let mean = Double(workload.pairCount) / Double(workload.assets.count)
        #expect((7.0...9.0).contains(mean), "mean \(mean)")
    }

    @Test func popularLabelsCoverThirtyToSixtyPercent() {
        let counts = workload.labelAssetCounts()
        let share = { (label: Int) in Double(counts[label]) / Double(self.workload.assets.count) }
        let popular = workload.labels(in: .popular)
        #expect((3...5).contains(popular.count))
        for label in popular { #expect((0.30...0.60).contains(share(label)), "\(workload.labels[label].name)") }
        let top = counts.indices.max { counts[$0] < counts[$1] }!
        #expect((0.30...0.60).contains(share(top)))
        #expect(workload.labels[top].popularity == .popular)
    }

    @Test func mostLabelsAreRareAndClassesAreSeparated() {
        let counts = workload.labelAssetCounts()
        let rare = workload.labels(in: .rare)
        let mid = workload.labels(in: .mid)
        let popular = workload.labels(in: .popular)
        #expect(rare.count * 2 > workload.labels.count)
        #expect(rare.allSatisfy { (1...100).contains(counts[$0]) })
        let maxRare = rare.map { counts[$0] }.max()!
        let minMid = mid.map { counts[$0] }.min()!
        let maxMid = mid.map { counts[$0] }.max()!
        let minPopular = popular.map { counts[$0] }.min()!
        #expect(maxRare < minMid)
        #expect(maxMid < minPopular)
        // A tail, not a plateau: the busiest mid label is much busier than the quietest.
        #expect(maxMid >= 10 * minMid)
    }

    @Test func assetsAreWellFormed() {
        var ids = Set<Int64>()
        var names = Set<String>()
        for asset in workload.assets {
            #expect(asset.id > 0)
            ids.insert(asset.id)
            names.insert(asset.name)
            #expect(Set(asset.labels).count == asset.labels.count, "duplicate label on asset \(asset.id)")
            #expect(asset.labels.allSatisfy { workload.labels.indices.contains($0) })
            #expect(asset.name.hasPrefix("https://host-") && asset.name.contains(".example.com/"))
            #expect((35...40).contains(asset.name.utf8.count), "\(asset.name)")
        }
        #expect(ids.count == workload.assets.count)
        #expect(names.count == workload.assets.count)
        // Spread over the positive range, not clustered near zero.
        #expect(ids.contains { $0 > Int64.max / 2 } && ids.contains { $0 < Int64.max / 2 })
    }

    @Test func someAssetsHaveNoLabels() {
        let unlabeled = workload.assets.count(where: { $0.labels.isEmpty })
        #expect(unlabeled >= 100 && unlabeled <= 400)
    }

    @Test func labelOrderIsNotSorted() {
        #expect(workload.assets.contains { $0.labels != $0.labels.sorted() })
    }

    @Test func labelsAreValidAndUnique() {
        #expect(workload.labels.count == 2_000)
        #expect(Set(workload.labels.map(\.name)).count == workload.labels.count)
        for label in workload.labels {
            let bytes = Array(label.name.utf8)
            #expect(!bytes.isEmpty && bytes.count <= 64)
            #expect(bytes.allSatisfy { $0 > 0x20 && $0 != 0x7F }, "\(label.name)")
            let color = Array(label.color.utf8)
            #expect(color.count == 7 && color[0] == UInt8(ascii: "#"))
            #expect(color.dropFirst().allSatisfy { "0123456789ABCDEF".utf8.contains($0) }, "\(label.color)")
        }
    }

    @Test func hierarchyIsAcyclicWithParentsFirst() {
        var depth = [Int](repeating: 0, count: workload.labels.count)
        for (index, label) in workload.labels.enumerated() {
            if let parent = label.parent {
                #expect(parent < index, "\(label.name) precedes its parent")
                depth[index] = depth[parent] + 1
            }
        }
        #expect(depth.max() == 2)
        let isLeaf = workload.leafFlags()
        let rootsWithChildren = workload.labels.indices.filter { workload.labels[$0].parent == nil && !isLeaf[$0] }
        #expect(rootsWithChildren.count >= 3)
        // A popular label sits inside the hierarchy.
        #expect(workload.labels(in: .popular).contains { workload.labels[$0].parent != nil })
    }

    @Test func disjointPairNeverCoOccurs() {
        let pair = workload.disjointLabels
        let counts = workload.labelAssetCounts()
        #expect(counts[pair.first] > 0 && counts[pair.second] > 0)
        #expect(!workload.assets.contains { $0.labels.contains(pair.first) && $0.labels.contains(pair.second) })
    }
}
