import Foundation
import LabelCommands
import LabelIndex
import Testing

@Suite struct CommandCodecTests {
    @Test func roundTripsASubmission() throws {
        let submission = CommandSubmission(
            [
                .upsertAsset(
                    "ns", .typed(type: "form", id: "1"), AssetAttributes(name: "n", metadata: [1, 2]),
                    labels: [LabelAssignment("a", weight: 0.5)]),
                .changeLabels("ns", .id(-7), .remove(["x"])),
            ], timestamp: 1_700_000_000_000, idempotencyKey: "k")
        let decoded = try CommandCodec.decode(CommandCodec.encode([submission]))
        #expect(decoded == [submission])
    }
}
