import Roaring
import Testing

@Suite struct RoaringBitmapTests {
    @Test func basicMembership() {
        var bitmap: RoaringBitmap = [3, 1, 2]
        #expect(bitmap.count == 3)
        #expect(bitmap.insert(2) == false)
        #expect(bitmap.insert(70_000) == true)
        #expect(bitmap.values == [1, 2, 3, 70_000])
        let removed = bitmap.remove(1)
        #expect(removed)
        #expect(!bitmap.contains(1))
        #expect(bitmap.min == 2 && bitmap.max == 70_000)
    }

    @Test func valuesFromAStartAreBoundedByTheLimit() {
        let bitmap = RoaringBitmap((0..<1_000).map { $0 * 97 })
        #expect(bitmap.values(from: 0, limit: 3) == [0, 97, 194])
        #expect(bitmap.values(from: 98, limit: 2) == [194, 291])
        #expect(bitmap.values(from: 96_904, limit: 10).isEmpty)
        #expect(bitmap.values(from: 96_903, limit: 10) == [96_903])
        #expect(bitmap.values(from: 5, limit: 0).isEmpty)
    }

    @Test func appendingValuesKeepsWhatTheArrayHeld() {
        let bitmap: RoaringBitmap = [5, 70_000, 70_001, 140_000]
        var values: [UInt32] = [1, 2]
        bitmap.appendValues(from: 6, limit: 2, to: &values)
        #expect(values == [1, 2, 70_000, 70_001])
        bitmap.appendValues(from: 70_001, limit: 5, to: &values)
        #expect(values == [1, 2, 70_000, 70_001, 70_001, 140_000])
        bitmap.appendValues(from: 140_001, limit: 5, to: &values)
        bitmap.appendValues(from: 0, limit: 0, to: &values)
        #expect(values.count == 6)
    }
}
