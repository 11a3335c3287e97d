import Foundation

/// Dedicated threads for blocking engine reads, so LMDB page faults and long queries never
/// stall the NIO event loops. Each job runs on an MVCC snapshot and never waits for the writer.
final class ReadPool: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [@Sendable () -> Void] = []
    private var head = 0
    private var stopping = false
    private var running = 0

    init(threads: Int) {
        running = max(1, threads)
        for index in 0..<running {
            // Named from inside the thread, which is what sets the name `top -H` and `perf` show.
            Thread { [self] in
                Thread.current.name = "lix-reader-\(index)"
                self.work()
            }.start()
        }
    }

    /// Runs `body` on a pool thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result(catching: body)) }
        }
    }

    private func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Finishes the queued jobs, then stops the threads.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == queue.count && !stopping { condition.wait() }
            guard head < queue.count else {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let job = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 4096 {
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
