import ArgumentParser
import Foundation
import LabelIndex

/// `--data-dir`, shared by every command that opens the store.
package struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"), help: "The store's directory (created on first use by commands that write).",
        completion: .directory)
    package var dataDirectory: String = "./data"

    package init() {}

    /// Opens the store for a command that writes, creating the directory when missing.
    package func openForWriting(
        durability: Durability = .durable, caches: CacheOptions? = nil
    ) throws -> LabelStore {
        var options = LabelStore.Options()
        options.durability = durability
        if let caches {
            options.postingsCacheBytes = caches.postingsMiB << 20
            options.labelNameCacheBytes = caches.labelNamesMiB << 20
        }
        return try LabelStore(path: dataDirectory, options: options)
    }

    /// Opens an existing store for a command that only reads: a missing store is an error
    /// rather than a new empty one left behind by a typo in the path.
    package func openExisting(durability: Durability = .durable) throws -> LabelStore {
        guard FileManager.default.fileExists(atPath: dataDirectory + "/data.mdb") else {
            let reason =
                FileManager.default.fileExists(atPath: dataDirectory)
                ? "\(dataDirectory) holds no LabelIndex store (no data.mdb)"
                : "no store at \(dataDirectory) (the directory does not exist)"
            throw CommandFailure.badInput(
                "\(reason); pass --data-dir, or create one with `labelindex import` or `labelindex serve`")
        }
        var options = LabelStore.Options()
        options.durability = durability
        return try LabelStore(path: dataDirectory, options: options)
    }
}

/// The store's memory budgets for a long-running process (`serve`).
package struct CacheOptions: ParsableArguments {
    @Option(
        name: .customLong("postings-cache-mib"),
        help: "MiB of decoded postings shared by all readers (0 disables the cache).")
    package var postingsMiB: Int = LabelStore.Options().postingsCacheBytes >> 20

    @Option(
        name: .customLong("label-name-cache-mib"),
        help: "MiB of label names shared by all readers, across every namespace (0 disables the cache).")
    package var labelNamesMiB: Int = LabelStore.Options().labelNameCacheBytes >> 20

    package init() {}

    package func validate() throws {
        for (flag, value) in [("postings-cache-mib", postingsMiB), ("label-name-cache-mib", labelNamesMiB)]
        where !(0...(1 << 20)).contains(value) {
            throw ValidationError("--\(flag) must be between 0 and 1048576.")
        }
    }
}

/// `--namespace`, shared by the commands that work in one namespace.
package struct NamespaceOption: ParsableArguments {
    @Option(name: .customLong("namespace"), help: "The namespace (tenant) to work in.")
    package var name: String = Namespace.default.name

    package init() {}

    package var namespace: Namespace { Namespace(name) }
}
