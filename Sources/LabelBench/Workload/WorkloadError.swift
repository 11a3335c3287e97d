/// Why a workload could not be generated, written or read.
public enum WorkloadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The spec asks for something the generator cannot produce.
    case invalidSpec(String)
    /// A workload file is missing a field, refers to an unknown label or asset, or is not valid.
    case malformedFile(file: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidSpec(let reason): "invalid workload spec: \(reason)"
        case .malformedFile(let file, let line, let reason): "\(file):\(line): \(reason)"
        }
    }
}
