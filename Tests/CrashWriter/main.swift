// The child process of the crash-safety test: commits numbered batches to a durable store
// and reports each commit on stdout, until its parent kills it with SIGKILL.
//
// Usage: labelindex-crash-writer STORE_PATH
// Batch n upserts assets n*10 ..< n*10+10, each labelled ["all", "batch-<n % 7>"], and sets
// the application value "last-batch" to n, all in one transaction; then prints "committed n".

import Foundation
import LabelIndex

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: labelindex-crash-writer STORE_PATH\n".utf8))
    exit(2)
}
let store = try LabelStore(path: arguments[1])
let lastKey = Array("last-batch".utf8)
var batch = try store.read { snapshot in
    try snapshot.applicationValue(forKey: lastKey).map { Int(String(decoding: $0, as: UTF8.self))! + 1 } ?? 0
}
while true {
    try store.write { writer in
        let ns = try writer.namespace(.default)
        for offset in 0..<10 {
            let key = AssetKey.id(Int64(batch * 10 + offset))
            try ns.upsertAsset(key, AssetAttributes(name: "asset \(batch * 10 + offset)"))
            try ns.apply(.append(["all", LabelAssignment("batch-\(batch % 7)")]), to: key)
        }
        try writer.setApplicationValue(Array(String(batch).utf8), forKey: lastKey)
    }
    // Unbuffered: the parent must see every acknowledgement written before the kill.
    FileHandle.standardOutput.write(Data("committed \(batch)\n".utf8))
    batch += 1
}
