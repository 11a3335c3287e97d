// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "LabelIndex",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "LabelIndex", targets: ["LabelIndex", "LabelQuery"]),
    ],
    targets: [
        // System libraries (Debian packages).
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CRoaring", providers: [.apt(["libroaring-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Layers, bottom up.
        .target(name: "LMDB", dependencies: ["CLMDB"]),
        .target(name: "Roaring", dependencies: ["CRoaring"]),
        .target(name: "LabelIndex", dependencies: ["LMDB", "Roaring"]),
        .target(name: "LabelQuery", dependencies: ["LabelIndex", "Roaring"]),
        .target(name: "LabelInterchange", dependencies: []),
        .target(name: "LabelBench", dependencies: ["Roaring", "CSQLite"]),

        .testTarget(name: "LMDBTests", dependencies: ["LMDB"]),
        .testTarget(name: "RoaringTests", dependencies: ["Roaring"]),
        .testTarget(name: "LabelIndexTests", dependencies: ["LabelIndex", "Roaring", "labelindex-crash-writer"]),
        .executableTarget(name: "labelindex-crash-writer", dependencies: ["LabelIndex"], path: "Tests/CrashWriter"),
        .testTarget(name: "LabelQueryTests", dependencies: ["LabelQuery", "LabelIndex", "Roaring"]),
        .testTarget(name: "LabelInterchangeTests", dependencies: ["LabelInterchange"]),
        .testTarget(name: "LabelBenchTests", dependencies: ["LabelBench"]),
    ]
)
