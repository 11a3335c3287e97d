import Foundation
import Synchronization

/// Runs workers on their own threads for a fixed time and counts the operations each finished:
/// the mixed read/write throughput measurement.
///
/// Each worker is a factory that runs on its thread first (to open connections and warm up,
/// outside the timed window) and returns the operation to repeat. All threads start the timed
/// window together and stop when it ends.
enum ConcurrentRun {
    typealias Worker = @Sendable () throws -> () throws -> Void

    /// Operations finished per worker, in the order given, and the seconds the window lasted.
    static func run(_ workers: [Worker], for duration: Duration) throws -> (counts: [Int], seconds: Double) {
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let stop = Atomic<Bool>(false)
        let outcomes = Mutex<[Int: Result<Int, any Error>]>([:])
        for (index, worker) in workers.enumerated() {
            let thread = Thread {
                let outcome = Result<Int, any Error> {
                    let operation: () throws -> Void
                    do {
                        operation = try worker()
                    } catch {
                        ready.signal()
                        throw error
                    }
                    ready.signal()
                    go.wait()
                    var count = 0
                    while !stop.load(ordering: .relaxed) {
                        try operation()
                        count += 1
                    }
                    return count
                }
                outcomes.withLock { $0[index] = outcome }
                done.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in workers { ready.wait() }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in workers { go.signal() }
        Thread.sleep(
            forTimeInterval: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        stop.store(true, ordering: .relaxed)
        let elapsed = (clock.now - start).components
        for _ in workers { done.wait() }
        let results = outcomes.withLock { $0 }
        let counts = try workers.indices.map { try results[$0]!.get() }
        return (counts, Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
    }
}
