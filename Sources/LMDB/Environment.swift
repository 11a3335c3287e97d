import CLMDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An LMDB environment: one memory-mapped file holding any number of named databases.
///
/// Transactions are closures. `read` runs on an MVCC snapshot and never waits for the writer;
/// any number run at once, from any thread (the environment is opened with `MDB_NOTLS`, so a
/// read transaction is not tied to its thread). `write` runs one writer at a time: writers of
/// this process queue on a lock, writers of other processes on LMDB's own lock.
///
/// When a write finds the map full, the environment aborts it, grows the map (doubling, up to
/// `Options.maximumMapSize`) once no transaction of this process is active, and runs the
/// closure again; the caller never sees `mapFull`. The closure may therefore run more than
/// once and must not have effects outside the transaction that it cannot repeat.
public final class Environment: @unchecked Sendable {
    /// How to open an environment.
    public struct Options: Sendable {
        /// Initial size of the memory map, in bytes. The file only grows as pages are used.
        public var mapSize: Int = 1 << 30
        /// The map never grows past this many bytes; a write that would need more fails with
        /// `LMDBError.mapSizeLimitReached`.
        public var maximumMapSize: Int = 1 << 40
        /// Reader slots shared by every process that opens the file (`mdb_env_set_maxreaders`).
        public var maxReaders: Int = 256
        /// Named databases this environment can hold (`mdb_env_set_maxdbs`).
        public var maxDatabases: Int = 32
        public var durability: Durability = .durable
        public var readOnly: Bool = false
        /// Permissions of newly created files.
        public var fileMode: mode_t = 0o644
        /// Read transaction handles kept for reuse (`mdb_txn_reset`/`mdb_txn_renew`).
        public var pooledReaders: Int = 64
        /// `MDB_WRITEMAP`: writes go straight into a shared writable map, so a commit issues no
        /// `pwrite` per dirty page (several times faster for small transactions without
        /// fsync). Costs: nested transactions are unavailable; the data file is extended to the
        /// map size up front (sparse); and a stray write through a pointer into the map by
        /// buggy native code in the process can corrupt the database.
        public var writeMap: Bool = false

        public init() {}
    }

    let handle: OpaquePointer
    public let options: Options
    public let path: String
    let gate = ResizeGate()
    private let writerLock = WriterLock()
    private let readerPool: Mutex<[PooledReader]> = Mutex([])

