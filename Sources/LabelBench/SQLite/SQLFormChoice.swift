/// Which SQL form `SQLiteBaseline` uses by default for each shape: the faster one measured.
///
/// Median latency, release build, 100,000 assets / 2,000 labels / 799,998 pairs (seed 42),
/// 30 runs each after warm-up, SQLite 3.40.1, on a shared 2-core machine (± 30% between runs;
/// every choice below held in two runs):
///
/// | shape                   | count probe | count compound | page probe | page compound |
/// |-------------------------|------------:|---------------:|-----------:|--------------:|
/// | single-popular          |    1.83 ms  |      2.91 ms   |    16.1 µs |       15.6 µs |
/// | single-rare             |     5.5 µs  |       5.5 µs   |     8.9 µs |        9.0 µs |
/// | popular-and-popular     |   45.5 ms   |     24.2 ms    |   116.5 µs |       56.0 µs |
/// | popular-and-not-popular |   58.0 ms   |     15.9 ms    |   111.0 µs |       44.6 µs |
/// | union-except            |   76.3 ms   |     35.7 ms    |   435.8 µs |       78.9 µs |
/// | rare-and-popular        |    41.6 µs  |     10.4 ms    |    42.8 µs |      10.7 ms  |
/// | five-mid-union          |    1.97 ms  |      1.83 ms   |    1.59 ms |       52.5 µs |
/// | three-term-intersection |   13.3 ms   |     21.4 ms    |   470.7 µs |      744.5 µs |
/// | pure-not                |  133.7 ms   |      2.90 ms   |   181.9 µs |       55.3 µs |
/// | nested-mix              |   38.6 ms   |     27.8 ms    |    2.19 ms |      501.8 µs |
/// | empty-intersection      |   10.2 ms   |     11.2 ms    |    9.81 ms |      11.0 ms  |
/// | mid-and-mid             |    9.80 ms  |      2.02 ms   |   811.5 µs |      292.3 µs |
///
/// In short: merged compounds win whenever the operands are of similar size (SQLite streams
/// them in `ord` order and merges), and for pure NOT, whose count becomes a subtraction; probes
/// win when one positive label is much rarer than the rest, since they touch only its rows.
/// Single labels produce the same plan either way.
enum SQLFormChoice {
    static func fastest(for shape: QueryShape, purpose: SQLPurpose) -> SQLForm {
        switch shape {
        case .singlePopular, .singleRare, .rareAndPopular, .threeTermIntersection, .emptyIntersection:
            .probe
        case .popularAndPopular, .popularAndNotPopular, .unionExcept, .pureNot, .nestedMix, .midAndMid:
            .compound
        case .fiveMidUnion:
            // Counts are a tie (both read every row of the five labels); pages merge far faster.
            .compound
        }
    }
}
