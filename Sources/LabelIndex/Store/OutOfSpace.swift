import Foundation
import LMDB

extension LabelIndexError {
    /// Classifies an LMDB error from an operation that wrote under `path`: a full disk becomes
    /// ``outOfSpace(path:availableBytes:)``, anything else ``storage(_:)``.
    init(_ error: LMDBError, writingTo path: String) {
        guard case .system(let code) = error, [ENOSPC, EDQUOT, EIO].contains(code) else {
            self = .storage(error)
            return
        }
        let available = Self.availableBytes(at: path)
        if code == EIO, (available ?? 0) >= Self.outOfSpaceThreshold {
            self = .storage(error)
        } else {
            self = .outOfSpace(path: path, availableBytes: available)
        }
    }

    /// Free bytes for unprivileged writers on the file system holding `path`.
    static func availableBytes(at path: String) -> Int64? {
        var status = statvfs()
        guard statvfs(path, &status) == 0 else { return nil }
        return Int64(status.f_bavail) * Int64(status.f_frsize)
    }
}
