// The connection limits of `ConnectionLimits`: how long a connection may sit idle, dribble a
// request header or stall inside a body, and how many may be open at once. Without them idle
// and half-sent requests held file descriptors forever, until new connections (even
// `/healthz`) failed. Hummingbird's own idle timeout cannot tell a partial header from an idle
// connection, so it stays off and this file owns all three timeouts.

import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Hummingbird's HTTP/1.1 child channel, with the timeouts and the connection cap in front.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel
    let limits: ConnectionLimits
    let counter: ConnectionCounter

    static func builder(limits: ConnectionLimits, logger: Logger) -> HTTPServerBuilder {
        let counter = ConnectionCounter(limit: limits.maxConnections, logger: logger)
        return HTTPServerBuilder { responder in
            // The disconnect watcher cancels a gone client's queries (QueryCost/ClientConnection).
            let http1 = HTTP1Channel(
                responder: responder, configuration: .init(additionalChannelHandlers: [ClientDisconnectWatcher()]))
            return GuardedHTTP1Channel(inner: http1, limits: limits, counter: counter)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let pipeline = channel.pipeline.syncOperations
        do {
            guard counter.open() else {
                // Still set up normally, so Hummingbird gets its channel value; the refusal
                // handler answers and closes before any request reaches it.
                try pipeline.addHandler(ConnectionRefusal(limit: limits.maxConnections), position: .first)
                return inner.setup(channel: channel, logger: logger)
            }
            let counter = self.counter
            channel.closeFuture.whenComplete { _ in counter.close() }
            let timeouts = ConnectionTimeouts(limits: limits, logger: logger)
            try pipeline.addHandler(ByteActivityHandler(timeouts: timeouts), position: .first)
            return inner.setup(channel: channel, logger: logger).assumeIsolated().flatMapThrowing { value in
                // After the HTTP decoder (which HTTP1Channel adds), where request parts are seen.
                let sync = channel.pipeline.syncOperations
                let state = try sync.context(handlerType: HTTPConnectionStateHandler.self)
                try sync.addHandler(RequestActivityHandler(timeouts: timeouts), position: .before(state.handler))
                return value
            }.nonisolated()
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Open connections across every event loop, and the rate-limited log line of refusals.
final class ConnectionCounter: Sendable {
    let limit: Int
    let logger: Logger
    private let count = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)
    private let lastLogged = Atomic<Int64>(0)

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    var openConnections: Int { count.load(ordering: .relaxed) }

    /// Counts a new connection, or refuses it (and logs at most one line per 10 seconds).
    func open() -> Bool {
        if count.wrappingAdd(1, ordering: .relaxed).newValue <= limit { return true }
        count.wrappingSubtract(1, ordering: .relaxed)
        let total = refused.wrappingAdd(1, ordering: .relaxed).newValue
        let now = Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000_000)
        let last = lastLogged.load(ordering: .relaxed)
        if now - last >= 10 || last == 0,
            lastLogged.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged
        {
            logger.warning(
                "refusing connections: \(limit) are open, the limit (--max-connections)",
                metadata: ["refused_total": "\(total)"])
        }
        return false
    }

    func close() { count.wrappingSubtract(1, ordering: .relaxed) }
}

/// Answers a connection past the cap with 503 and `Retry-After`, then closes it. Its output is
/// shut first and the socket closed a moment later, so the client reads the answer instead of a
/// reset for the request bytes it has already sent.
final class ConnectionRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    let limit: Int

    init(limit: Int) { self.limit = limit }

    func handlerAdded(context: ChannelHandlerContext) {
        let body =
            #"{"error":"unavailable","message":"the server has reached its limit of \#(limit) open connections; retry later"}"#
        let head =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
            + "Connection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        let channel = context.channel
        let loop = context.eventLoop
        context.writeAndFlush(NIOAny(ByteBuffer(string: head + body))).whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            loop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}  // the request is not read

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event { context.close(promise: nil) }
    }
}

/// One connection's position in its request/response cycle and the deadline that applies to it.
/// Confined to the connection's event loop.
final class ConnectionTimeouts {
    enum Phase {
        /// No request being read: waiting for the first byte of the next one.
        case idle
        /// Bytes of a request header have arrived, the complete head has not.
        case readingHead
        /// The head has arrived, the body has not ended.
        case readingBody
        /// Every request read is being answered.
        case answering
    }

    let limits: ConnectionLimits
    let logger: Logger
    private(set) var phase = Phase.idle
    private var phaseStart = NIODeadline.now()
    private var unanswered = 0
    private var timer: Scheduled<Void>?
    /// The byte-level end of the pipeline, where the timer runs and a 408 is written.
    var context: ChannelHandlerContext?

    init(limits: ConnectionLimits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    var deadline: NIODeadline? {
        switch phase {
        case .idle: phaseStart + limits.idleTimeout.timeAmount
        case .readingHead: phaseStart + limits.headerTimeout.timeAmount
        case .readingBody: phaseStart + limits.bodyTimeout.timeAmount
        case .answering: nil
        }
    }

    /// A new phase may have an earlier deadline, so its timer is scheduled afresh; within a
    /// phase the deadline only moves later, and `expire` reschedules.
    private func enter(_ next: Phase) {
        phase = next
        phaseStart = .now()
        timer?.cancel()
        timer = nil
        arm()
    }

    func bytesArrived() {
        switch phase {
        case .idle: enter(.readingHead)
        case .readingBody: phaseStart = .now()  // the body timeout bounds each wait for more bytes
        case .readingHead, .answering: break
        }
    }

    func requestHead() {
        unanswered += 1
        enter(.readingBody)
    }

    func requestBodyPart() { phaseStart = .now() }

    func requestEnd() { enter(unanswered > 0 ? .answering : .idle) }

    func responseEnd() {
        unanswered -= 1
        if unanswered == 0, phase == .answering { enter(.idle) }
    }

    private func arm() {
        guard timer == nil, let deadline, let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            expire()
        }
    }

    private func expire() {
        guard let deadline, let context else { return }
        guard deadline <= .now() else { return arm() }
        logger.debug(
            "closing connection: \(phase) timeout", metadata: ["remote": "\(context.remoteAddress, default: "")"])
        if phase == .readingHead, unanswered == 0 {
            let response = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
            context.writeAndFlush(NIOAny(ByteBuffer(string: response)), promise: nil)
        }
        context.close(promise: nil)
    }

    func stop() {
        timer?.cancel()
        timer = nil
        context = nil
    }
}

/// First in the pipeline: sees raw bytes, so a partial header starts the header timeout.
final class ByteActivityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let timeouts: ConnectionTimeouts

    init(timeouts: ConnectionTimeouts) { self.timeouts = timeouts }

    func handlerAdded(context: ChannelHandlerContext) {
        timeouts.context = context
        timeouts.requestEnd()  // starts the idle timeout
    }

    func handlerRemoved(context: ChannelHandlerContext) { timeouts.stop() }

    func channelInactive(context: ChannelHandlerContext) {
        timeouts.stop()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        timeouts.bytesArrived()
        context.fireChannelRead(data)
    }
}

/// After the HTTP decoder: sees where each request's head and body end and each response ends.
final class RequestActivityHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let timeouts: ConnectionTimeouts

    init(timeouts: ConnectionTimeouts) { self.timeouts = timeouts }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: timeouts.requestHead()
        case .body: timeouts.requestBodyPart()
        case .end: timeouts.requestEnd()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { timeouts.responseEnd() }
        context.write(data, promise: promise)
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
