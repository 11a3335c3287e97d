import Foundation

/// Dedicated threads for blocking engine work, so LMDB page faults, long queries and the writer's
/// lock never stall the Swift concurrency pool or an event loop: the store's async `read` and
/// `write` run on them, and the server's read lanes are such pools.
///
/// Jobs are queued per tenant (the calling account) and the threads take them round robin over
/// the tenants with work waiting, so one account's burst waits behind itself, not in front of
/// everybody; at most `perTenant` jobs of one tenant run at once (the expensive-query lane sets
/// it to keep one account from holding every thread of that lane).
package final class WorkerPool: @unchecked Sendable {
    private struct Job {
        var tenant: String
        var body: @Sendable () -> Void
    }

    /// One tenant's waiting jobs, taken from `head` so taking one does not move the rest.
    private final class TenantQueue {
        var jobs: [Job] = []
        var head = 0
        var isEmpty: Bool { head == jobs.count }

        func take() -> Job {
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 1_024 {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }

    private let condition = NSCondition()
    private let perTenant: Int
    // Guarded by `condition`.
    private var queues: [String: TenantQueue] = [:]
    /// Tenants with queued jobs, in the order they are served next.
    private var rotation: [String] = []
    private var runningPerTenant: [String: Int] = [:]
    private var stopping = false
    private var running = 0

    /// `threads` threads named `<name>-0`, `<name>-1`…
    package init(threads: Int, name: String = "lix-reader", perTenant: Int = .max) {
        self.perTenant = max(1, perTenant)
        running = max(1, threads)
        for index in 0..<running {
            // Named from inside the thread, which is what sets the name `top -H` and `perf` show.
            Thread { [self] in
                Thread.current.name = "\(name)-\(index)"
                self.work()
            }.start()
        }
    }

    /// Runs `body` on a pool thread, in `tenant`'s turn, and returns its result.
    package func run<T: Sendable>(tenant: String = "", _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit(Job(tenant: tenant) { continuation.resume(with: Result(catching: body)) })
        }
    }

    private func submit(_ job: Job) {
        condition.lock()
        let queue: TenantQueue
        if let existing = queues[job.tenant] {
            queue = existing
        } else {
            queue = TenantQueue()
            queues[job.tenant] = queue
            rotation.append(job.tenant)
        }
        queue.jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Finishes the queued jobs, then stops the threads, and returns when they have stopped.
    package func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    /// Lets the threads stop once the queued jobs are done, without waiting for them (callable
    /// from a pool thread). Nothing may be submitted afterwards.
    package func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next job in round-robin order whose tenant is under `perTenant`; called locked.
    private func takeNext() -> Job? {
        guard
            let position = rotation.firstIndex(where: { runningPerTenant[$0, default: 0] < perTenant }),
            let queue = queues[rotation[position]]
        else { return nil }
        let tenant = rotation.remove(at: position)
        let job = queue.take()
        if queue.isEmpty {
            queues[tenant] = nil
        } else {
            rotation.append(tenant)
        }
        runningPerTenant[tenant, default: 0] += 1
        return job
    }

    private func work() {
        condition.lock()
        while true {
            if let job = takeNext() {
                condition.unlock()
                job.body()
                condition.lock()
                runningPerTenant[job.tenant, default: 1] -= 1
                if runningPerTenant[job.tenant] == 0 { runningPerTenant[job.tenant] = nil }
                // A tenant that was at its cap may have work another thread can now take.
                if perTenant != .max { condition.broadcast() }
                continue
            }
            if stopping && rotation.isEmpty {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.wait()
        }
    }
}
