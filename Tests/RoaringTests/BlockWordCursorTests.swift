import Roaring
import Testing

@Suite struct BlockWordCursorTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Sparse (array container), dense (bitset) and runs (run container after optimising), in
    /// blocks other than the first.
    static func bitmaps(seed: UInt64) -> [RoaringBitmap] {
        var random = Generator(state: seed)
        var result: [RoaringBitmap] = [RoaringBitmap()]
        for shape in 0..<3 {
            for _ in 0..<8 {
                let block = UInt32.random(in: 0...3, using: &random) << 16
                var bitmap = RoaringBitmap()
                switch shape {
                case 0:
                    for _ in 0..<Int.random(in: 1...300, using: &random) {
                        bitmap.insert(block | UInt32.random(in: 0..<65_536, using: &random))
                    }
                case 1:
                    for _ in 0..<Int.random(in: 5_000...40_000, using: &random) {
                        bitmap.insert(block | UInt32.random(in: 0..<65_536, using: &random))
                    }
                default:
                    for _ in 0..<Int.random(in: 1...40, using: &random) {
                        let start = UInt32.random(in: 0..<65_000, using: &random)
                        bitmap.insert(
                            range: (block | start)..<(block
                                | min(start + UInt32.random(in: 1...900, using: &random), 65_535)))
                    }
                    bitmap.runOptimize()
                }
                result.append(bitmap)
            }
        }
        return result
    }

    @Test func wordsMatchTheValues() throws {
        for (index, bitmap) in Self.bitmaps(seed: 3).enumerated() {
            var expected = [UInt64](repeating: 0, count: BlockWordCursor.wordsPerBlock)
            for value in bitmap { expected[Int(value & 0xFFFF) >> 6] |= 1 << UInt64(value & 63) }
            var random = Generator(state: UInt64(index))
            var cursor = try #require(BlockWordCursor(bitmap))
            var word = 0
            while word < BlockWordCursor.wordsPerBlock {
                let next = cursor.nextNonZeroWord(from: word)
                let truth = expected[word...].firstIndex { $0 != 0 }
                #expect(next == truth, "bitmap \(index), from word \(word)")
                guard let found = next else { break }
                #expect(cursor.word(at: found) == expected[found], "bitmap \(index), word \(found)")
                // Ask again, then step on by a random stride: words asked for never go back.
                #expect(cursor.word(at: found) == expected[found])
                word = found + Int.random(in: 1...40, using: &random)
                if word < BlockWordCursor.wordsPerBlock {
                    #expect(cursor.word(at: word) == expected[word], "bitmap \(index), word \(word)")
                }
            }
        }
    }

    @Test func bitmapsSpanningSeveralBlocksAreRefused() {
        #expect(BlockWordCursor([1, 70_000]) == nil)
        #expect(BlockWordCursor([70_000, 70_001]) != nil)
    }
}