    /// Opens (creating if needed) the environment in the directory `path`, which must exist.
    public init(path: String, options: Options = Options()) throws(LMDBError) {
        var env: OpaquePointer?
        try check(mdb_env_create(&env))
        guard let env else { throw LMDBError.invalidFile }
        do {
            try check(mdb_env_set_maxreaders(env, UInt32(options.maxReaders)))
            try check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)))
            try check(mdb_env_set_mapsize(env, options.mapSize))
            var flags = UInt32(MDB_NOTLS) | options.durability.environmentFlags
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            if options.writeMap { flags |= UInt32(MDB_WRITEMAP) }
            try check(mdb_env_open(env, path, flags, options.fileMode))
            // Clear reader slots left by processes that died (SIGKILL) while reading.
            var dead: Int32 = 0
            try check(mdb_reader_check(env, &dead))
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.handle = env
        self.options = options
        self.path = path
    }

    deinit {
        for reader in readerPool.withLock({ $0 }) { mdb_txn_abort(reader.handle) }
        mdb_env_close(handle)
    }

    // MARK: Transactions

    /// Runs `body` in a read-only transaction on a consistent snapshot.
    @inlinable
    public func read<R>(_ body: (Transaction) throws -> R) throws -> R {
        var result: R?
        try runRead { result = try body($0) }
        return result!
    }

    @usableFromInline
    func runRead(_ body: (Transaction) throws -> Void) throws {
        gate.enterShared()
        defer { gate.exitShared() }
        let txnHandle = try acquireReader()
        let txn = Transaction(handle: txnHandle, environment: self, isReadOnly: true)
        defer {
            txn.end()
            releaseReader(txnHandle)
        }
        try body(txn)
    }

    /// Runs `body` in the write transaction and commits it when `body` returns; aborts it when
    /// `body` throws. See the type's documentation for map growth and retries.
    @inlinable
    public func write<R>(_ body: (WriteTransaction) throws -> R) throws -> R {
        var result: R?
        try runWrite { result = try body($0) }
        return result!
    }

    @usableFromInline
    func runWrite(_ body: (WriteTransaction) throws -> Void) throws {
        if options.readOnly { throw LMDBError.readOnly }
        if writerLock.isHeldByCurrentThread { throw LMDBError.reentrantWrite }
        writerLock.lock()
        defer { writerLock.unlock() }
        while true {
            gate.enterShared()
            var txnHandle: OpaquePointer?
            let rc = mdb_txn_begin(handle, nil, 0, &txnHandle)
            if rc == MDB_MAP_RESIZED {
                gate.exitShared()
                try adoptForeignResize()
                continue
            }
            guard rc == MDB_SUCCESS, let txnHandle else {
                gate.exitShared()
                throw LMDBError(code: rc)
            }
            let txn = WriteTransaction(handle: txnHandle, environment: self, parent: nil)
            let outcome: Result<Void, any Error>
            do {
                try body(txn)
                if txn.sawMapFull { throw LMDBError.mapFull }
                try txn.commit()
                outcome = .success(())
            } catch {
                txn.abort()
                outcome = .failure(error)
            }
            gate.exitShared()
            switch outcome {
            case .success:
                return
            case .failure(let error):
                if txn.sawMapFull || (error as? LMDBError) == .mapFull {
                    try grow()
                    continue
                }
                throw error
            }
        }
    }

    // MARK: Map size

    /// The current size of the memory map in bytes.
    public var mapSize: Int { info.mapSize }

    /// Grows the map to at least `bytes` (bounded by `maximumMapSize`) now, waiting for the
    /// transactions of this process to finish; a large write that is known in advance then
    /// does not have to fail, grow and run again.
    public func reserveMapSize(atLeast bytes: Int) throws {
        let target = min(max(bytes, info.mapSize), options.maximumMapSize)
        guard target > info.mapSize else { return }
        try resizeMap(to: target, whenBusy: .mapFull)
    }

    /// Doubles the map (bounded by `maximumMapSize`) once no transaction is active.
    private func grow() throws {
        let current = info.mapSize
        guard current < options.maximumMapSize else {
            throw LMDBError.mapSizeLimitReached(limit: options.maximumMapSize)
        }
        try resizeMap(to: min(current * 2, options.maximumMapSize), whenBusy: .mapFull)
    }

    /// Another process grew the map: adopt its size (`mdb_env_set_mapsize(env, 0)`).
    private func adoptForeignResize() throws {
        try resizeMap(to: 0, whenBusy: .mapResized)
    }

    /// Sets the map size once no transaction of this process is active, which
    /// `mdb_env_set_mapsize` requires; 0 adopts the size another process set. A target the
    /// map reached meanwhile (another thread grew it) is left alone. A thread that is itself
    /// inside a transaction cannot wait for that; it gets `busy` instead of a deadlock.
    private func resizeMap(to target: Int, whenBusy busy: LMDBError) throws {
        var failure: LMDBError?
        let ran = gate.tryExclusive {
            guard target == 0 || self.info.mapSize < target else { return }
            do throws(LMDBError) { try check(mdb_env_set_mapsize(self.handle, target)) } catch { failure = error }
        }
        if let failure { throw failure }
        if !ran { throw busy }
    }

    // MARK: Reader handles

    private func acquireReader() throws -> OpaquePointer {
        while true {
            if let pooled = readerPool.withLock({ $0.popLast() })?.handle {
                let rc = mdb_txn_renew(pooled)
                if rc == MDB_SUCCESS { return pooled }
                mdb_txn_abort(pooled)
                if rc != MDB_MAP_RESIZED { throw LMDBError(code: rc) }
            } else {
                var txn: OpaquePointer?
                let rc = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn)
                if rc == MDB_SUCCESS, let txn { return txn }
                if rc != MDB_MAP_RESIZED { throw LMDBError(code: rc) }
            }
            // MAP_RESIZED: another process grew the file. We hold the gate, so we cannot adopt
            // the new size ourselves without deadlocking; step out, adopt, step back in.
            gate.exitShared()
            defer { gate.enterShared() }
            try adoptForeignResize()
        }
    }

    private func releaseReader(_ txn: OpaquePointer) {
        mdb_txn_reset(txn)
        let kept = readerPool.withLock { pool -> Bool in
            guard pool.count < options.pooledReaders else { return false }
            pool.append(PooledReader(handle: txn))
            return true
        }
        if !kept { mdb_txn_abort(txn) }
    }

    // MARK: Maintenance

    /// Flushes data to disk; needed only with `Durability.noSync` / `.noMetaSync`.
    public func sync(force: Bool = true) throws(LMDBError) {
        try check(mdb_env_sync(handle, force ? 1 : 0))
    }

    /// Writes a consistent copy of the environment to the directory `path`, optionally
    /// compacting free pages away. Runs on a read snapshot; writers are not blocked.
    public func copy(to path: String, compact: Bool = true) throws(LMDBError) {
        try check(mdb_env_copy2(handle, path, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }

    public struct Info: Sendable {
        public var mapSize: Int
        public var lastPageNumber: Int
        public var lastTransactionID: Int
        public var maxReaders: Int
        public var readersInUse: Int
        public var pageSize: Int
        /// Bytes of the file in use: pages up to the last one written.
        public var usedBytes: Int { (lastPageNumber + 1) * pageSize }
    }

    public var info: Info {
        var envInfo = MDB_envinfo()
        mdb_env_info(handle, &envInfo)
        var stat = MDB_stat()
        mdb_env_stat(handle, &stat)
        return Info(
            mapSize: envInfo.me_mapsize,
            lastPageNumber: envInfo.me_last_pgno,
            lastTransactionID: envInfo.me_last_txnid,
            maxReaders: Int(envInfo.me_maxreaders),
            readersInUse: Int(envInfo.me_numreaders),
            pageSize: Int(stat.ms_psize))
    }

    /// Longest key LMDB accepts in this build (511 bytes for Debian's liblmdb).
    public var maxKeySize: Int { Int(mdb_env_get_maxkeysize(handle)) }
}

/// The in-process writer lock. A pthread mutex, because the thread that takes it is the one
/// that releases it: write transactions are synchronous.
private final class WriterLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private let owner = Atomic<UInt>(0)
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    var isHeldByCurrentThread: Bool { owner.load(ordering: .relaxed) == currentThreadID() }

    func lock() {
        pthread_mutex_lock(&mutex)
        owner.store(currentThreadID(), ordering: .relaxed)
    }

    func unlock() {
        owner.store(0, ordering: .relaxed)
        pthread_mutex_unlock(&mutex)
    }
}

private func currentThreadID() -> UInt {
    #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
    #else
        UInt(pthread_self())
    #endif
}

/// A reset read transaction waiting for reuse. With `MDB_NOTLS` a reset handle belongs to no
/// thread, so it may move between threads.
private struct PooledReader: @unchecked Sendable {
    let handle: OpaquePointer
}
