import NIOCore
import NIOEmbedded
import Testing

@testable import LabelServer

/// `ClientConnection`: a connection's queries are cancelled when its client leaves, and a
/// request whose task begins only after the pipeline is torn down still finds them cancelled.
@Suite struct ClientConnectionTests {
    static func connectedChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ClientDisconnectWatcher())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    /// Closes `channel` and runs its loop, where NIO tears the pipeline down after the close.
    static func tearDown(_ channel: EmbeddedChannel) throws {
        try channel.close().wait()
        channel.embeddedEventLoop.run()
        #expect(throws: (any Error).self) {
            try channel.pipeline.syncOperations.context(handlerType: ClientDisconnectWatcher.self)
        }
    }

    @Test func anOpenConnectionsCancellationIsNotCancelled() throws {
        let channel = try Self.connectedChannel()
        let cancellation = try #require(ClientConnection.cancellation(of: channel))
        #expect(!cancellation.isCancelled)
        _ = try channel.finish()
    }

    @Test func aClientsFINCancelsItsQueries() throws {
        let channel = try Self.connectedChannel()
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(ClientConnection.cancellation(of: channel)?.isCancelled == true)
        _ = try channel.finish()
    }

    @Test func aConnectionTornDownBeforeItsRequestBeganIsFoundCancelled() throws {
        let channel = try Self.connectedChannel()
        let cancellation = try #require(ClientConnection.cancellation(of: channel))
        try Self.tearDown(channel)
        #expect(!channel.isActive)
        #expect(ClientConnection.cancellation(of: channel) === cancellation)
        #expect(cancellation.isCancelled)
    }

    @Test func aChannelNeverConnectedHasNoCancellation() {
        #expect(ClientConnection.cancellation(of: EmbeddedChannel()) == nil)
    }

    /// A channel allocated where a torn-down one was (router tests' channels are never
    /// registered) must not take the old one's cancelled value.
    @Test func aNewChannelAtAClosedOnesAddressHasNoCancellation() throws {
        var addresses = Set<ObjectIdentifier>()
        for _ in 0..<200 {
            do {
                let channel = try Self.connectedChannel()
                try Self.tearDown(channel)
                addresses.insert(ObjectIdentifier(channel))
            }
            let fresh = EmbeddedChannel()
            #expect(
                ClientConnection.cancellation(of: fresh) == nil,
                "reused: \(addresses.contains(ObjectIdentifier(fresh)))")
        }
    }

    @Test func closedConnectionsAreRememberedUpToTheLimit() throws {
        let first = try Self.connectedChannel()
        try Self.tearDown(first)
        #expect(ClientConnection.cancellation(of: first)?.isCancelled == true)
        var others: [EmbeddedChannel] = []  // kept alive, so no identifier is reused
        for _ in 0..<ClientConnection.rememberedClosedConnections {
            let channel = try Self.connectedChannel()
            try Self.tearDown(channel)
            others.append(channel)
        }
        #expect(ClientConnection.cancellation(of: first) == nil)
        #expect(ClientConnection.cancellation(of: others.last!)?.isCancelled == true)
    }
}
