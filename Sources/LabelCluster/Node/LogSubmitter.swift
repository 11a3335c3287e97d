import LabelCommands

/// Writes to a cluster from outside it (the `labelindex keys` and `cluster` commands): appends
/// submissions to their partition's log without applying them anywhere itself; every node
/// applies them as it follows the log.
public struct LogSubmitter: Sendable {
    let log: any ReplicationLog
    let partitions: PartitionMap
    let appenders: [PartitionAppender]

    public init(log: any ReplicationLog, partitions: PartitionMap) {
        self.log = log
        self.partitions = partitions
        self.appenders = (0..<partitions.count).map {
            PartitionAppender(partition: $0, log: log, maximumEntryBytes: EtcdReplicationLog.maximumEntryBytes)
        }
    }

    /// Appends `submission`; returns the partition and sequence of its entry, once etcd has
    /// committed it.
    public func append(_ submission: CommandSubmission) async throws -> (partition: UInt32, sequence: UInt64) {
        let partition = partitions.partition(of: submission.namespace)
        let appended = try await appenders[Int(partition)].append(submission)
        return (partition, appended.sequence)
    }
}
