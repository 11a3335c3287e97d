import LabelBench
import LabelIndex

/// Single-label writes from the workload's `writes.tsv` mix, each its own transaction, timed one
/// by one and split into adds and removes.
struct WriteBench: Sendable {
    /// A write with everything each system needs resolved up front, so only the write is timed.
    struct Operation: Sendable {
        var kind: WriteOperation.Kind
        var assetID: Int64
        var ordinal: Int
        var label: Int
        var labelName: String
    }

    let operations: [Operation]

    init(workload: Workload, operations: [WriteOperation]) {
        let ordinals = workload.assetOrdinalsByID()
        self.operations = operations.compactMap { operation in
            ordinals[operation.assetID].map { ordinal in
                Operation(
                    kind: operation.kind, assetID: operation.assetID, ordinal: ordinal, label: operation.label,
                    labelName: workload.labels[operation.label].name)
            }
        }
    }

    /// The write a loop makes at `step`: each operation, then its inverse. Replaying the mix from
    /// a state it has already been applied to would mostly add labels that are present and
    /// remove ones that are absent, and such no-op commits write nothing (and so skip the
    /// fsync); toggling makes every write after the first round a real change.
    func toggled(_ step: Int) -> Operation {
        var operation = operations[(step / 2) % operations.count]
        if step % 2 == 1 { operation.kind = operation.kind == .add ? .remove : .add }
        return operation
    }

    /// Applies every operation through `apply` and returns the add and remove latencies, or
    /// `nil` when there was nothing to measure.
    func measure(_ system: BenchReport.System, _ apply: (Operation) throws -> Void) throws -> BenchReport.WriteResult? {
        let clock = ContinuousClock()
        var adds: [Int64] = []
        var removes: [Int64] = []
        for operation in operations {
            let start = clock.now
            try apply(operation)
            let nanoseconds = LatencySample.nanoseconds(clock.now - start)
            if operation.kind == .add { adds.append(nanoseconds) } else { removes.append(nanoseconds) }
        }
        guard !adds.isEmpty, !removes.isEmpty else { return nil }
        return BenchReport.WriteResult(
            system: system, add: .init(LatencySample(nanoseconds: adds)),
            remove: .init(LatencySample(nanoseconds: removes)))
    }

    func applyToLabelIndex(_ store: LabelStore, _ operation: Operation) throws {
        try store.write { writer in
            let namespace = try writer.namespace(.default)
            switch operation.kind {
            case .add: try namespace.apply(.append([LabelAssignment(operation.labelName)]), to: .id(operation.assetID))
            case .remove: try namespace.apply(.remove([operation.labelName]), to: .id(operation.assetID))
            }
        }
    }

    func applyToSQLite(_ sqlite: SQLiteBaseline, _ operation: Operation) throws {
        switch operation.kind {
        case .add: try sqlite.add(ord: operation.ordinal, label: operation.label)
        case .remove: try sqlite.remove(ord: operation.ordinal, label: operation.label)
        }
    }
}
