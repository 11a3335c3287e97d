import LabelBench

/// The tests' seeded generator: the same seed gives the same cases on every machine, so a
/// failing random case can be replayed.
public typealias SeededGenerator = SplitMix64
