// The only file of the reading side that touches the operating system.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure to open, read or write a file (as opposed to bad content, which is a `LineError`).
public struct InterchangeIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file name given to the reader or writer.
    public var file: String
    /// What the operating system reported.
    public var message: String

    /// An error about `file`.
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// `file: message`.
    public var description: String { "\(file): \(message)" }

    static func fromErrno(file: String, operation: String) -> InterchangeIOError {
        InterchangeIOError(file: file, message: "\(operation) failed: \(String(cString: strerror(errno)))")
    }
}

/// Where a reader's bytes come from: an open file, a descriptor it does not own, or memory.
final class ByteSource {
    private enum Origin {
        case file(FileHandle)
        case descriptor(Int32)
        case memory([UInt8])
    }

    private let origin: Origin
    private var memoryPosition = 0
    /// The name used in errors.
    let name: String
    /// The total size, when known up front (regular files and memory).
    let size: Int?

    init(path: String) throws {
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            origin = .file(handle)
            size = Self.regularFileSize(handle.fileDescriptor)
        } catch {
            throw InterchangeIOError(file: path, message: "cannot open for reading: \(error.localizedDescription)")
        }
        name = path
    }

    init(fileDescriptor: Int32, name: String) {
        origin = .descriptor(fileDescriptor)
        size = Self.regularFileSize(fileDescriptor)
        self.name = name
    }

    init(bytes: [UInt8], name: String) {
        origin = .memory(bytes)
        size = bytes.count
        self.name = name
    }

    private static func regularFileSize(_ descriptor: Int32) -> Int? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// Reads up to `buffer.count` bytes; returns 0 only at the end of the input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        switch origin {
        case .memory(let bytes):
            let n = min(buffer.count, bytes.count - memoryPosition)
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[memoryPosition..<memoryPosition + n]))
            }
            memoryPosition += n
            return n
        case .file(let handle):
            return try readDescriptor(handle.fileDescriptor, into: buffer)
        case .descriptor(let descriptor):
            return try readDescriptor(descriptor, into: buffer)
        }
    }

    private func readDescriptor(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw InterchangeIOError.fromErrno(file: name, operation: "read") }
        }
    }
}

extension NDJSONReader {
    /// A reader over the bytes of `data`; `name` appears in errors.
    public convenience init(
        data: Data, name: String = "<data>", options: ImportOptions = ImportOptions(),
        interner: LabelInterner = LabelInterner()
    ) {
        self.init(bytes: [UInt8](data), name: name, options: options, interner: interner)
    }
}

extension CSVReader {
    /// A reader over the bytes of `data`; `name` appears in errors.
    public convenience init(
        data: Data, name: String = "<data>", options: ImportOptions = ImportOptions(),
        interner: LabelInterner = LabelInterner()
    ) {
        self.init(bytes: [UInt8](data), name: name, options: options, interner: interner)
    }
}
