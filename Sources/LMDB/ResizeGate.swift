#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Lets any number of transactions run together but gives the map resize exclusive access.
///
/// `mdb_env_set_mapsize` may only be called while no transaction of this process is active,
/// and LMDB does not check that; this gate is what makes the check. A thread that already
/// holds the gate (a read nested in a read, or a write started inside a read) re-enters
/// without waiting, so a pending resize can never deadlock against its own thread; such a
/// thread cannot resize, and `tryExclusive` reports that instead of waiting forever.
final class ResizeGate: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var active = 0
    private var resizePending = false
    private let depthKey: pthread_key_t

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        depthKey = key
    }

    deinit {
        pthread_key_delete(depthKey)
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    private var threadDepth: Int {
        get { Int(bitPattern: pthread_getspecific(depthKey)) }
        set { pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    /// True when the calling thread is inside a transaction of this environment.
    var isHeldByCurrentThread: Bool { threadDepth > 0 }

    func enterShared() {
        let depth = threadDepth
        pthread_mutex_lock(&mutex)
        if depth == 0 {
            while resizePending { pthread_cond_wait(&condition, &mutex) }
        }
        active += 1
        pthread_mutex_unlock(&mutex)
        threadDepth = depth + 1
    }

    func exitShared() {
        threadDepth -= 1
        pthread_mutex_lock(&mutex)
        active -= 1
        if active == 0 && resizePending { pthread_cond_broadcast(&condition) }
        pthread_mutex_unlock(&mutex)
    }

    /// Runs `body` once no transaction of this process is active. Returns false, without
    /// running it, when the calling thread itself holds the gate.
    func tryExclusive(_ body: () throws -> Void) rethrows -> Bool {
        if threadDepth > 0 { return false }
        pthread_mutex_lock(&mutex)
        while resizePending { pthread_cond_wait(&condition, &mutex) }
        resizePending = true
        while active > 0 { pthread_cond_wait(&condition, &mutex) }
        pthread_mutex_unlock(&mutex)
        defer {
            pthread_mutex_lock(&mutex)
            resizePending = false
            pthread_cond_broadcast(&condition)
            pthread_mutex_unlock(&mutex)
        }
        try body()
        return true
    }
}
