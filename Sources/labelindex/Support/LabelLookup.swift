import LabelCommandLine
import LabelIndex

extension NamespaceReader {
    /// The label whose path (see `LabelPath`) is `path`, or a bad-input failure naming the
    /// namespace.
    func existingLabel(named path: String) throws -> Label {
        guard let label = try label(named: path) else {
            throw CommandFailure.badInput("no label named \"\(path)\" in namespace \(namespace)")
        }
        return label
    }
}

extension Writer {
    /// The namespace when it exists; a command that changes existing data never creates one.
    func requireNamespace(_ namespace: Namespace) throws -> NamespaceWriter {
        guard let writer = try existingNamespace(namespace) else {
            throw CommandFailure.badInput("namespace \(namespace) does not exist")
        }
        return writer
    }
}

extension Snapshot {
    func requireNamespace(_ namespace: Namespace) throws -> NamespaceReader {
        guard let reader = try self.namespace(namespace) else {
            throw CommandFailure.badInput("namespace \(namespace) does not exist")
        }
        return reader
    }
}
