import Foundation
import Synchronization

extension LabelStore {
    /// Runs `body` on a consistent snapshot, on one of the store's reader threads
    /// (`Options.asyncReadThreads`), so an async caller never blocks a thread of the Swift
    /// concurrency pool on LMDB. Reads run in parallel with each other and with writes.
    ///
    /// ```swift
    /// let labels = try await store.read { snapshot in
    ///     try snapshot.namespace(.default)?.labels(of: .id(123_456))
    /// }
    /// ```
    ///
    /// `body` runs to its end once started; a cancelled task still gets its result.
    public func read<R: Sendable>(_ body: @escaping @Sendable (Snapshot) throws -> R) async throws -> R {
        try await asyncThreads.readers.run { try self.read(body) }
    }

    /// Runs `body` in one write transaction on the store's writer thread, in the order the calls
    /// arrive, so async callers queue for the single writer without blocking the Swift
    /// concurrency pool. Returns when the transaction has committed (durably, with the default
    /// `.durable`). Many small writes commit faster as one: batch them in one `body`, or submit
    /// commands through `LabelCommands`' group commit.
    public func write<R: Sendable>(_ body: @escaping @Sendable (Writer) throws -> R) async throws -> R {
        try await asyncThreads.writer.run { try self.write(body) }
    }
}

/// The threads of a store's async `read` and `write`, made on first use: a store used only
/// synchronously starts none. They stop when the store is released.
final class AsyncThreads: Sendable {
    private struct Pools {
        var readers: WorkerPool?
        var writer: WorkerPool?
    }

    private let pools = Mutex(Pools())
    private let readerCount: Int

    init(readers: Int) { readerCount = Swift.max(1, readers) }

    var readers: WorkerPool { pool(\.readers, threads: readerCount, name: "lix-async-reader") }
    var writer: WorkerPool { pool(\.writer, threads: 1, name: "lix-async-writer") }

    private func pool(_ slot: WritableKeyPath<Pools, WorkerPool?>, threads: Int, name: String) -> WorkerPool {
        pools.withLock { pools in
            if let pool = pools[keyPath: slot] { return pool }
            let made = WorkerPool(threads: threads, name: name)
            pools[keyPath: slot] = made
            return made
        }
    }

    deinit {
        pools.withLock { pools in
            pools.readers?.stop()
            pools.writer?.stop()
        }
    }
}
