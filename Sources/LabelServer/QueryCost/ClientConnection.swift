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
    private static let open = Mutex<[ObjectIdentifier: QueryCancellation]>([:])

    /// The cancellation of the connection the current request arrived on; `nil` outside a
    /// connection (router tests) .
    @TaskLocal static var cancellation: QueryCancellation?

    static func register(_ channel: any Channel) {
        open.withLock { $0[ObjectIdentifier(channel)] = QueryCancellation() }
    }

    /// Cancels the connection's queries. The cancelled value stays until the pipeline is torn
    /// down, so a request read before the client left, whose task starts only now, still finds it.
    static func closed(_ channel: any Channel) {
        open.withLock { $0[ObjectIdentifier(channel)] }?.cancel()
    }

    static func removed(_ channel: any Channel) {
        open.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }?.cancel()
    }

    /// The connection's cancellation; an already cancelled one when the connection is gone
    /// (its pipeline torn down before the request's task began).
    static func cancellation(of channel: any Channel) -> QueryCancellation? {
        if let cancellation = open.withLock({ $0[ObjectIdentifier(channel)] }) { return cancellation }
        guard !channel.isActive else { return nil }
        let gone = QueryCancellation()
        gone.cancel()
        return gone
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
