import Foundation
import LabelIndex

/// Writes a namespace as NDJSON that `Importer` reads back into an identical namespace: label
/// lines first (parents before children), then every asset in ordinal (creation) order with
/// its attributes, metadata and weighted labels. Runs on one read snapshot, so the file is a
/// consistent picture even while writers go on.
public struct Exporter {
    public let store: LabelStore
    public var namespace: Namespace

    public init(store: LabelStore, namespace: Namespace = .default) {
        self.store = store
        self.namespace = namespace
    }

    /// What was written.
    public struct Report: Sendable {
        public var labels = 0
        public var assets = 0
    }

    /// Writes the namespace to `writer` (and flushes it); an absent namespace writes nothing.
    @discardableResult
    public func export(to writer: NDJSONWriter, pageSize: Int = 10_000) throws -> Report {
        try store.read { snapshot in
            var report = Report()
            guard let reader = try snapshot.namespace(namespace) else {
                try writer.flush()
                return report
            }
            let labels = try reader.labels()
            var position: [LabelID: Int] = [:]
            for (index, label) in labels.enumerated() { position[label.id] = index }
            // Assets name their labels by path, and so do definitions their parents.
            let names = labels.map(\.path)
            try writer.writeLabels(
                labels.map { label in
                    LabelRecord(
                        name: label.name, color: label.color.hex,
                        parent: label.parent.flatMap { position[$0].map { names[$0] } }, weight: label.weight)
                })
            report.labels = labels.count
            var after: AssetOrdinal?
            while true {
                let page = try reader.assets(after: after, limit: pageSize)
                guard let last = page.last else { break }
                for asset in page {
                    try writer.writeAsset(
                        AssetRecord(
                            key: AssetRecord.Key(asset.key), name: asset.name, assetType: asset.assetType,
                            createdAt: Self.milliseconds(asset.createdAt),
                            updatedAt: Self.milliseconds(asset.updatedAt),
                            metadata: asset.metadata,
                            labels: asset.labels.map { (label: position[$0.id] ?? 0, weight: $0.weight) }),
                        labelNames: names)
                }
                report.assets += page.count
                after = last.ordinal
            }
            try writer.flush()
            return report
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

extension AssetRecord.Key {
    init(_ key: AssetKey) {
        switch key {
        case .id(let id): self = .int(id)
        case .typed(let type, let id): self = .typed(type: type, id: id)
        }
    }
}
