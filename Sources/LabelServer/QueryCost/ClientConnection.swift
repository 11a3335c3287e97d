import Hummingbird
import LabelQuery
import NIOCore
import Synchronization

/// Hummingbird 2.28 does not cancel a handler when its client goes away: the request task runs
/// to the end and only the write of the response fails (`HTTPChannelHandler.handleHTTP` reacts
/// to task cancellation, not to the connection closing, and the server allows half-closure, so
/// the channel stays active after the client's FIN). This handler, in every connection's
/// pipeline, cancels the connection's `QueryCancellation` when the input closes (FIN) or the
/// channel goes inactive (RST, close), and the request task finds it through
/// `ClientConnection.cancellation`. A client that half-closes its side while waiting for the
/// answer is taken as gone too, as proxies do.
final class ClientDisconnectWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        ClientConnection.register(context.channel)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        ClientConnection.removed(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        ClientConnection.closed(context.channel)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event { ClientConnection.closed(context.channel) }
        context.fireUserInboundEventTriggered(event)
    }
}

/// The cancellation of each open connection's queries, and the one of the current request.
enum ClientConnection {
    /// A connection's cancellation, keyed by the channel's identifier; the weak reference tells
    /// a channel from a later one allocated at the same address.
    private struct Entry {
        weak var channel: (any Channel)?
        var cancellation: QueryCancellation
        var removal: UInt64 = 0

        func belongs(to channel: any Channel) -> Bool { self.channel === channel }
    }

    /// Open connections, and the last connections torn down: a request read just before its
    /// client left may start its task after the pipeline is gone, and must still find its
    /// connection cancelled.
    private struct Registry {
        var open: [ObjectIdentifier: Entry] = [:]
        var gone: [ObjectIdentifier: Entry] = [:]
        /// Ring of `(channel, removal)` in removal order, so an entry is forgotten only when
        /// it is the oldest removal of its channel.
        var goneOrder: [(id: ObjectIdentifier, removal: UInt64)] = []
        var removals: UInt64 = 0
    }

    /// How many torn-down connections stay known.
    static let rememberedClosedConnections = 1_024

    private static let registry = Mutex(Registry())

    /// The cancellation of the connection the current request arrived on; `nil` outside a
    /// connection (router tests).
    @TaskLocal static var cancellation: QueryCancellation?

    static func register(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        registry.withLock {
            $0.gone[id] = nil
            $0.open[id] = Entry(channel: channel, cancellation: QueryCancellation())
        }
    }

    /// Cancels the connection's queries (its client sent FIN or the channel went inactive).
    static func closed(_ channel: any Channel) {
        cancellation(of: channel)?.cancel()
    }

    /// The pipeline is torn down: the cancellation moves to the remembered closed connections.
    static func removed(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        registry.withLock { registry in
            guard var entry = registry.open.removeValue(forKey: id), entry.belongs(to: channel) else { return }
            entry.cancellation.cancel()
            entry.removal = registry.removals
            registry.removals += 1
            registry.gone[id] = entry
            let slot = Int(entry.removal % UInt64(rememberedClosedConnections))
            if slot == registry.goneOrder.count {
                registry.goneOrder.append((id, entry.removal))
            } else {
                let oldest = registry.goneOrder[slot]
                if registry.gone[oldest.id]?.removal == oldest.removal { registry.gone[oldest.id] = nil }
                registry.goneOrder[slot] = (id, entry.removal)
            }
        }
    }

    /// The connection's cancellation, cancelled when the connection is closed or gone; `nil`
    /// for a channel never registered.
    static func cancellation(of channel: any Channel) -> QueryCancellation? {
        let id = ObjectIdentifier(channel)
        return registry.withLock { registry in
            if let entry = registry.open[id], entry.belongs(to: channel) { return entry.cancellation }
            if let entry = registry.gone[id], entry.belongs(to: channel) { return entry.cancellation }
            return nil
        }
    }
}

/// The request context of the application: `BasicRequestContext` drops the channel, so the
/// application is built on this one and hands the router a `BasicRequestContext` inside the
/// connection's `ClientConnection.cancellation`.
struct ConnectionRequestContext: RequestContext {
    typealias Source = ApplicationRequestContextSource
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: Source) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }
}

/// The router, with every request run inside its connection's cancellation.
struct ConnectionAwareResponder: HTTPResponder {
    let router: RouterResponder<BasicRequestContext>

    func respond(to request: Request, context: ConnectionRequestContext) async throws -> Response {
        let basic = BasicRequestContext(
            source: ApplicationRequestContextSource(channel: context.channel, logger: context.logger))
        return try await ClientConnection.$cancellation.withValue(ClientConnection.cancellation(of: context.channel)) {
            try await router.respond(to: request, context: basic)
        }
    }
}
