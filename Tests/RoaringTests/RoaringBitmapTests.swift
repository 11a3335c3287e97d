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
}
