import Foundation
import LMDB
import Testing

@testable import LabelIndex

/// A full disk is told apart from other storage failures, by errno and, for LMDB's `EIO` after
/// a short write, by the free space left where the store lives.
@Suite struct OutOfSpaceTests {
    @Test(arguments: [ENOSPC, EDQUOT])
    func noSpaceErrorsAreOutOfSpace(code: Int32) {
        let error = LabelIndexError(LMDBError.system(errno: code), writingTo: NSTemporaryDirectory())
        guard case .outOfSpace(let path, let available) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(path == NSTemporaryDirectory())
        #expect(available != nil)
        #expect(error.description.contains("is full"))
        #expect(!error.isCausedByInput)
    }

    /// The temporary directory has room to spare, so an `EIO` there is a device error.
    @Test func anInputOutputErrorWithRoomToSpareStaysAStorageError() throws {
        let available = try #require(LabelIndexError.availableBytes(at: NSTemporaryDirectory()))
        try #require(available > LabelIndexError.outOfSpaceThreshold, "the test needs 16 MiB free in /tmp")
        let error = LabelIndexError(LMDBError.system(errno: EIO), writingTo: NSTemporaryDirectory())
        #expect(error == .storage(.system(errno: EIO)))
    }

    @Test func otherLMDBErrorsStayStorageErrors() {
        #expect(LabelIndexError(LMDBError.corrupted, writingTo: "/") == .storage(.corrupted))
        #expect(LabelIndexError(LMDBError.system(errno: EACCES), writingTo: "/") == .storage(.system(errno: EACCES)))
    }

    @Test func theMessageNamesThePathAndTheFreeBytes() {
        let error = LabelIndexError.outOfSpace(path: "/var/lib/labelindex", availableBytes: 4096)
        #expect(
            error.description
                == "the disk holding /var/lib/labelindex is full (4096 bytes free): the write was not made; free some space and retry"
        )
    }

    @Test func inputErrorsAreTheCallersAndCapacityErrorsAreNot() {
        #expect(LabelIndexError.labelAlreadyExists("x").isCausedByInput)
        #expect(LabelIndexError.invalidWeight(.nan).isCausedByInput)
        #expect(!LabelIndexError.assetCapacityReached(limit: 1).isCausedByInput)
        #expect(!LabelIndexError.storage(.mapFull).isCausedByInput)
    }
}
