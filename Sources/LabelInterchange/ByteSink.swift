// The only file of the writing side that touches the operating system.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a writer's bytes go: a file it created, a descriptor it does not own, or a closure.
final class ByteSink {
    private enum Destination {
        case file(Int32)
        case descriptor(Int32)
        case closure((UnsafeRawBufferPointer) throws -> Void)
    }

    private var destination: Destination?
    /// The name used in errors.
    let name: String

    /// Creates (or truncates) the file at `path`.
    init(creatingFileAt path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw InterchangeIOError.fromErrno(file: path, operation: "creating the file") }
        destination = .file(descriptor)
        name = path
    }

    init(fileDescriptor: Int32, name: String) {
        destination = .descriptor(fileDescriptor)
        self.name = name
    }

    init(name: String, closure: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        destination = .closure(closure)
        self.name = name
    }

    deinit {
        if case .file(let descriptor) = destination { _ = Foundation.close(descriptor) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        switch destination {
        case .file(let descriptor), .descriptor(let descriptor):
            var written = 0
            while written < bytes.count {
                let n = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw InterchangeIOError.fromErrno(file: name, operation: "write")
                }
                written += n
            }
        case .closure(let closure):
            try closure(bytes)
        case nil:
            throw InterchangeIOError(file: name, message: "write after close")
        }
    }

    /// Closes a file the sink created; later writes fail.
    func close() throws {
        if case .file(let descriptor) = destination, Foundation.close(descriptor) != 0 {
            destination = nil
            throw InterchangeIOError.fromErrno(file: name, operation: "close")
        }
        destination = nil
    }
}
