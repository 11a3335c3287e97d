import HTTPTypes
import LabelIndex
import Logging
import Testing

@testable import LabelServer

/// A full disk is 507 Insufficient Storage in every family, with the family's own error body
/// and a message that names the cause (the process-level test on a real full file system is
/// CLITests' FullDiskTests).
@Suite struct StorageFullTests {
    static let full = LabelIndexError.outOfSpace(path: "/data", availableBytes: 0)
    static let logger = Logger(label: "test")

    @Test func engineFailureIsCapacity() {
        let failure = EngineFailure(Self.full)
        #expect(failure.kind == .capacity)
        #expect(failure.status.code == 507)
        #expect(failure.message.contains("the disk holding /data is full"))
    }

    @Test func everyFamilyAnswers507WithItsBody() {
        let native = NativeError.from(Self.full, logger: Self.logger)
        #expect(native.status.code == 507 && native.code == "insufficient_storage")
        #expect(native.message.contains("is full"))

        let discovery = ProjectDiscoveryError.from(Self.full, logger: Self.logger)
        #expect(discovery.status.code == 507 && discovery.code == "CAPACITY")
        #expect(discovery.message.contains("is full"))

        let labeling = LabelingError.from(Self.full, logger: Self.logger)
        #expect(labeling.status.code == 507)
        #expect(labeling.message.contains("is full"))

        let actionHub = ActionHubError.from(Self.full, logger: Self.logger)
        #expect(actionHub.status.code == 507)
        #expect(actionHub.detail == .string(Self.full.description))
    }
}
