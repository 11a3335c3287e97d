import Foundation
import LMDB

/// A fresh environment in a temporary directory, deleted afterwards.
final class TemporaryEnvironment {
    let path: String
    let environment: Environment

    init(configure: (inout Environment.Options) -> Void = { _ in }) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("lmdb-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var options = Environment.Options()
        options.durability = .noSync
        configure(&options)
        environment = try Environment(path: path, options: options)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func database(_ name: String, _ flags: DatabaseFlags = []) throws -> Database {
        try environment.write { try $0.openDatabase(named: name, flags: flags.union(.create)) }
    }
}

extension Array where Element == UInt8 {
    init(_ text: String) { self = Array(text.utf8) }
}

func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
